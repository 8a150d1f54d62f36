from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Samverkansöverenskommelser")

    def ready(self) -> None:
        from notifications.rendering import ATTACHERS, RESOLVERS

        from . import checks, receivers  # noqa: F401
        from .services.notify import sealed_pdf, task_facts, task_link_url

        RESOLVERS["workflows.task_link"] = task_link_url
        RESOLVERS["workflows.task_facts"] = task_facts
        ATTACHERS["workflows.sealed_pdf"] = sealed_pdf
