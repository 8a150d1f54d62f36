"""The secrets in e-mail links: issue, look up, spend once, revoke.

A token is 256 random bits, shown once in the link and stored only as its
SHA-256, so a database leak gives no working links.
"""

from __future__ import annotations

import datetime
import hashlib
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


def token_issue(
    *, agreement: Agreement, person: Person, kind: str, task_id: int, version_hash: str
) -> str:
    raw = secrets.token_urlsafe(32)
    ttl = datetime.timedelta(days=settings.LINK_TTL_DAYS)
    ActionToken.objects.create(
        token_hash=_digest(raw),
        agreement=agreement,
        person=person,
        kind=kind,
        task_id=task_id,
        version_hash=version_hash,
        expires_at=timezone.now() + ttl,
    )
    return raw


@dataclass
class LinkProblem:
    """Why a link cannot be used, for the page that explains what to do next."""

    reason: str  # unknown, expired, used, superseded, finished
    token: ActionToken | None = None


def token_find(raw: str) -> ActionToken | LinkProblem:
    """Look up a link's token without changing anything (GET and HEAD use this)."""
    token = (
        ActionToken.objects.select_related("agreement", "person__user")
        .filter(token_hash=_digest(raw or ""))
        .first()
    )
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
    TaskKind.POLICE_DECISION,
    TaskKind.KS_SIGNATURE,
    TaskKind.LPO_SIGNATURE,
)


def tokens_revoke(
    *,
    agreement_id: int,
    reason: str,
    task_id: int | None = None,
    kinds: tuple[str, ...] = ROUND_KINDS,
) -> int:
    open_tokens = ActionToken.objects.filter(
        agreement_id=agreement_id, kind__in=kinds, used_at__isnull=True, revoked_at__isnull=True
    )
    if task_id is not None:
        open_tokens = open_tokens.filter(task_id=task_id)
    return open_tokens.update(revoked_at=timezone.now(), revoked_reason=reason)
