from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("E-post")

    def ready(self) -> None:
        from anymail.signals import tracking

        from .tracking import on_tracking

        tracking.connect(on_tracking, dispatch_uid="notifications.tracking.on_tracking")
