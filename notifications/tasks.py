"""Thin Celery tasks over the services: no rules here, no retries either.

Retries are the outbox's own (``next_attempt_at``), not Celery's, so they survive
a broker restart and show up in the admin.
"""

from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Send every due row; beat runs this every 30 seconds."""
    return services.outbox_relay()


@shared_task(name="notifications.tasks.send_email", ignore_result=True)
def send_email(pk: int) -> bool:
    """Send one row right after the transaction that wrote it committed."""
    return services.email_send(pk)


@shared_task(name="notifications.tasks.send_emails", ignore_result=True)
def send_emails(pks: list[int]) -> int:
    """Send the rows one transaction wrote, right after it committed."""
    return services.send_all(pks)
