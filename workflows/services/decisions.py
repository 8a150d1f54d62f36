"""Decisions and signatures: the human tasks of a round.

Both functions follow the same steps: lock the agreement, re-check the task,
the state, the person's role and the version hash under the lock, spend the
link's token if there is one, record, write the trail, tell people, and let
the flow move on. Database constraints back the rules a race could break.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task

from ..bundle_verify import record_digest
from ..decision_status import inhibited
from ..delegation_rules import delegable
from ..models import (
    ActionToken,
    Agreement,
    AppealOutcome,
    AuditEvent,
    Body,
    DecidingBody,
    Decision,
    Outcome,
    Person,
    Role,
    RoleAssignment,
    SignatoryRole,
    Signature,
    StepKind,
    TaskKind,
    Track,
    Version,
)
from ..trail_records import decision_row, identification_row, signature_row
from . import rounds
from .actors import role_in_agreement, task_actor, today
from .common import agreement_lock, paragraph_of
from .errors import DomainError, StaleVersion, WrongState
from .identity import Identification, check_signatory
from .tokens import Revoked, token_spend, tokens_revoke
from .transitions import edge_or_refuse, take

DECISION_TRACK = {
    TaskKind.MUNICIPAL_DECISION: Track.MUNICIPAL,
    TaskKind.POLICE_DECISION: Track.POLICE,
}
# The declared step each outcome takes: bifall and bordläggning leave the state.
OUTCOME_STEP = {
    Outcome.BIFALL: "record_decision",
    Outcome.BORDLAGGNING: "record_decision",
    Outcome.ATERREMISS: "remit",
    Outcome.AVSLAG: "reject",
}
SIGNATORY = {
    TaskKind.KS_SIGNATURE: SignatoryRole.KS_ORDFORANDE,
    TaskKind.LPO_SIGNATURE: SignatoryRole.LPO_CHEF,
}


# The Police decide in the line: there is no meeting to table a matter to.
POLICE_OUTCOMES = (Outcome.BIFALL, Outcome.AVSLAG, Outcome.ATERREMISS)


INHIBITED = gettext_lazy(
    "Domstolen har beslutat om inhibition: kommunens beslut får inte verkställas, så "
    "överenskommelsen kan inte undertecknas förrän inhibitionen hävs."
)


def period_over_message(agreement: Agreement) -> str:
    return _(
        "Perioden slutade %(date)s. En överenskommelse vars period har gått ut kan inte "
        "undertecknas och börja gälla. Utkastskrivarna kan skriva en ny version med en ny "
        "period."
    ) % {"date": agreement.period_end.isoformat()}


def _quashed_on(version: Version) -> int:
    """How many of the kommun's decisions on this text a court has quashed."""
    return (
        version.decisions.filter(
            track=Track.MUNICIPAL,
            steps__kind=StepKind.APPEAL_DECIDED,
            steps__appeal_outcome=AppealOutcome.QUASHED,
        )
        .distinct()
        .count()
    )


def _last_decision_day(version: Version) -> datetime.date | None:
    """The latest bifall on this text: taken here, or else registered afterwards."""
    from .registration import registered_decision_days

    days = version.decisions.filter(outcome=Outcome.BIFALL).values_list("meeting_date", flat=True)
    return max(days or registered_decision_days(version), default=None)


def police_decision_defaults(agreement: Agreement, person: Person) -> dict[str, str]:
    """The Police's form starts from who opens it (the LPO-chef, or the substitute)
    and the agreement's kommunpolis, as the decision document usually names them."""
    assignment = role_in_agreement(person, agreement, (Role.LPO_CHEF,))
    decided_by = person.name
    if assignment is not None:
        decided_by = f"{person.name}, {assignment.display_title.lower()}"
    presenter = (
        RoleAssignment.objects.active_on(today())
        .filter(role=Role.KOMMUNPOLIS, organisation_id=agreement.lokalpolisomrade_id)
        .values_list("person__name", flat=True)
        .first()
    )
    return {"decided_by": decided_by, "presenter": presenter or ""}


class TaskFinished(DomainError):
    status_code = 409


def _open_task(task_id: int, kinds) -> tuple[Task, Agreement]:
    task = Task.objects.select_related("process").get(pk=task_id)
    agreement = agreement_lock(int(task.process.artifact_object_id))
    if task.flow_task.name not in kinds:
        raise DomainError(_("Det här är inte en sådan uppgift."))
    if task.status not in rounds.OPEN_TASK:
        raise TaskFinished(_("Uppgiften är redan avslutad; inget mer behöver göras här."))
    return task, agreement


