"""Enqueue, relay and retry outbox email.

The guarantees, and where each one comes from:

* Nothing is sent for a transaction that rolled back: ``email_enqueue`` writes the
  row in the caller's transaction and only kicks the relay from ``on_commit``.
* Nothing is lost when the broker is down: the row is already committed as
  ``pending``; the periodic relay (``outbox_relay``) picks it up.
* One row is sent by one worker: a worker may only send after a conditional
  UPDATE (``_claim``) moved the row from due to ``sending`` and affected 1 row.
* At-least-once, not exactly-once: a worker killed after the mail server accepted
  the message but before ``_record_sent`` leaves the row ``sending``. When the
  lease expires another relay claims it and the recipient gets it a second time.
  That window is the few milliseconds between ``send()`` returning and one UPDATE,
  which is why the row is marked sent immediately, in its own short statement.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from project.after_commit import after_commit, run_or_publish

from .models import Language, OutboxEmail, Status
from .rendering import email_render
from .signals import email_failed, email_sent

logger = logging.getLogger(__name__)

# Retrying cannot help when the server refused every recipient address.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (
    AnymailRecipientsRefused,
    smtplib.SMTPRecipientsRefused,
)
BACKOFF_CAP = timedelta(hours=1)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 6)


def lease() -> timedelta:
    """How long a claim holds. Far above any send timeout (SMTP 10 s, HTTP APIs ~30 s)."""
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 300))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failed attempt, at most an hour."""
    return min(timedelta(minutes=2 ** (attempts - 1)), BACKOFF_CAP)


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to write to the outbox (see ``emails_enqueue``)."""

    to_email: str
    to_name: str
    template: str
    context: dict[str, Any]
    key: str
    language: str = Language.SV
    object_type: str = ""
    object_id: str = ""


def emails_enqueue(emails: list[Outgoing]) -> None:
    """Write outbox rows in the caller's transaction; send them after that commits.

    One statement however many rows: an insert that skips a key already in the
    outbox (ON CONFLICT DO NOTHING), so such a key keeps its first row and is not
    sent again. After the commit the rows still pending under these keys are sent,
    or handed to a worker in one task; the claim keeps an older row that is not due
    from being sent early.
    """
    for email in emails:
        if email.language not in Language.values:
            raise ValueError(f"Unknown language {email.language!r}; use one of {Language.values}")
    fresh = {email.key: email for email in emails}
    if not fresh:
        return
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                key=email.key,
                to_email=email.to_email,
                to_name=email.to_name,
                language=email.language,
                template=email.template,
                context=email.context,
                object_type=email.object_type,
                object_id=str(email.object_id),
            )
            for email in fresh.values()
        ],
        ignore_conflicts=True,
    )
    after_commit(_kick_keys, sorted(fresh))  # the rows are safe if it fails


def email_enqueue(
    *,
    to_email: str,
    to_name: str,
    language: str = Language.SV,
    template: str,
    context: dict[str, Any],
    key: str,
    object_type: str = "",
    object_id: str = "",
) -> OutboxEmail:
    """Write one outbox row in the caller's transaction; send it after that commits.

    ``key`` makes this idempotent, also against a concurrent call with the same key
    (get_or_create): a second call returns the first row and sends nothing more.
    """
    if language not in Language.values:
        raise ValueError(f"Unknown language {language!r}; use one of {Language.values}")
    email, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={
            "to_email": to_email,
            "to_name": to_name,
            "language": language,
            "template": template,
            "context": context,
            "object_type": object_type,
            "object_id": str(object_id),
        },
    )
    if created:
        after_commit(_kick, email.pk)  # the row is safe if it fails
    return email


def _kick_keys(keys: list[str]) -> None:
    """After commit: send the pending rows with these keys now (no broker), or hand
    them to a worker in one task: one publish per transaction, not one per row."""
    from .tasks import send_emails  # tasks imports this module

    pending = OutboxEmail.objects.filter(key__in=keys, status=Status.PENDING).order_by("pk")
    pks = list(pending.values_list("pk", flat=True))
    if pks:
        run_or_publish(send_emails, pks, fallback="the relay will send them")


def send_all(pks: list[int]) -> int:
    return sum(email_send(pk) for pk in pks)


def _kick(pk: int) -> None:
    """After commit: send now (no broker) or hand the row to a worker."""
    from .tasks import send_email  # tasks imports this module

    run_or_publish(send_email, pk, fallback="the relay will send it")


def outbox_relay(*, limit: int = 100) -> int:
    """Claim and send up to ``limit`` due rows; return how many were sent.

    Safe to run in several workers at once and twice in a row: each row is sent
    only by the relay whose claim succeeded.
    """
    now = timezone.now()
    due = (
        OutboxEmail.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return send_all(list(due))


def email_send(pk: int) -> bool:
    """Claim one row and send it. False if someone else has it or it is not due."""
    if not _claim(pk, timezone.now()):
        return False
    email = OutboxEmail.objects.get(pk=pk)
    if email.attempts > max_attempts():
        # Only reachable when workers died holding this row, lease after lease.
        _record_failure(email, RuntimeError("Sändningen avbröts upprepade gånger"))
        return False
    try:
        message = email_render(email)
        message.send()
    except Exception as exc:
        logger.warning("Outbox email %s failed (attempt %s)", pk, email.attempts, exc_info=True)
        _record_failure(email, exc)
        return False
    _record_sent(email, message)
    return True


def email_retry(*, emails: QuerySet[OutboxEmail]) -> int:
    """Put failed rows back in the queue (the admin's "retry"); returns how many.

    The attempts start again from zero, and each row is kicked after commit as if
    it were new, so a retry works without a beat schedule too.
    """
    pks = list(emails.filter(status=Status.FAILED).values_list("pk", flat=True))
    changed = OutboxEmail.objects.filter(pk__in=pks, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    for pk in pks:
        after_commit(_kick, pk)  # the claim guards twins
    return changed


def _due(now: datetime) -> Q:
    pending = Q(status=Status.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    return pending | abandoned


def _claim(pk: int, now: datetime) -> bool:
    """The one guard against double sending: a conditional UPDATE that only one wins.

    On PostgreSQL a concurrent UPDATE waits for the row lock and then re-checks
    the WHERE clause, which no longer matches; on SQLite writes are serialised.
    Counting the attempt here means a worker that dies mid-send still uses one.
    """
    claimed = OutboxEmail.objects.filter(_due(now), pk=pk).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _record_sent(email: OutboxEmail, message: EmailMessage) -> None:
    anymail_status = getattr(message, "anymail_status", None)
    email.status = Status.SENT
    email.sent_at = timezone.now()
    email.subject = message.subject[:500]
    email.claimed_at = None
    email.last_error = ""
    email.provider_message_id = _joined(getattr(anymail_status, "message_id", None))
    email.provider_status = _joined(getattr(anymail_status, "status", None))
    email.save(
        update_fields=[
            "status",
            "sent_at",
            "subject",
            "claimed_at",
            "last_error",
            "provider_message_id",
            "provider_status",
        ]
    )
    email_sent.send_robust(sender=OutboxEmail, email=email)


def _record_failure(email: OutboxEmail, exc: Exception) -> None:
    final = email.attempts >= max_attempts() or isinstance(exc, PERMANENT_ERRORS)
    email.status = Status.FAILED if final else Status.PENDING
    email.claimed_at = None
    email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if not final:
        email.next_attempt_at = timezone.now() + backoff(email.attempts)
    email.save(update_fields=["status", "claimed_at", "last_error", "next_attempt_at"])
    if final:
        # send_robust: a broken receiver is logged and must not stop the relay.
        email_failed.send_robust(sender=OutboxEmail, email=email)


def _joined(value: Any) -> str:
    """anymail gives one id, or a set of ids for several recipients; store text."""
    if value is None:
        return ""
    if isinstance(value, set | frozenset | list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def check_email_enqueue(
    *, to_email: str, to_name: str, language: str, requested_by: str
) -> OutboxEmail:
    """Queue a test message (admin's "skicka testmeddelande"), to see that email works."""
    return email_enqueue(
        to_email=to_email,
        to_name=to_name,
        language=language,
        template="notifications/test_email",
        context={"requested_by": requested_by},
        key=f"notifications/test_email/{uuid.uuid4()}",
    )
