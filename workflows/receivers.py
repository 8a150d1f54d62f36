"""What the agreement domain does when notifications/ reports a failed e-mail."""

from django.dispatch import receiver

from notifications.signals import email_failed, email_undelivered

from . import plugins
from .models import Agreement
from .services import notify


@receiver(email_failed)
@receiver(email_undelivered)
def alert_drafters_of_a_lost_task_email(sender, email, **kwargs) -> None:
    """One receiver for every subject's task links (``plugins.TASK_LINK_TEMPLATES``)."""
    if email.template not in plugins.TASK_LINK_TEMPLATES or email.object_type != "agreement":
        return
    agreement = Agreement.objects.filter(pk=email.object_id).first()
    if agreement is not None:
        notify.email_failed(email, agreement)