def _bound_version(agreement: Agreement, version_hash: str) -> Version:
    version = agreement.latest_version()
    if version.content_hash != version_hash:
        raise StaleVersion(
            _("Texten har ändrats: version %(n)d gäller nu. Öppna den nya länken i e-posten.")
            % {"n": version.number}
        )
    return version


def _body(agreement: Agreement, track: str) -> str:
    if track == Track.POLICE:
        return Body.LPO
    return Body.KF if agreement.deciding_body == DecidingBody.KF else Body.KS


def _proposed_on(agreement: Agreement, version: Version) -> datetime.date:
    """The day this version became the joint proposal (the latest time, after a remit)."""
    proposed = (
        AuditEvent.objects.filter(
            agreement=agreement, action="joint_proposal", version_hash=version.content_hash
        )
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(proposed) if proposed else version.created_at.date()


def _check_decision_input(
    agreement: Agreement, version: Version, track: str, fields: DecisionInput
) -> None:
    police = track == Track.POLICE
    outcomes = POLICE_OUTCOMES if police else Outcome.values
    if fields.outcome not in outcomes:
        raise DomainError(
            _("Välj ett utfall: bifall, avslag eller återremiss.")
            if police
            else _("Välj ett utfall: bifall, avslag, återremiss eller bordläggning.")
        )
    decided_on = fields.meeting_date
    if decided_on is None:
        raise DomainError(_("Ange sammanträdesdatum (eller beslutsdatum)."))
    if decided_on > today():
        raise DomainError(_("Beslutsdatumet kan inte ligga i framtiden."))
    proposed_on = _proposed_on(agreement, version)
    if decided_on < proposed_on:
        raise DomainError(
            _("Beslutet kan inte vara fattat före det gemensamma förslaget (%(date)s).")
            % {"date": proposed_on.isoformat()}
        )
    if not fields.diarienummer.strip():
        raise DomainError(
            _("Ange Polisens diarienummer.") if police else _("Ange ärendets diarienummer.")
        )
    if police and not fields.decided_by.strip():
        raise DomainError(_("Ange beslutsfattaren: lokalpolisområdeschefen eller ersättaren."))
    delegated = bool(fields.delegation_point.strip())
    if delegated:
        _check_delegation(agreement, version, track, fields)
    elif not police and not paragraph_of(fields.paragraph):
        raise DomainError(_("Ange paragrafen (§) i protokollet."))
    if fields.outcome == Outcome.BORDLAGGNING and (
        fields.next_meeting_date is None or fields.next_meeting_date <= decided_on
    ):
        raise DomainError(_("Vid bordläggning: ange det nya sammanträdesdatumet."))
    if fields.outcome == Outcome.ATERREMISS and not fields.note.strip():
        raise DomainError(_("Vid återremiss: skriv vad som ska göras om, så vet utkastskrivarna."))


def _check_delegation(
    agreement: Agreement, version: Version, track: str, fields: DecisionInput
) -> None:
    if track != Track.MUNICIPAL or not delegable(agreement, version):
        raise DomainError(
            _(
                "Bara kommunens beslut om en revidering som ändrar handlingsplanen (områden "
                "och åtgärder) kan fattas på delegation."
            )
        )
    if not fields.decided_by.strip():
        raise DomainError(_("Ange vem som beslutade på delegation."))
    if fields.outcome == Outcome.BORDLAGGNING:
        raise DomainError(_("Ett beslut på delegation kan inte bordläggas."))


@dataclass(frozen=True)
class DecisionInput:
    """What the decision form gives: a meeting's protocol for the kommun, a line
    decision for the Police (``meeting_date`` is then the beslutsdatum)."""

    outcome: str
    meeting_date: datetime.date | None
    paragraph: str = ""
    diarienummer: str = ""
    note: str = ""
    next_meeting_date: datetime.date | None = None
    decided_by: str = ""
    presenter: str = ""
    # The kommun's decision taken by a delegate (``decided_by``) on the KS's behalf.
    delegation_point: str = ""


@transaction.atomic
def decision_record(
    *,
    task_id: int,
    person: Person,
    version_hash: str,
    fields: DecisionInput,
    channel: str,
    token: ActionToken | None = None,
) -> Decision:
    """Record one track's decision on the joint proposal.

    Bifall completes the track; both bifall open signature (in the flow).
    Bordläggning keeps the task open and sends fresh links. Återremiss returns
    the agreement to drafting and avslag rejects it; either ends the round.
    """
    task, agreement = _open_task(task_id, DECISION_TRACK)
    edge_or_refuse(agreement, "record_decision", _("Överenskommelsen väntar inte på beslut."))
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    version = _bound_version(agreement, version_hash)
    track = DECISION_TRACK[task.flow_task.name]
    _check_decision_input(agreement, version, track, fields)
    if token is not None:
        token_spend(token)
    police = track == Track.POLICE
    decision = Decision.objects.create(
        agreement=agreement,
        version=version,
        version_hash=version.content_hash,
        track=track,
        body=_body(agreement, track),
        outcome=fields.outcome,
        meeting_date=fields.meeting_date,
        paragraph="" if police else paragraph_of(fields.paragraph),
        diarienummer=fields.diarienummer.strip(),
        note=fields.note.strip(),
        next_meeting_date=(
            fields.next_meeting_date if fields.outcome == Outcome.BORDLAGGNING else None
        ),
        decided_by=fields.decided_by.strip() if police or fields.delegation_point.strip() else "",
        delegation_point="" if police else fields.delegation_point.strip()[:100],
        presenter=fields.presenter.strip() if police else "",
        attempt=1 if police else 1 + _quashed_on(version),
        recorded_by=person,
    )
    row = decision_row(decision)
    event = take(
        agreement,
        OUTCOME_STEP[fields.outcome],
        actor,
        obj=decision,
        version_hash=decision.version_hash,
        # The trail says what the row says (trail_records.decision_row), and its digest.
        details={
            "number": version.number,
            **{key: value for key, value in row.items() if key not in ("id", "version_hash")},
            "row": record_digest(row),
        },
    )
    if event.from_state != event.to_state:  # avslag or återremiss ends the round
        tokens_revoke(agreement_id=agreement.pk, reason=Revoked.ROUND_ENDED)
    if fields.outcome == Outcome.BORDLAGGNING:
        rounds.task_relink(task, agreement, version)
    else:
        rounds.task_complete(task, person, agreement, version)
    return decision


@transaction.atomic
def signature_add(
    *,
    task_id: int,
    person: Person,
    version_hash: str,
    place: str,
    signed_on: datetime.date | None,
    channel: str,
    identification: Identification,
    token: ActionToken | None = None,
) -> Signature:
    """Sign the decided version, as the person ``identification`` proves is signing;
    the second signature completes the agreement."""
    check_signatory(identification, person, channel)
    task, agreement = _open_task(task_id, SIGNATORY)
    try:
        edge = edge_or_refuse(
            agreement, "add_signature", _("Överenskommelsen väntar inte på underskrift.")
        )
    except WrongState:
        # The declared guard said no: say why, if it is the period or a court.
        if agreement.signing_lapsed:
            raise WrongState(period_over_message(agreement)) from None
        if inhibited(agreement):
            raise WrongState(str(INHIBITED)) from None
        raise
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    version = _bound_version(agreement, version_hash)
    if not place.strip():
        raise DomainError(_("Ange ort, till exempel Eslöv."))
    if signed_on is None or signed_on > today():
        raise DomainError(_("Ange dagens datum eller ett tidigare datum."))
    decided_on = _last_decision_day(version)
    if decided_on is not None and signed_on < decided_on:
        raise DomainError(
            _("Underskriften kan inte vara daterad före beslutet (%(date)s).")
            % {"date": decided_on.isoformat()}
        )
    if token is not None:
        token_spend(token)
    signature = Signature.objects.create(
        agreement=agreement,
        version=version,
        version_hash=version.content_hash,
        role=SIGNATORY[task.flow_task.name],
        person=person,
        place=place.strip(),
        signed_on=signed_on,
        **identification.fields(),
    )
    take(
        agreement,
        "add_signature",
        actor,
        edge=edge,  # its guard (an inhibition?) was just asked, under the same lock
        obj=signature,
        version_hash=version.content_hash,
        details={
            "number": version.number,
            "role": signature.role,
            "place": signature.place,
            "signed_on": signed_on.isoformat(),
            **identification_row(signature),
            "row": record_digest(signature_row(signature)),
        },
    )
    rounds.task_complete(task, person, agreement, version)
    return signature
