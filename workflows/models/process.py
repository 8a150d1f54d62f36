"""The viewflow process of one decision-and-signature round, as a proxy.

viewflow keeps the human tasks (who, open or done); the agreement's state stays
in its own field. The process points at the agreement through its artifact.
"""

from viewflow.workflow.models import Process, Task


class AgreementProcess(Process):
    class Meta:
        proxy = True
        verbose_name = "beslutsomgång"
        verbose_name_plural = "beslutsomgångar"


class RoundTask(Task):
    """A task of a round, for the Swedish admin (viewflow's own admin is in English)."""

    class Meta:
        proxy = True
        verbose_name = "uppgift i en omgång"
        verbose_name_plural = "uppgifter i omgångar"
