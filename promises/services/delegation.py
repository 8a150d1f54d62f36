"""A delegated medborgarlöften decision after it is taken: the nämndsekreterare
records its anmälan to the kommunstyrelsen (the task of the round), then confirms
laga kraft once the appeal window has run (``promises/delegation.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.legal_dates import last_appeal_day
from workflows.models import Agreement, Person, Role, RoleAssignment, TaskKind
from workflows.services.actors import Actor, role_in_agreement, task_actor, today
from workflows.services.common import paragraph_of
from workflows.services.errors import DomainError, NotPermitted

from ..delegation import delegated_decision
from ..models import DelegationStep, DelegationStepKind
from . import rounds
from .common import lock, take_set


@dataclass(frozen=True)
class AnmalanInput:
    meeting_date: datetime.date | None  # the KS meeting the decision was anmäld at
    paragraph: str
    announced_on: datetime.date | None  # the tillkännagivande the appeal runs from
    announced_separately: bool = False
    url: str = ""


def _decision_or_refuse(promise_set):
    decision = delegated_decision(promise_set)
    if decision is None:
        raise DomainError(_("Medborgarlöftena är inte beslutade på delegation."))
    return decision


@transaction.atomic
def anmalan_record(*, set_id: int, person: Person, fields: AnmalanInput, channel: str):
    """The delegated decision was anmält at a KS meeting and announced: the appeal
    window runs from the announcement. Completes the nämndsekreterare's task."""
    agreement, promise_set = lock(set_id)
    task = rounds.open_tasks(promise_set).filter(flow_task=_anmalan_node()).first()
    if task is None:
        raise DomainError(_("Det finns ingen anmälan att registrera för de här löftena."))
    actor = task_actor(person, agreement, TaskKind.PROMISES_ANMALAN, channel)
    decision = _decision_or_refuse(promise_set)
    decided_on = decision.answer.signed_on
    meeting, announced = fields.meeting_date, fields.announced_on
    if meeting is None or announced is None:
        raise DomainError(_("Ange sammanträdesdatum och dagen för tillkännagivandet."))
    if not paragraph_of(fields.paragraph):
        raise DomainError(_("Ange paragrafen (§) där beslutet anmäldes."))
    if max(meeting, announced) > today():
        raise DomainError(_("Datumet kan inte ligga i framtiden."))
    if meeting < decided_on:
        raise DomainError(
            _("Beslutet kan inte anmälas före det fattades (%(date)s).")
            % {"date": decided_on.isoformat()}
        )
    earliest = decided_on if fields.announced_separately else meeting
    if announced < earliest:
        raise DomainError(
            _("Tillkännagivandet kan inte ligga före %(date)s.") % {"date": earliest.isoformat()}
        )
    step = DelegationStep.objects.create(
        promise_set=promise_set,
        answer=decision.answer,
        kind=DelegationStepKind.ANMALAN,
        on=meeting,
        paragraph=paragraph_of(fields.paragraph),
        announced_on=announced,
        announced_separately=fields.announced_separately,
        url=fields.url.strip(),
        recorded_by=person,
    )
    _take(agreement, promise_set, actor, step)
    rounds.task_complete(task, person, promise_set)
    return step


def secretary(person: Person | None, agreement: Agreement) -> RoleAssignment | None:
    """The person's role as the kommun's nämndsekreterare (or a substitute), if any:
    who records what befalls the delegated decision."""
    if person is None:
        return None
    assignment = role_in_agreement(person, agreement, (Role.NAMNDSEKRETERARE,))
    return assignment if assignment and assignment.organisation_id == agreement.kommun_id else None


@transaction.atomic
def laga_kraft_confirm(*, set_id: int, person: Person, on: datetime.date | None, channel: str):
    """No appeal came in: the delegated decision has laga kraft from ``on``."""
    agreement, promise_set = lock(set_id)
    assignment = secretary(person, agreement)
    if assignment is None:
        raise NotPermitted(_("Bara kommunens nämndsekreterare bekräftar laga kraft."))
    decision = _decision_or_refuse(promise_set)
    if on is None or on > today():
        raise DomainError(_("Ange dagens datum eller ett tidigare datum."))
    if decision.laga_kraft is not None:
        raise DomainError(_("Det är redan registrerat."))
    if not decision.may_confirm_laga_kraft(on):
        if decision.anmalan is None:
            raise DomainError(_("Registrera anmälan först: överklagandetiden räknas från den."))
        raise DomainError(
            _("Överklagandetiden går ut %(date)s; laga kraft kan bekräftas dagen efter.")
            % {"date": decision.last_appeal_day.isoformat()}
        )
    step = DelegationStep.objects.create(
        promise_set=promise_set,
        answer=decision.answer,
        kind=DelegationStepKind.LAGA_KRAFT,
        on=on,
        recorded_by=person,
    )
    _take(
        agreement, promise_set, Actor(person=person, channel=channel, assignment=assignment), step
    )
    return step


def _take(agreement, promise_set, actor, step: DelegationStep) -> None:
    details = {
        "period": promise_set.period,
        "round": step.answer.round,
        "delegation_step": step.kind,
        "on": step.on.isoformat(),
    }
    if step.kind == DelegationStepKind.ANMALAN:
        details.update(
            paragraph=step.paragraph,
            announced_on=step.announced_on.isoformat(),
            last_appeal_day=last_appeal_day(step.announced_on).isoformat(),
        )
        if step.announced_separately:
            details["announced_separately"] = True
        if step.url:
            details["url"] = step.url
    take_set(
        agreement,
        promise_set,
        "record_delegation_step",
        actor,
        details=details,
        subject=step,
    )


def _anmalan_node():
    from ..flows import PromiseFlow

    return PromiseFlow.promises_anmalan
