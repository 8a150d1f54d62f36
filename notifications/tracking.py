"""Delivery reports from the provider, through anymail's tracking webhooks.

anymail checks the webhook's basic-auth secret (ANYMAIL["WEBHOOK_SECRET"]) before
it sends its ``tracking`` signal; a request with a wrong secret never gets here.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from anymail.utils import get_anymail_setting
from django.utils import timezone

from .models import DeliveryStatus, OutboxEmail
from .signals import email_undelivered

logger = logging.getLogger(__name__)

DELIVERY_STATUS = {
    EventType.DEFERRED: DeliveryStatus.DEFERRED,
    EventType.DELIVERED: DeliveryStatus.DELIVERED,
    EventType.BOUNCED: DeliveryStatus.BOUNCED,
    EventType.REJECTED: DeliveryStatus.REJECTED,
    EventType.FAILED: DeliveryStatus.FAILED,
    EventType.COMPLAINED: DeliveryStatus.COMPLAINED,
}

# Reports arrive out of order. A later, weaker report must not hide a stronger
# one: "deferred" after "delivered" is noise; "complained" after "delivered" is news.
RANK = {
    DeliveryStatus.UNKNOWN: 0,
    DeliveryStatus.DEFERRED: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.BOUNCED: 3,
    DeliveryStatus.REJECTED: 3,
    DeliveryStatus.FAILED: 3,
    DeliveryStatus.COMPLAINED: 4,
}
UNDELIVERED = {DeliveryStatus.BOUNCED, DeliveryStatus.REJECTED, DeliveryStatus.FAILED}


def on_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Receiver for ``anymail.signals.tracking`` (connected in apps.py)."""
    status = DELIVERY_STATUS.get(event.event_type)
    if status is None or not event.message_id:
        return  # opens, clicks and the like: we do not track people's reading.
    if not _webhook_secret_configured():
        # anymail only warns when no secret is set; then anyone could post here.
        logger.warning("Ignored a %s webhook: ANYMAIL WEBHOOK_SECRET is not set", esp_name)
        return
    delivery_update(message_id=str(event.message_id), status=status, detail=_detail(event))


def delivery_update(*, message_id: str, status: str, detail: str = "") -> int:
    """Record a provider's report on the row it sent; returns how many rows changed.
    A report repeated (providers retry) or weaker than what is recorded changes
    nothing, so nobody is told twice."""
    weaker = [s for s, rank in RANK.items() if rank <= RANK[status] and s != status]
    rows = OutboxEmail.objects.filter(provider_message_id=message_id, delivery_status__in=weaker)
    changed = rows.update(
        delivery_status=status, delivery_detail=detail[:2000], delivery_updated_at=timezone.now()
    )
    if changed and status in UNDELIVERED:
        for email in OutboxEmail.objects.filter(provider_message_id=message_id):
            email_undelivered.send_robust(sender=OutboxEmail, email=email)
    return changed


def _webhook_secret_configured() -> bool:
    """Our policy: every webhook carries the basic-auth secret, whatever else the ESP signs."""
    return bool(get_anymail_setting("webhook_secret", default=None))


def _detail(event: AnymailTrackingEvent) -> str:
    parts = [event.reject_reason, event.description, event.mta_response]
    return " — ".join(str(part) for part in parts if part)
