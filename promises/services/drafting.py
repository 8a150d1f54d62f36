"""Drafting a set of promises, up to the joint proposal.

Each function locks the agreement and the set, re-checks the rules under the
lock, changes what it changes, writes the agreement's trail (the object is the
set) and queues the e-mails, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.agreement_lifecycle import AGREEMENT, ENDED
from workflows.models import Agreement, AgreementKind, Person
from workflows.models.organisations import DRAFTER_ROLES
from workflows.services.common import agreement_lock
from workflows.services.errors import DomainError, StaleVersion, WrongState
from workflows.services.transitions import edge_or_refuse

from .. import content as content_rules
from ..lifecycle import PROMISE_SET
from ..models import Promise, PromiseApproval, PromiseSet
from . import rounds
from .common import as_drafter, lock, take_set

PROMISE_AGREEMENT_KINDS = (AgreementKind.OPERATIONAL, AgreementKind.ONE_PART)


def _valid(content: dict[str, Any]) -> dict[str, Any]:
    """Each promise whole; a draft may have none yet (approving needs one)."""
    try:
        return content_rules.validate(content, complete=False)
    except content_rules.ContentError as error:
        raise DomainError(str(error)) from None


def _check_agreement(agreement: Agreement) -> None:
    if agreement.kind not in PROMISE_AGREEMENT_KINDS:
        raise DomainError(
            _(
                "Medborgarlöften hör till den operativa överenskommelsen (eller en "
                "överenskommelse i en del), inte till en strategisk."
            )
        )
    if AGREEMENT.has(agreement.state, ENDED):
        raise WrongState(
            _("Överenskommelsen är %(state)s; den kan inte få nya medborgarlöften.")
            % {"state": agreement.get_state_display().lower()}
        )


def _check_years(agreement: Agreement, first_year: int, last_year: int) -> None:
    if last_year < first_year:
        raise DomainError(_("Perioden måste sluta samma år eller senare än den börjar."))
    if first_year < agreement.period_start.year or last_year > agreement.period_end.year:
        raise DomainError(
            _("Löftena ska gälla inom överenskommelsens period, %(start)d–%(end)d.")
            % {"start": agreement.period_start.year, "end": agreement.period_end.year}
        )
    overlapping = agreement.promise_sets.filter(
        first_year__lte=last_year, last_year__gte=first_year
    )
    if overlapping.exists():
        raise DomainError(_("Det finns redan medborgarlöften för en del av de åren."))


def _replace_promises(promise_set: PromiseSet, content: dict[str, Any]) -> None:
    promise_set.promises.all().delete()  # only a draft's: Promise.delete refuses otherwise
    for position, item in enumerate(content["promises"], start=1):
        Promise.objects.create(promise_set=promise_set, position=position, **item)


@transaction.atomic
def promise_set_create(
    *,
    agreement_id: int,
    first_year: int,
    last_year: int,
    author: Person,
    channel: str,
    background: str = "",
    promises: Sequence[dict[str, Any]] = (),
) -> PromiseSet:
    """A drafter starts the promises of a period, in draft (with or without
    promises yet)."""
    agreement = agreement_lock(agreement_id)
    actor = as_drafter(author, agreement, channel)
    _check_agreement(agreement)
    _check_years(agreement, first_year, last_year)
    content = _valid(
        {
            "first_year": first_year,
            "last_year": last_year,
            "background": background,
            "promises": list(promises),
        }
    )
    promise_set = PromiseSet.objects.create(
        agreement=agreement,
        first_year=first_year,
        last_year=last_year,
        background=content["background"],
        content_hash=content_rules.content_hash(content),
    )
    _replace_promises(promise_set, content)
    take_set(
        agreement,
        promise_set,
        "create",
        actor,
        edge=PROMISE_SET.edge("create"),
        details={"period": promise_set.period, "promises": len(content["promises"])},
    )
    return promise_set


@transaction.atomic
def promises_save(
    *,
    set_id: int,
    author: Person,
    channel: str,
    background: str,
    promises: list[dict[str, Any]],
    seen_hash: str,
) -> PromiseSet:
    """Replace a draft's background and promises.

    ``seen_hash`` is the content hash the author started from: if the other drafter
    saved since, this is refused rather than silently overwriting their work. A
    change voids earlier approvals (they are bound to the old hash), and a set that
    was sent back becomes a draft again.
    """
    agreement, promise_set = lock(set_id)
    actor = as_drafter(author, agreement, channel)
    edge = edge_or_refuse(
        promise_set,
        "edit",
        _("Löftena kan inte ändras när de är föreslagna eller publicerade."),
        PROMISE_SET,
    )
    if seen_hash != promise_set.content_hash:
        raise StaleVersion(
            _("Löftena har ändrats sedan du började. Öppna dem igen och gör om ändringen.")
        )
    content = _valid(
        {
            "first_year": promise_set.first_year,
            "last_year": promise_set.last_year,
            "background": background,
            "promises": promises,
        }
    )
    new_hash = content_rules.content_hash(content)
    if new_hash == promise_set.content_hash:
        raise DomainError(_("Inget har ändrats. Ändra något innan du sparar."))
    old_hash = promise_set.content_hash
    promise_set.background, promise_set.content_hash = content["background"], new_hash
    _replace_promises(promise_set, content)
    take_set(
        agreement,
        promise_set,
        "edit",
        actor,
        edge=edge,
        fields=("background", "content_hash"),
        details={
            "period": promise_set.period,
            "promises": len(content["promises"]),
            "previous_hash": old_hash,
        },
    )
    return promise_set


def _approved_roles(promise_set: PromiseSet) -> set[str]:
    return set(
        promise_set.approvals.filter(
            round=promise_set.round, content_hash=promise_set.content_hash
        ).values_list("role", flat=True)
    )


@transaction.atomic
def promise_set_approve(
    *, set_id: int, person: Person, content_hash: str, channel: str
) -> PromiseApproval:
    """A drafter approves the promises as they read them (``content_hash``); both
    drafters on the same content make the joint proposal, which opens the round
    of decision and signature."""
    agreement, promise_set = lock(set_id)
    actor = as_drafter(person, agreement, channel)
    edge_or_refuse(
        promise_set,
        "approve",
        _("Löftena är redan %(state)s.") % {"state": promise_set.get_state_display().lower()},
        PROMISE_SET,
    )
    _check_agreement(agreement)
    if content_hash != promise_set.content_hash:
        raise StaleVersion(
            _("Löftena har ändrats sedan du läste dem. Läs dem igen innan du godkänner.")
        )
    if actor.role in _approved_roles(promise_set):
        raise DomainError(_("Din roll har redan godkänt de här löftena."))
    if not promise_set.promises.exists():
        raise DomainError(_("Skriv minst ett löfte innan ni godkänner."))
    approval = PromiseApproval.objects.create(
        promise_set=promise_set,
        round=promise_set.round,
        content_hash=promise_set.content_hash,
        person=person,
        role=actor.role,
    )
    round_details = {"period": promise_set.period, "round": promise_set.round}
    take_set(agreement, promise_set, "approve", actor, details=round_details)
    if _approved_roles(promise_set) >= set(DRAFTER_ROLES):
        take_set(agreement, promise_set, "propose", actor, details=round_details)
        rounds.round_start(promise_set)
    return approval
