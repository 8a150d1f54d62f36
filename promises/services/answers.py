"""The KS-ordförande's and the LPO-chef's answers: decide and sign, or send back.

Both follow the steps of ``workflows.services.decisions``: lock the agreement and
the set, re-check the task, the state, the person's role and the content hash
under the lock, spend the link's token if there is one, record, write the trail,
tell people, and let the flow move on. A database constraint allows one answer
per role and round, whatever a race does.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from workflows.agreement_lifecycle import AGREEMENT, ENDED
from workflows.models import ActionToken, Agreement, Person, SignatoryRole
from workflows.services.actors import task_actor, today
from workflows.services.decisions import TaskFinished
from workflows.services.errors import DomainError, StaleVersion, WrongState
from workflows.services.identity import Identification, check_signatory
from workflows.services.rounds import OPEN_TASK
from workflows.services.tokens import Revoked, token_spend
from workflows.services.transitions import edge_or_refuse
from workflows.trail_records import identification_row

from ..lifecycle import PROMISE_SET
from ..models import Answer, PromiseAnswer, PromiseSet
from . import rounds
from .common import PROMISE_KINDS, SIGNATORY, lock, take_set


def _open_task(task_id: int) -> tuple[Task, Agreement, PromiseSet]:
    task = Task.objects.select_related("process").get(pk=task_id)
    kind = task.flow_task.name if task.flow_task else ""
    if kind not in PROMISE_KINDS:
        raise DomainError(_("Det här är inte en uppgift om medborgarlöften."))
    agreement, promise_set = lock(rounds.set_id_of(task.process))
    if task.status not in OPEN_TASK:
        raise TaskFinished(_("Uppgiften är redan avslutad; inget mer behöver göras här."))
    edge_or_refuse(
        promise_set,
        "sign",
        _("Medborgarlöftena väntar inte på beslut och underskrift."),
        PROMISE_SET,
    )
    return task, agreement, promise_set


def _check_bound(promise_set: PromiseSet, content_hash: str) -> None:
    if content_hash != promise_set.content_hash:
        raise StaleVersion(
            _("Löftena har ändrats sedan länken skickades. Använd länken i det senaste e-brevet.")
        )


def _answer_details(answer: PromiseAnswer) -> dict:
    details = {
        "period": answer.promise_set.period,
        "round": answer.round,
        "role": answer.role,
        "answer": answer.answer,
    }
    if answer.signed:
        details.update(place=answer.place, signed_on=answer.signed_on.isoformat())
        if answer.delegation_point:
            details["delegation_point"] = answer.delegation_point
        if answer.identified_by:
            details.update(identification_row(answer))
    else:
        details.update(reason=answer.reason)
    return details


@transaction.atomic
def promises_sign(
    *,
    task_id: int,
    person: Person,
    content_hash: str,
    place: str,
    signed_on: datetime.date | None,
    channel: str,
    identification: Identification,
    token: ActionToken | None = None,
    delegation_point: str = "",
) -> PromiseAnswer:
    """Decide and sign the proposed promises, as the person ``identification``
    proves is signing; the second signature publishes them.
    The KS-ordförande who decides by delegation names the delegationsordning's point:
    the nämndsekreterare then reports the decision to the KS (the anmälan task)."""
    check_signatory(identification, person, channel)
    task, agreement, promise_set = _open_task(task_id)
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    _check_bound(promise_set, content_hash)
    if AGREEMENT.has(agreement.state, ENDED):
        raise WrongState(_("Överenskommelsen gäller inte längre; löftena kan inte undertecknas."))
    if not place.strip():
        raise DomainError(_("Ange ort, till exempel Höör."))
    if signed_on is None or signed_on > today():
        raise DomainError(_("Ange dagens datum eller ett tidigare datum."))
    role = SIGNATORY[task.flow_task.name]
    if delegation_point.strip() and role != SignatoryRole.KS_ORDFORANDE:
        raise DomainError(_("Bara kommunstyrelsens ordförande beslutar på delegation här."))
    if token is not None:
        token_spend(token)
    answer = PromiseAnswer.objects.create(
        promise_set=promise_set,
        round=promise_set.round,
        content_hash=promise_set.content_hash,
        role=role,
        answer=Answer.SIGNED,
        person=person,
        place=place.strip(),
        signed_on=signed_on,
        delegation_point=delegation_point.strip()[:100],
        **identification.fields(),
    )
    take_set(
        agreement,
        promise_set,
        "sign",
        actor,
        version_hash=answer.content_hash,
        details=_answer_details(answer),
        subject=answer,
    )
    rounds.task_complete(task, person, promise_set)
    return answer


@transaction.atomic
def promises_return(
    *,
    task_id: int,
    person: Person,
    content_hash: str,
    reason: str,
    channel: str,
    token: ActionToken | None = None,
) -> PromiseAnswer:
    """Send the proposal back to the drafters with a reason. The round ends: the
    other signatory's task closes and every link of the round stops working."""
    task, agreement, promise_set = _open_task(task_id)
    actor = task_actor(person, agreement, task.flow_task.name, channel)
    _check_bound(promise_set, content_hash)
    if not reason.strip():
        raise DomainError(_("Skriv vad som behöver ändras, så vet skribenterna vad de ska göra."))
    if token is not None:
        token_spend(token)
    answer = PromiseAnswer.objects.create(
        promise_set=promise_set,
        round=promise_set.round,
        content_hash=promise_set.content_hash,
        role=SIGNATORY[task.flow_task.name],
        answer=Answer.RETURNED,
        person=person,
        reason=reason.strip(),
    )
    rounds.round_tokens_revoke(promise_set, Revoked.ROUND_ENDED)
    promise_set.round += 1  # approvals and answers count only in their round
    take_set(
        agreement,
        promise_set,
        "send_back",
        actor,
        version_hash=answer.content_hash,
        fields=("round",),
        details=_answer_details(answer),
        subject=answer,
    )
    rounds.task_complete(task, person, promise_set)
    return answer
