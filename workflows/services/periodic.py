"""Periodic work: what is due is read from the database, so every job is safe to
run twice, late, or after a gap. Each item is handled in its own transaction
under the agreement's lock, and re-checked there.

Reminders and escalations are written to the trail; that record is what keeps a
second run from sending them again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from ..models import Agreement, AgreementState, AuditEvent
from . import notify
from .actors import SYSTEM, task_assignments, today
from .common import agreement_lock
from .followups import follow_up_reminders
from .lifecycle import agreements_expire, expiry_warnings
from .rounds import OPEN_TASK, task_link_send
from .trail import event_record


def agreements_enter_into_force() -> int:
    """Signed agreements whose start date has come are now in force."""
    due = Agreement.objects.filter(state=AgreementState.SIGNED, period_start__lte=today())
    count = 0
    for agreement_id in due.values_list("pk", flat=True):
        count += _enter_into_force(agreement_id)
    return count


@transaction.atomic
def _enter_into_force(agreement_id: int) -> int:
    agreement = agreement_lock(agreement_id)
    if agreement.state != AgreementState.SIGNED or agreement.period_start > today():
        return 0  # another run got here first
    agreement.enter_into_force()
    agreement.save(update_fields=["state"])
    event = event_record(
        agreement=agreement,
        actor=SYSTEM,
        action="entered_into_force",
        from_state=AgreementState.SIGNED,
        to_state=agreement.state,
        details={"period_start": agreement.period_start.isoformat()},
    )
    notify.entered_into_force(event, agreement)
    return 1


def open_tasks_remind() -> int:
    """An open task gets one reminder (with a fresh link) REMINDER_AFTER_DAYS after
    it opened, and ESCALATE_AFTER_DAYS after it opened the drafters are told once
    whom the round waits for."""
    now = timezone.now()
    due = (
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN_TASK,
            created__lte=now - datetime.timedelta(days=settings.REMINDER_AFTER_DAYS),
            # the agreement's rounds only: medborgarlöften remind in promises/
            process__artifact_content_type=ContentType.objects.get_for_model(Agreement),
        )
        .select_related("process")
        .order_by("pk")
    )
    return sum(_follow_up(int(task.process.artifact_object_id), task.pk, now) for task in due)


@transaction.atomic
def _follow_up(agreement_id: int, task_id: int, now: datetime.datetime) -> int:
    agreement = agreement_lock(agreement_id)
    task = Task.objects.get(pk=task_id)
    if task.status not in OPEN_TASK:
        return 0  # done since we looked
    done = set(
        AuditEvent.objects.filter(
            agreement=agreement, object_type="task", object_id=str(task.pk)
        ).values_list("action", flat=True)
    )
    if "task_reminder" not in done:
        _remind(agreement, task)
        return 1
    escalate_at = task.created + datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS)
    if now >= escalate_at and "task_escalated" not in done:
        _escalate(agreement, task)
        return 1
    return 0


def _task_event(agreement: Agreement, task: Task, action: str, waiting_for: list[int]):
    """``waiting_for`` holds person ids: names stay outside the hashed trail."""
    return event_record(
        agreement=agreement,
        actor=SYSTEM,
        action=action,
        obj=task,
        version_hash=agreement.latest_version().content_hash,
        details={"task": task.flow_task.name, "waiting_for": waiting_for},
    )


def _remind(agreement: Agreement, task: Task) -> None:
    assignments = task_assignments(agreement, task.flow_task.name)
    _task_event(agreement, task, "task_reminder", [a.person_id for a in assignments])
    version = agreement.latest_version()
    # A fresh link each: only the token's hash is stored, so the old link
    # cannot be repeated; the old one stays valid until used or expired.
    for assignment in assignments:
        task_link_send(task, agreement, version, assignment.person, reason="reminder")


def _escalate(agreement: Agreement, task: Task) -> None:
    assignments = task_assignments(agreement, task.flow_task.name)
    event = _task_event(agreement, task, "task_escalated", [a.person_id for a in assignments])
    notify.task_escalated(event, agreement, task, assignments)


def run_all() -> dict[str, int]:
    """Every periodic job once, in order; the command and the beat task call this."""
    from promises.services.periodic import promise_tasks_remind  # medborgarlöften's tasks

    return {
        "entered_into_force": agreements_enter_into_force(),
        "expiry_warnings": expiry_warnings(),
        "expired": agreements_expire(),
        "reminders": open_tasks_remind(),
        "follow_ups": follow_up_reminders(),
        "promise_reminders": promise_tasks_remind(),
    }
