"""The secrets in e-mail links: issue, look up, spend once, revoke.

A token is 256 bits: the HMAC-SHA256, under a key kept outside the database
(``LINK_SECRET_KEY``, by default derived from ``SECRET_KEY``), of a random nonce
stored with the row. The database keeps the nonce and the token's SHA-256, never
the token: a copy of the database, the outbox or the admin gives no working link.
The e-mail's link is derived again when the e-mail is rendered (``token_raw``),
so the outbox row holds only a reference to the token row.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ActionToken, Agreement, Person, TaskKind
from .errors import DomainError


class Revoked:
    NEW_VERSION = "new_version"
    REASSIGNED = "reassigned"
    ROUND_ENDED = "round_ended"
    TASK_DONE = "task_done"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _derive(nonce: str) -> str:
    key = settings.LINK_SECRET_KEY or settings.SECRET_KEY
    mac = hmac.new(key.encode(), f"samverkan.link:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def token_raw(token: ActionToken) -> str:
    """The link's secret, derived again from the row's nonce and the key (at send time)."""
    return _derive(token.nonce)


def token_issue(
    *, agreement: Agreement, person: Person, kind: str, task_id: int, version_hash: str
) -> ActionToken:
    nonce = secrets.token_urlsafe(32)
    ttl = datetime.timedelta(days=settings.LINK_TTL_DAYS)
    return ActionToken.objects.create(
        nonce=nonce,
        token_hash=_digest(_derive(nonce)),
        agreement=agreement,
        person=person,
        kind=kind,
        task_id=task_id,
        version_hash=version_hash,
        expires_at=timezone.now() + ttl,
    )


@dataclass
class LinkProblem:
    """Why a link cannot be used, for the page that explains what to do next."""

    reason: str  # unknown, expired, used, superseded, finished
    token: ActionToken | None = None


def token_find(raw: str) -> ActionToken | LinkProblem:
    """Look up a link's token without changing anything (GET and HEAD use this)."""
    return token_state(_tokens().filter(token_hash=_digest(raw or "")).first())


def token_by_reference(token_pk: int, token_hash: str) -> ActionToken | LinkProblem:
    """The token a link's signed cookie refers to (its row and hash, never the secret)."""
    found = _tokens().filter(pk=token_pk).first()
    if found is None or not hmac.compare_digest(found.token_hash, token_hash or ""):
        return LinkProblem("unknown")
    return token_state(found)


def _tokens():
    # The pages name both parties: read them with the token, not one by one.
    return ActionToken.objects.select_related(
        "agreement__kommun", "agreement__lokalpolisomrade", "person__user"
    )


def token_state(token: ActionToken | None) -> ActionToken | LinkProblem:
    """The token if it may be used now, or why not."""
    if token is None:
        return LinkProblem("unknown")
    if token.used_at is not None:
        return LinkProblem("used", token)
    if token.revoked_at is not None:
        reason = "superseded" if token.revoked_reason == Revoked.NEW_VERSION else "finished"
        return LinkProblem(reason, token)
    if token.expires_at <= timezone.now():
        return LinkProblem("expired", token)
    return token


def token_spend(token: ActionToken) -> None:
    """Mark the token used, once: the conditional UPDATE is what makes a second
    click, or twenty at once, fail instead of acting twice."""
    spent = ActionToken.objects.filter(
        pk=token.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if spent != 1:
        raise DomainError(_("Länken har redan använts eller gäller inte längre."))


# The tasks of the agreement's own rounds. Medborgarlöften (promises/) are decided
# in rounds of their own, with links on the same agreement: an agreement round
# that ends must not revoke those.
ROUND_KINDS = (
    TaskKind.MUNICIPAL_DECISION,
    TaskKind.MUNICIPAL_PROTOCOL,
    TaskKind.POLICE_DECISION,
    TaskKind.KS_SIGNATURE,
    TaskKind.LPO_SIGNATURE,
)


def tokens_open(agreement_id: int, kinds: tuple[str, ...] = ROUND_KINDS):
    """The agreement's links neither used nor revoked (some may have expired)."""
    return ActionToken.objects.filter(
        agreement_id=agreement_id, kind__in=kinds, used_at__isnull=True, revoked_at__isnull=True
    )


def tokens_revoke(
    *,
    agreement_id: int,
    reason: str,
    task_id: int | None = None,
    kinds: tuple[str, ...] = ROUND_KINDS,
) -> int:
    open_tokens = tokens_open(agreement_id, kinds)
    if task_id is not None:
        open_tokens = open_tokens.filter(task_id=task_id)
    return open_tokens.update(revoked_at=timezone.now(), revoked_reason=reason)
