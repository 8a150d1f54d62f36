"""A round of decision and signature on a set of promises: the bridge between
the rules and viewflow (``promises/flows.py``).

The flow calls these when it creates the two tasks and when both have signed;
the answer services call ``task_complete`` to move the flow on. Everything here
runs inside the caller's transaction, under the agreement's and the set's locks.
"""

from __future__ import annotations

from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.models import Person, TaskKind
from workflows.services.actors import SYSTEM, task_assignments, user_for
from workflows.services.rounds import human_tasks_open, running_process, task_execute_as
from workflows.services.tokens import Revoked, token_issue, tokens_revoke

from ..lifecycle import PROMISE_SET
from ..models import PromiseProcess, PromiseSet
from . import notify
from .common import PROMISE_KINDS, lock, take_set


def set_id_of(process) -> int:
    return int(process.artifact_object_id)


def set_state(process) -> str:
    return PromiseSet.objects.values_list("state", flat=True).get(pk=set_id_of(process))


def open_process(promise_set: PromiseSet) -> PromiseProcess | None:
    return running_process(PromiseProcess, promise_set)


def open_tasks(promise_set: PromiseSet):
    return human_tasks_open(open_process(promise_set))


def round_start(promise_set: PromiseSet) -> None:
    from ..flows import PromiseFlow

    PromiseFlow.start.run(promise_set=promise_set)


def task_assignee(process, kind: str):
    promise_set = PromiseSet.objects.select_related("agreement").get(pk=set_id_of(process))
    assignments = task_assignments(promise_set.agreement, kind)
    return user_for(assignments[0].person) if assignments else None


def task_opened(task: Task) -> None:
    """A link to everyone who may act on the new task (substitutes too)."""
    promise_set = PromiseSet.objects.select_related(
        "agreement__kommun", "agreement__lokalpolisomrade"
    ).get(pk=set_id_of(task.process))
    for assignment in task_assignments(promise_set.agreement, task.flow_task.name):
        task_link_send(task, promise_set, assignment.person, reason="opened")


def delegated(process) -> bool:
    """The KS-ordförande decided this round by delegation (the anmälan task follows)."""
    from ..delegation import delegated_answers

    return delegated_answers(PromiseSet.objects.get(pk=set_id_of(process))).exists()


def task_link_send(task: Task, promise_set: PromiseSet, person: Person, reason: str) -> None:
    if task.flow_task.name == TaskKind.PROMISES_ANMALAN:
        # Recorded on the set's page, logged in: the e-mail carries no secret link.
        notify.anmalan_task(promise_set=promise_set, person=person, reason=reason)
        return
    token = token_issue(
        agreement=promise_set.agreement,
        person=person,
        kind=task.flow_task.name,
        task_id=task.pk,
        version_hash=promise_set.content_hash,
    )
    notify.task_link(promise_set=promise_set, task=task, person=person, token=token, reason=reason)


def task_complete(task: Task, person: Person, promise_set: PromiseSet) -> None:
    """Complete a human task as the person who acted and let the flow move on;
    the links of everyone else who could have done it stop working."""
    task_execute_as(task, person)
    tokens_revoke(
        agreement_id=promise_set.agreement_id,
        reason=Revoked.TASK_DONE,
        task_id=task.pk,
        kinds=PROMISE_KINDS,
    )


def round_tokens_revoke(promise_set: PromiseSet, reason: str) -> None:
    """Every open link of this set's round (not of other sets on the same agreement)."""
    process = open_process(promise_set)
    if process is None:
        return
    for task_id in process.task_set.values_list("pk", flat=True):
        tokens_revoke(
            agreement_id=promise_set.agreement_id,
            reason=reason,
            task_id=task_id,
            kinds=PROMISE_KINDS,
        )


def promises_publish(process) -> None:
    """Both signed: the promises are published."""
    agreement, promise_set = lock(set_id_of(process))
    promise_set.published_at = timezone.now()
    signatures = promise_set.answers.filter(round=promise_set.round).order_by("role")
    take_set(
        agreement,
        promise_set,
        "publish",
        SYSTEM,
        fields=("published_at",),
        details={
            "period": promise_set.period,
            "round": promise_set.round,
            "signatures": [
                {"role": s.role, "place": s.place, "signed_on": s.signed_on.isoformat()}
                for s in signatures
            ],
        },
    )
    round_tokens_revoke(promise_set, Revoked.ROUND_ENDED)


def rounds_withdraw(agreement) -> None:
    """The agreement was terminated or expired (under its lock): every medborgarlöften
    round still waiting on it ends, its tasks closed, its links revoked, people told."""
    from ..flows import PromiseFlow

    sets = PromiseSet.objects.select_for_update().filter(
        PROMISE_SET.q_can("withdraw"), agreement=agreement
    )
    for promise_set in sets:
        process = open_process(promise_set)
        round_tokens_revoke(promise_set, Revoked.ROUND_ENDED)
        if process is not None:
            PromiseFlow.instance.cancel(process)
        take_set(
            agreement,
            promise_set,
            "withdraw",
            SYSTEM,
            details={"period": promise_set.period, "round": promise_set.round},
        )
