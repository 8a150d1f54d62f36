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

from workflows.models import Agreement, AgreementKind, AgreementState, Person
from workflows.models.organisations import DRAFTER_ROLES
from workflows.services.actors import Actor
from workflows.services.common import agreement_lock
from workflows.services.errors import DomainError, StaleVersion, WrongState
from workflows.services.trail import event_record

from .. import content as content_rules
from ..models import EDITABLE_STATES, Promise, PromiseApproval, PromiseSet, PromiseSetState
from . import notify, rounds
from .common import as_drafter, lock

PROMISE_AGREEMENT_KINDS = (AgreementKind.OPERATIONAL, AgreementKind.ONE_PART)
ENDED_STATES = (AgreementState.REJECTED, AgreementState.EXPIRED, AgreementState.TERMINATED)


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
    if agreement.state in ENDED_STATES:
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
    event_record(
        agreement=agreement,
        actor=actor,
        action="promises_created",
        obj=promise_set,
        to_state=promise_set.state,
        version_hash=promise_set.content_hash,
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
    if promise_set.state not in EDITABLE_STATES:
        raise WrongState(_("Löftena kan inte ändras när de är föreslagna eller publicerade."))
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
    from_state, old_hash = promise_set.state, promise_set.content_hash
    if promise_set.state == PromiseSetState.RETURNED:
        promise_set.reopen()
    promise_set.background, promise_set.content_hash = content["background"], new_hash
    promise_set.save(update_fields=["state", "background", "content_hash"])
    _replace_promises(promise_set, content)
    event = event_record(
        agreement=agreement,
        actor=actor,
        action="promises_changed",
        obj=promise_set,
        from_state=from_state,
        to_state=promise_set.state,
        version_hash=new_hash,
        details={
            "period": promise_set.period,
            "promises": len(content["promises"]),
            "previous_hash": old_hash,
        },
    )
    notify.promises_changed(event, promise_set)
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
    if promise_set.state not in EDITABLE_STATES:
        raise WrongState(
            _("Löftena är redan %(state)s.") % {"state": promise_set.get_state_display().lower()}
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
    event = event_record(
        agreement=agreement,
        actor=actor,
        action="promises_approved",
        obj=promise_set,
        version_hash=promise_set.content_hash,
        details={"period": promise_set.period, "round": promise_set.round},
    )
    notify.promises_approved(event, promise_set)
    if _approved_roles(promise_set) >= set(DRAFTER_ROLES):
        _propose(agreement, promise_set, actor)
    return approval


def _propose(agreement: Agreement, promise_set: PromiseSet, actor: Actor) -> None:
    from_state = promise_set.state
    promise_set.propose()
    promise_set.save(update_fields=["state"])
    event = event_record(
        agreement=agreement,
        actor=actor,
        action="promises_proposed",
        obj=promise_set,
        from_state=from_state,
        to_state=promise_set.state,
        version_hash=promise_set.content_hash,
        details={"period": promise_set.period, "round": promise_set.round},
    )
    notify.promises_proposed(event, promise_set)
    rounds.round_start(promise_set)
