"""When a link e-mail for medborgarlöften fails for good, the drafters are told,
as for the agreement's own task e-mails (workflows/receivers.py)."""

from django.dispatch import receiver

from notifications.signals import email_failed, email_undelivered
from workflows.models import Agreement
from workflows.services import notify

TASK_TEMPLATE = "promises/email/task_link"


@receiver(email_failed)
@receiver(email_undelivered)
def alert_drafters_of_a_lost_promise_link(sender, email, **kwargs) -> None:
    if email.template != TASK_TEMPLATE or email.object_type != "agreement":
        return
    agreement = Agreement.objects.filter(pk=email.object_id).first()
    if agreement is not None:
        notify.email_failed(email, agreement)
