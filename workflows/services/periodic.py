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

from .. import deadlines, plugins
from ..agreement_lifecycle import AGREEMENT
from ..models import Agreement, AuditEvent, Decision, Outcome, StepKind, TaskKind, Track
from . import sealing
from .actors import SYSTEM, task_assignments, today
from .common import agreement_lock
from .followups import follow_up_reminders
from .lifecycle import agreements_end_on_notice, agreements_expire, expiry_warnings
from .rounds import OPEN_TASK, task_link_send
from .transitions import take


def agreements_enter_into_force() -> int:
    """Signed agreements whose start date has come are now in force."""
    due = Agreement.objects.filter(AGREEMENT.q_can("enter_into_force"), period_start__lte=today())
    return sum(_enter_into_force(pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _enter_into_force(agreement_id: int) -> int:
    agreement = agreement_lock(agreement_id)
    edge = AGREEMENT.edge_for(agreement, "enter_into_force")
    if edge is None:
        return 0  # another run got here first
    details = {"period_start": agreement.period_start.isoformat()}
    take(agreement, "enter_into_force", SYSTEM, edge=edge, version_hash="", details=details)
    return 1


def open_tasks_remind() -> int:
    """An open task gets one reminder (with a fresh link) REMIND_DAYS_BEFORE_DUE
    before it is due, and once its day has passed the drafters are told once whom
    the round waits for (workflows/deadlines.py)."""
    tasks = list(
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN_TASK,
            # the agreement's rounds only: medborgarlöften remind in promises/
            process__artifact_content_type=ContentType.objects.get_for_model(Agreement),
        )
        .select_related("process")
        .order_by("pk")
    )
    ids = {int(task.process.artifact_object_id) for task in tasks}
    dates = deadlines.round_dates(ids)
    day = today()
    done = 0
    for task in tasks:
        agreement_id = int(task.process.artifact_object_id)
        due = deadlines.due_on(task.flow_task.name, task.created, dates[agreement_id])
        if day >= deadlines.remind_on(due):
            done += _follow_up(agreement_id, task.pk, due)
    return done


@transaction.atomic
def _follow_up(agreement_id: int, task_id: int, due: datetime.date) -> int:
    agreement = agreement_lock(agreement_id)
    task = Task.objects.get(pk=task_id)
    if task.status not in OPEN_TASK:
        return 0  # done since we looked
    # Once per due date: a meeting that tables the matter moves the date, and the
    # new one is reminded and escalated in its turn.
    done = set(
        AuditEvent.objects.filter(
            agreement=agreement,
            object_type="task",
            object_id=str(task.pk),
            details__due=due.isoformat(),
        ).values_list("action", flat=True)
    )
    if AGREEMENT.edge("remind_task").action not in done:
        _remind(agreement, task, due)
        return 1
    if today() > due and AGREEMENT.edge("escalate_task").action not in done:
        _escalate(agreement, task, due)
        return 1
    return 0


def _task_event(agreement: Agreement, task: Task, step: str, due, assignments, notice=None):
    """``waiting_for`` holds person ids: names stay outside the hashed trail."""
    return take(
        agreement,
        step,
        SYSTEM,
        obj=task,
        subject=agreement,
        version_hash=agreement.latest_version().content_hash,
        details={
            "task": task.flow_task.name,
            "due": due.isoformat(),
            "waiting_for": [a.person_id for a in assignments],
        },
        notice=notice,
    )


def _remind(agreement: Agreement, task: Task, due: datetime.date) -> None:
    assignments = task_assignments(agreement, task.flow_task.name)
    _task_event(agreement, task, "remind_task", due, assignments)
    version = agreement.latest_version()
    # A fresh link each: only the token's hash is stored, so the old link
    # cannot be repeated; the old one stays valid until used or expired.
    for assignment in assignments:
        task_link_send(task, agreement, version, assignment.person, reason="reminder")


def _escalate(agreement: Agreement, task: Task, due: datetime.date) -> None:
    assignments = task_assignments(agreement, task.flow_task.name)
    notice = {"task": task, "assignments": assignments}
    _task_event(agreement, task, "escalate_task", due, assignments, notice=notice)


def decision_steps_remind() -> int:
    """The nämndsekreterare is reminded when the anslag is overdue (two days after
    the justering), again every REMINDER_AFTER_DAYS until it is in, and once
    LAGA_KRAFT_REMINDER_DAYS after the last day to appeal, to confirm that no appeal
    came in."""
    candidates = (
        Decision.objects.filter(
            track=Track.MUNICIPAL,
            outcome=Outcome.BIFALL,
            steps__kind=StepKind.JUSTERING,
            agreement__in=Agreement.objects.filter(AGREEMENT.q_can("remind_decision_step")),
        )
        .exclude(steps__kind=StepKind.LAGA_KRAFT)
        .values_list("agreement_id", "pk")
        .distinct()
        .order_by("pk")
    )
    return sum(_remind_step(agreement_id, pk) for agreement_id, pk in candidates)


def step_due(status, day: datetime.date) -> str:
    """What the nämndsekreterare should record now: "anslag", "laga_kraft" or ""."""
    if status.quashed or status.appeal_pending or status.laga_kraft is not None:
        return ""
    if status.anslag is None:
        return "anslag" if status.protocol and day > status.anslag_due else ""
    wait = datetime.timedelta(days=settings.LAGA_KRAFT_REMINDER_DAYS)
    return "laga_kraft" if day >= status.last_appeal_day + wait else ""


@transaction.atomic
def _remind_step(agreement_id: int, decision_id: int) -> int:
    from ..decision_status import status_of

    agreement = agreement_lock(agreement_id)
    decision = Decision.objects.select_related("version").get(pk=decision_id)
    due = step_due(status_of(decision, fresh=True), today())
    edge = AGREEMENT.edge_for(agreement, "remind_decision_step")
    if not due or edge is None:
        return 0
    last = (
        AuditEvent.objects.filter(
            agreement=agreement,
            action=edge.action,
            object_type="decision",
            object_id=str(decision.pk),
            details__step=due,
        )
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    again = datetime.timedelta(days=settings.REMINDER_AFTER_DAYS)
    if last is not None and (due == "laga_kraft" or timezone.now() - last < again):
        return 0
    people = [a.person for a in task_assignments(agreement, TaskKind.MUNICIPAL_PROTOCOL)]
    take(
        agreement,
        "remind_decision_step",
        SYSTEM,
        edge=edge,
        obj=decision,
        version_hash=decision.version_hash,
        details={"number": decision.version.number, "decision": decision.pk, "step": due},
        notice={"people": people, "due": due},
    )
    return 1


def run_all() -> dict[str, int]:
    """Every periodic job once, in order; the command and the beat task call this.
    Other packages' jobs (``plugins.PERIODIC_JOBS``) run after the agreement's."""
    done = {
        "entered_into_force": agreements_enter_into_force(),
        "expiry_warnings": expiry_warnings(),
        "expired": agreements_expire(),
        "ended_on_notice": agreements_end_on_notice(),
        "reminders": open_tasks_remind(),
        "follow_ups": follow_up_reminders(),
        "decision_steps": decision_steps_remind(),
        "sealed": sealing.versions_seal(),
    }
    for name, job in plugins.PERIODIC_JOBS.items():
        done[name] = job()
    return done
