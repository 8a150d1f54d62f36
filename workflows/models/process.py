"""The viewflow process of one decision-and-signature round, as a proxy.

viewflow keeps the human tasks (who, open or done); the agreement's state stays
in its own field. The process points at the agreement through its artifact.
"""

from viewflow.workflow.models import Process


class AgreementProcess(Process):
    class Meta:
        proxy = True
        verbose_name = "beslutsomgång"
        verbose_name_plural = "beslutsomgångar"
