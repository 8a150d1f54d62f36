"""What happens to the kommun's decision after the meeting: justering and anslag,
the protokollsutdrag, laga kraft, an appeal and its outcome, an inhibition.

The nämndsekreterare records them: justering (with the anslag, if it is up) as a
task of the round, from the e-mail link or the inbox; the rest from the decision's
page. Each is an append-only ``DecisionStep`` and a trail event through a declared
edge; ``decision_status.py`` reads where the decision stands from them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..decision_status import municipal_ready_for_signing, standing_bifall, status_of
from ..models import (
    ActionToken,
    Agreement,
    AppealOutcome,
    Decision,
    DecisionStep,
    Outcome,
    Person,
    Role,
    StepKind,
    TaskKind,
    Track,
)
from . import rounds
from .actors import Actor, role_in_agreement, task_actor, today
from .common import agreement_lock, paragraph_of
from .decisions import _bound_version, _open_task
from .errors import DomainError, NotPermitted
from .tokens import token_spend
from .transitions import edge_or_refuse, take

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class StepInput:
    """One step as the forms give it; which fields count depends on ``kind``."""

    kind: str
    on: datetime.date | None
    names: str = ""  # the justerare; the court of an appeal
    paragraph: str = ""  # the § a delegated decision was anmäld in
    url: str = ""
    case_number: str = ""
    appeal_outcome: str = ""
    note: str = ""
    document: bytes = b""
    document_name: str = ""


# -- justering, as a task of the round ---------------------------------------------------


@transaction.atomic
def justering_record(
    *,
    task_id: int,
    person: Person,
    version_hash: str,
    justerad_on: datetime.date | None,
    justerare: str,
    anslag_on: datetime.date | None,
    anslag_url: str,
    channel: str,
    token: ActionToken | None = None,
    paragraph: str = "",
) -> DecisionStep:
    """The protocol with the kommun's bifall is justerad (and perhaps announced); for
    a decision taken by delegation, the KS meeting it was anmäld at (and the §).
    Signing may start once the kommun's rule is met (``municipal_ready_for_signing``);
    until then the task stays open with a fresh link."""
    task, agreement = _open_task(task_id, (TaskKind.MUNICIPAL_PROTOCOL,))
    edge_or_refuse(agreement, "record_justering", _("Överenskommelsen väntar inte på beslut."))
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    version = _bound_version(agreement, version_hash)
    decision = standing_bifall(agreement, Track.MUNICIPAL)
    if decision is None:
        raise DomainError(_("Det finns inget bifall från kommunen att justera."))
    status = status_of(decision)
    if token is not None:
        token_spend(token)
    recorded = status.protocol
    if recorded is None:
        step = (
            StepInput(StepKind.ANMALAN, justerad_on, paragraph=paragraph)
            if status.delegated
            else StepInput(StepKind.JUSTERING, justerad_on, justerare)
        )
        recorded = _record(agreement, decision, actor, step, edge="record_justering")
    if anslag_on is not None and status.anslag is None:
        _record(
            agreement,
            decision,
            actor,
            StepInput(StepKind.ANSLAG, anslag_on, url=anslag_url),
            edge="record_decision_step",
        )
    if municipal_ready_for_signing(agreement.pk):
        rounds.task_complete(task, person, agreement, version)
    else:
        rounds.task_relink(task, agreement, version)
    return recorded


# -- the other steps, from the decision's page -----------------------------------------


@transaction.atomic
def step_record(*, decision_id: int, person: Person, fields: StepInput, channel: str):
    """Anslag, protokollsutdrag, laga kraft, an appeal, its outcome, an inhibition."""
    decision = Decision.objects.select_related("agreement").get(pk=decision_id)
    agreement = agreement_lock(decision.agreement_id)
    actor = recorder(person, agreement, decision, channel)
    if decision.outcome != Outcome.BIFALL:
        raise DomainError(_("Bara ett bifall justeras, anslås och kan överklagas här."))
    if decision.track == Track.POLICE and fields.kind != StepKind.EXTRACT:
        raise DomainError(_("Polisens beslut är ett linjebeslut: här laddas bara beslutet upp."))
    if fields.kind == StepKind.JUSTERING:
        raise DomainError(_("Justeringen registreras i uppgiften för justering."))
    status = status_of(decision, fresh=True)
    if status.quashed:
        raise DomainError(_("Beslutet har upphävts; inget mer registreras på det."))
    if fields.kind == StepKind.APPEAL_DECIDED and fields.appeal_outcome == AppealOutcome.QUASHED:
        return _quash(agreement, decision, actor, fields)
    edge_or_refuse(
        agreement,
        "record_decision_step",
        _("Överenskommelsen är %(state)s; beslutet kan inte längre kompletteras.")
        % {"state": agreement.get_state_display().lower()},
    )
    step = _record(agreement, decision, actor, fields, edge="record_decision_step")
    if fields.kind == StepKind.LAGA_KRAFT:
        rounds.protocol_ready(agreement, actor.person)
    return step


def recorder(person: Person, agreement: Agreement, decision: Decision, channel: str) -> Actor:
    """Who records what befalls a decision: for the kommun's, its nämndsekreterare;
    for the Police's (its decision document), the LPO-chef or the kommunpolis. A
    substitute for either acts too."""
    if decision.track == Track.POLICE:
        roles, org, refusal = (
            (Role.LPO_CHEF, Role.KOMMUNPOLIS),
            agreement.lokalpolisomrade_id,
            _("Bara Polisen laddar upp Polisens beslut."),
        )
    else:
        roles, org, refusal = (
            (Role.NAMNDSEKRETERARE,),
            agreement.kommun_id,
            _("Bara kommunens nämndsekreterare registrerar justering och anslag."),
        )
    assignment = role_in_agreement(person, agreement, roles)
    if assignment is None or assignment.organisation_id != org:
        raise NotPermitted(refusal)
    return Actor(person=person, channel=channel, assignment=assignment)


def _quash(agreement: Agreement, decision: Decision, actor: Actor, fields: StepInput):
    """The court quashed the kommun's decision: before signing the round goes back to
    the kommun's decision; after it, the parties are told and choose what to do."""
    edge = edge_or_refuse(
        agreement,
        "quash_decision",
        _("Överenskommelsen är %(state)s; ett upphävande kan inte registreras nu.")
        % {"state": agreement.get_state_display().lower()},
    )
    step = _check_and_create(decision, actor, fields)
    take(
        agreement,
        "quash_decision",
        actor,
        edge=edge,
        obj=step,
        version_hash=decision.version_hash,
        details=_details(decision, step),
    )
    if edge.changes_state:
        rounds.round_cancel(agreement, rounds.Withdrawn.REDECIDE)
        rounds.round_redecide(agreement)
    return step


