"""A decision-and-signature round: the bridge between the rules and viewflow.

The flow (workflows/flows.py) calls these when it creates tasks and when both
decisions or both signatures are in; the decision and signature services call
``task_complete`` to move the flow on. Every function here runs inside the
caller's transaction, under the agreement's row lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from ..models import ActionToken, Agreement, AgreementProcess, Person, Version
from . import notify
from .actors import SYSTEM, task_assignments, user_for
from .common import agreement_lock
from .sealing import seal_after_commit
from .tokens import Revoked, token_issue, tokens_open, tokens_revoke
from .transitions import take

OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _agreement_id(process) -> int:
    return int(process.artifact_object_id)


@dataclass
class _InHand:
    agreement: Agreement
    version: Version | None = None


_IN_HAND: ContextVar[_InHand | None] = ContextVar("agreement_in_hand", default=None)


@contextmanager
def flow_moves(agreement: Agreement, version: Version | None = None) -> Iterator[None]:
    """While a service moves the flow, the flow's callbacks (gateways, assignees, new
    tasks, signing) use the agreement it has locked, with the state it has just
    saved, and its latest version, instead of reading each again: a bifall that opens
    signing read the agreement five times and its version three."""
    token = _IN_HAND.set(_InHand(agreement, version))
    try:
        yield
    finally:
        _IN_HAND.reset(token)


def _agreement(process, lock: bool = False) -> Agreement:
    """The process's agreement: the one in hand, or read (and locked) now."""
    held = _IN_HAND.get()
    if held is not None and held.agreement.pk == _agreement_id(process):
        return held.agreement
    if lock:
        return agreement_lock(_agreement_id(process))
    return Agreement.objects.select_related("kommun", "lokalpolisomrade").get(
        pk=_agreement_id(process)
    )


def _latest_version(agreement: Agreement) -> Version:
    held = _IN_HAND.get()
    if held is None or held.agreement is not agreement:
        return agreement.latest_version()
    if held.version is None:
        held.version = agreement.latest_version()
    return held.version


def agreement_state(process) -> str:
    return _agreement(process).state


def running_process(process_class, artifact):
    """The running process of ``process_class`` whose artifact is ``artifact``."""
    return process_class.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(type(artifact)),
        artifact_object_id=artifact.pk,
        status=PROCESS.NEW,
    ).first()


def human_tasks_open(process):
    if process is None:
        return Task.objects.none()
    return process.task_set.filter(flow_task_type="HUMAN", status__in=OPEN_TASK)


def open_process(agreement: Agreement) -> AgreementProcess | None:
    return running_process(AgreementProcess, agreement)


def open_tasks(agreement: Agreement):
    return human_tasks_open(open_process(agreement))


def round_start(agreement: Agreement) -> None:
    from ..flows import AgreementFlow

    with flow_moves(agreement):
        AgreementFlow.start.run(agreement=agreement)


def signing_round_start(agreement: Agreement) -> None:
    """Registered afterwards, decided but not signed: the round starts at signing."""
    from ..flows import AgreementFlow

    with flow_moves(agreement):
        AgreementFlow.sign_registered.run(agreement=agreement)


def round_redecide(agreement: Agreement) -> None:
    """A new round with only the kommun's decision open (the Police's stands)."""
    from ..flows import AgreementFlow

    with flow_moves(agreement):
        AgreementFlow.redecide.run(agreement=agreement)


class Withdrawn:
    """Why a round's links stop working, as the e-mail to their holders says it."""

    NEW_VERSION = "new_version"  # a new link comes with the next joint proposal
    ENDED = "ended"  # the agreement ended: nothing more to do
    REDECIDE = "redecide"  # a court quashed the decision: a new round opens


def round_cancel(agreement: Agreement, why: str, new_version: int | None = None) -> None:
    """Close the round's tasks and every link, and tell each holder of a live link
    why (``Withdrawn``; ``new_version`` is the number of the version that replaced
    the proposal)."""
    from ..flows import AgreementFlow

    holders = links_held(agreement)
    process = open_process(agreement)
    if process is not None:
        AgreementFlow.instance.cancel(process)
    reason = Revoked.NEW_VERSION if why == Withdrawn.NEW_VERSION else Revoked.ROUND_ENDED
    tokens_revoke(agreement_id=agreement.pk, reason=reason)
    notify.links_withdrawn(agreement, holders, why, new_version)


