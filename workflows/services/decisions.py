"""Decisions and signatures: the human tasks of a round.

Both functions follow the same steps: lock the agreement, re-check the task,
the state, the person's role and the version hash under the lock, spend the
link's token if there is one, record, write the trail, tell people, and let
the flow move on. Database constraints back the rules a race could break.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from ..bundle_verify import record_digest
from ..models import (
    ActionToken,
    Agreement,
    Body,
    DecidingBody,
    Decision,
    Outcome,
    Person,
    SignatoryRole,
    Signature,
    TaskKind,
    Track,
    Version,
)
from ..trail_records import decision_row, signature_row
from . import rounds
from .actors import task_actor, today
from .common import agreement_lock
from .errors import DomainError, StaleVersion
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


def _check_decision_input(
    outcome: str, meeting_date: datetime.date | None, next_meeting_date, note: str
) -> None:
    if outcome not in Outcome.values:
        raise DomainError(_("Välj ett utfall: bifall, avslag, återremiss eller bordläggning."))
    if meeting_date is None:
        raise DomainError(_("Ange sammanträdesdatum (eller beslutsdatum)."))
    if outcome == Outcome.BORDLAGGNING and (
        next_meeting_date is None or next_meeting_date <= meeting_date
    ):
        raise DomainError(_("Vid bordläggning: ange det nya sammanträdesdatumet."))
    if outcome == Outcome.ATERREMISS and not note.strip():
        raise DomainError(_("Vid återremiss: skriv vad som ska göras om, så vet utkastskrivarna."))


@transaction.atomic
def decision_record(
    *,
    task_id: int,
    person: Person,
    version_hash: str,
    outcome: str,
    meeting_date: datetime.date | None,
    channel: str,
    paragraph: str = "",
    diarienummer: str = "",
    note: str = "",
    next_meeting_date: datetime.date | None = None,
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
    _check_decision_input(outcome, meeting_date, next_meeting_date, note)
    if token is not None:
        token_spend(token)
    track = DECISION_TRACK[task.flow_task.name]
    decision = Decision.objects.create(
        agreement=agreement,
        version=version,
        version_hash=version.content_hash,
        track=track,
        body=_body(agreement, track),
        outcome=outcome,
        meeting_date=meeting_date,
        paragraph=paragraph.strip().lstrip("§").strip(),
        diarienummer=diarienummer.strip(),
        note=note.strip(),
        next_meeting_date=next_meeting_date if outcome == Outcome.BORDLAGGNING else None,
        recorded_by=person,
    )
    event = take(
        agreement,
        OUTCOME_STEP[outcome],
        actor,
        obj=decision,
        version_hash=decision.version_hash,
        details={**_decision_details(decision), "row": record_digest(decision_row(decision))},
    )
    if event.from_state != event.to_state:  # avslag or återremiss ends the round
        tokens_revoke(agreement_id=agreement.pk, reason=Revoked.ROUND_ENDED)
    if outcome == Outcome.BORDLAGGNING:
        rounds.task_relink(task, agreement, version)
    else:
        rounds.task_complete(task, person)
    return decision


def _decision_details(decision: Decision) -> dict:
    return {
        "number": decision.version.number,
        "track": decision.track,
        "body": decision.body,
        "outcome": decision.outcome,
        "meeting_date": decision.meeting_date.isoformat(),
        "paragraph": decision.paragraph,
        "diarienummer": decision.diarienummer,
        "note": decision.note,
        "next_meeting_date": (
            decision.next_meeting_date.isoformat() if decision.next_meeting_date else None
        ),
    }


@transaction.atomic
def signature_add(
    *,
    task_id: int,
    person: Person,
    version_hash: str,
    place: str,
    signed_on: datetime.date | None,
    channel: str,
    token: ActionToken | None = None,
) -> Signature:
    """Sign the decided version; the second signature completes the agreement."""
    task, agreement = _open_task(task_id, SIGNATORY)
    edge_or_refuse(agreement, "add_signature", _("Överenskommelsen väntar inte på underskrift."))
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    version = _bound_version(agreement, version_hash)
    if not place.strip():
        raise DomainError(_("Ange ort, till exempel Eslöv."))
    if signed_on is None or signed_on > today():
        raise DomainError(_("Ange dagens datum eller ett tidigare datum."))
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
    )
    take(
        agreement,
        "add_signature",
        actor,
        obj=signature,
        version_hash=version.content_hash,
        details={
            "number": version.number,
            "role": signature.role,
            "place": signature.place,
            "signed_on": signed_on.isoformat(),
            "row": record_digest(signature_row(signature)),
        },
    )
    rounds.task_complete(task, person)
    return signature