# -- one step: check, create, record ----------------------------------------------------


def _record(agreement, decision, actor, fields: StepInput, *, edge: str) -> DecisionStep:
    step = _check_and_create(decision, actor, fields)
    # The e-mails read the agreement through both: the locked one, not a fresh read.
    step.agreement = decision.agreement = agreement
    take(
        agreement,
        edge,
        actor,
        obj=step,
        version_hash=decision.version_hash,
        details=_details(decision, step),
    )
    return step


def _check_and_create(decision: Decision, actor: Actor, fields: StepInput) -> DecisionStep:
    _check(decision, fields)
    document = bytes(fields.document or b"")
    return DecisionStep.objects.create(
        agreement_id=decision.agreement_id,
        decision=decision,
        kind=fields.kind,
        on=fields.on,
        names=fields.names.strip(),
        paragraph=paragraph_of(fields.paragraph),
        url=fields.url.strip(),
        case_number=fields.case_number.strip(),
        appeal_outcome=fields.appeal_outcome,
        note=fields.note.strip(),
        document=document,
        document_name=fields.document_name.strip()[:200],
        document_sha256=hashlib.sha256(document).hexdigest() if document else "",
        recorded_by=actor.person,
    )


def _check(decision: Decision, fields: StepInput) -> None:
    status = status_of(decision, fresh=True)
    if fields.on is None:
        raise DomainError(_("Ange datumet, till exempel 2023-04-20."))
    if fields.on > today():
        raise DomainError(_("Datumet kan inte ligga i framtiden."))
    if fields.on < decision.meeting_date:
        raise DomainError(
            _("Datumet kan inte ligga före sammanträdet (%(date)s).")
            % {"date": decision.meeting_date.isoformat()}
        )
    kind = fields.kind
    if kind == StepKind.JUSTERING and not fields.names.strip():
        raise DomainError(_("Ange justerarnas namn."))
    if (kind == StepKind.ANMALAN) != status.delegated and kind in (
        StepKind.JUSTERING,
        StepKind.ANMALAN,
    ):
        raise DomainError(
            _("Ett beslut på delegation anmäls till kommunstyrelsen; det justeras inte.")
            if status.delegated
            else _("Bara ett beslut på delegation anmäls till kommunstyrelsen.")
        )
    if kind == StepKind.ANMALAN and not paragraph_of(fields.paragraph):
        raise DomainError(_("Ange paragrafen (§) där beslutet anmäldes."))
    if kind == StepKind.ANSLAG:
        protocol = status.protocol
        # A delegated decision may be announced on its own, before its anmälan.
        if protocol is None and not status.delegated:
            raise DomainError(_("Registrera justeringen först: anslaget tillkännager den."))
        if protocol is not None and fields.on < protocol.on:
            raise DomainError(
                _("Anslaget kan inte ligga före justeringen (%(date)s).")
                % {"date": protocol.on.isoformat()}
            )
    if kind in (StepKind.JUSTERING, StepKind.ANMALAN, StepKind.ANSLAG, StepKind.LAGA_KRAFT):
        if getattr(status, kind) is not None:
            raise DomainError(_("Det är redan registrerat."))
    if kind == StepKind.LAGA_KRAFT and not status.may_confirm_laga_kraft(fields.on):
        raise DomainError(_laga_kraft_refusal(status))
    if kind == StepKind.APPEAL and not (fields.names.strip() and fields.case_number.strip()):
        raise DomainError(_("Ange domstolen och målnumret."))
    if kind == StepKind.APPEAL_DECIDED:
        if not status.appeal_pending:
            raise DomainError(_("Det finns inget överklagande som väntar på avgörande."))
        if fields.appeal_outcome not in AppealOutcome.values:
            raise DomainError(_("Välj hur domstolen avgjorde målet."))
    if kind == StepKind.INHIBITION and (not status.appeal_pending or status.inhibited):
        raise DomainError(_("Inhibition kan bara registreras i ett pågående mål."))
    if kind == StepKind.INHIBITION_LIFTED and not status.inhibited:
        raise DomainError(_("Det finns ingen inhibition att häva."))
    if kind == StepKind.EXTRACT:
        if not fields.document:
            raise DomainError(_("Välj dokumentet (en PDF-fil)."))
        if len(fields.document) > MAX_DOCUMENT_BYTES:
            raise DomainError(_("Filen är större än 20 MB."))
        if not bytes(fields.document).startswith(b"%PDF-"):
            raise DomainError(_("Filen är inte en PDF."))


def _laga_kraft_refusal(status) -> str:
    if status.anslag is None:
        return _("Registrera anslaget först: överklagandetiden räknas från det.")
    if status.appeal_pending:
        return _("Beslutet har överklagats; det vinner laga kraft först när målet är avgjort.")
    return _("Överklagandetiden går ut %(date)s; laga kraft kan bekräftas dagen efter.") % {
        "date": status.last_appeal_day.isoformat()
    }


def _details(decision: Decision, step: DecisionStep) -> dict:
    details = {
        "number": decision.version.number,
        "decision": decision.pk,
        "step": step.kind,
        "on": step.on.isoformat(),
    }
    optional = {
        "justerare": step.names if step.kind == StepKind.JUSTERING else "",
        "paragraph": step.paragraph,
        "court": step.names if step.kind == StepKind.APPEAL else "",
        "url": step.url,
        "case_number": step.case_number,
        "appeal_outcome": step.appeal_outcome,
        "note": step.note,
        "document_name": step.document_name,
        "document_sha256": step.document_sha256,
    }
    details.update({key: value for key, value in optional.items() if value})
    if step.kind == StepKind.ANSLAG:
        details["last_appeal_day"] = status_of(decision, fresh=True).last_appeal_day.isoformat()
    return details