def links_held(agreement: Agreement) -> list[ActionToken]:
    """One live link per person and task: whoever could still act on the round."""
    live = (
        tokens_open(agreement.pk)
        .filter(expires_at__gt=timezone.now())
        .select_related("person")
        .order_by("pk")
    )
    return list({(t.person_id, t.task_id): t for t in live}.values())


def protocol_ready_for_signing(process) -> bool:
    from ..decision_status import municipal_ready_for_signing

    return municipal_ready_for_signing(_agreement_id(process))


def protocol_ready(agreement: Agreement, person: Person) -> None:
    """Laga kraft confirmed from the decision's page: the open justering task, in a
    kommun that waits for laga kraft, is done."""
    from ..decision_status import municipal_ready_for_signing

    task = open_tasks(agreement).filter(flow_task=_protocol_node()).first()
    if task is not None and municipal_ready_for_signing(agreement.pk):
        task_complete(task, person, agreement)


def _protocol_node():
    from ..flows import AgreementFlow

    return AgreementFlow.municipal_protocol


def task_assignee(process, kind: str):
    assignments = task_assignments(_agreement(process), kind)
    return user_for(assignments[0].person) if assignments else None


def task_opened(task: Task) -> None:
    """Send a link to everyone who may act on the new task (substitutes too)."""
    agreement = _agreement(task.process)
    version = _latest_version(agreement)
    for assignment in task_assignments(agreement, task.flow_task.name):
        task_link_send(task, agreement, version, assignment.person, reason="opened")


def task_link_send(
    task: Task, agreement: Agreement, version: Version, person: Person, reason: str
) -> None:
    token = token_issue(
        agreement=agreement,
        person=person,
        kind=task.flow_task.name,
        task_id=task.pk,
        version_hash=version.content_hash,
    )
    notify.task_link(
        agreement=agreement, version=version, task=task, person=person, token=token, reason=reason
    )


def task_relink(task: Task, agreement: Agreement, version: Version) -> None:
    """After bordläggning the task stays open: fresh links for the next meeting."""
    tokens_revoke(agreement_id=agreement.pk, reason=Revoked.REASSIGNED, task_id=task.pk)
    for assignment in task_assignments(agreement, task.flow_task.name):
        task_link_send(task, agreement, version, assignment.person, reason="deferred")


def task_execute_as(task: Task, person: Person) -> None:
    """Complete a viewflow human task as the person who acted; the flow moves on."""
    user = user_for(person)
    with task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(user)
        elif activation.task.owner_id != user.pk:
            activation.reassign(user=user)
        activation.start(None)
        activation.execute()


def task_complete(
    task: Task, person: Person, agreement: Agreement, version: Version | None = None
) -> None:
    """Complete a human task as the person who acted and let the flow move on, with
    the agreement the service has locked (and its latest version) in hand."""
    with flow_moves(agreement, version):
        task_execute_as(task, person)
    tokens_revoke(agreement_id=agreement.pk, reason=Revoked.TASK_DONE, task_id=task.pk)


def signing_open(process) -> None:
    """Bifall on both tracks: the agreement goes to signature."""
    agreement = _agreement(process, lock=True)
    version = _latest_version(agreement)
    take(
        agreement,
        "open_signing",
        SYSTEM,
        obj=version,
        version_hash=version.content_hash,
        details={"number": version.number},
    )


def signing_complete(process) -> None:
    """Both signatures in: the declaration's guards choose between signed (start date
    ahead), in force at once, and a signed revision replacing the text in force."""
    agreement = _agreement(process, lock=True)
    version = _latest_version(agreement)
    replaced = agreement.version_in_force
    agreement.version_in_force = version
    take(
        agreement,
        "complete_signing",
        SYSTEM,
        obj=version,
        version_hash=version.content_hash,
        fields=("version_in_force",),
        details={
            "number": version.number,
            "period_start": agreement.period_start.isoformat(),
            "replaces": replaced.number if replaced else None,
        },
    )
    tokens_revoke(agreement_id=agreement.pk, reason=Revoked.ROUND_ENDED)
    seal_after_commit(version)
