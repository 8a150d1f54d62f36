"""Periodic work for medborgarlöften: one reminder, with a fresh link, for a
decision-and-signature task that has waited REMINDER_AFTER_DAYS.

What is due is read from the database and each reminder is written to the
agreement's trail under the locks, so running this twice, late, or in two
workers at once sends each reminder once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.models import AuditEvent
from workflows.services.actors import SYSTEM, task_assignments
from workflows.services.rounds import OPEN_TASK

from ..lifecycle import PROMISE_SET
from ..models import PromiseSet
from . import rounds
from .common import lock, take_set

REMINDER = PROMISE_SET.edge("remind_task").action
ESCALATION = PROMISE_SET.edge("escalate_task").action


def promise_tasks_remind() -> int:
    due = (
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN_TASK,
            created__lte=timezone.now() - datetime.timedelta(days=settings.REMINDER_AFTER_DAYS),
            process__artifact_content_type=ContentType.objects.get_for_model(PromiseSet),
        )
        .select_related("process")
        .order_by("pk")
    )
    return sum(_remind(rounds.set_id_of(task.process), task.pk) for task in due)


@transaction.atomic
def _remind(set_id: int, task_id: int) -> int:
    """One reminder with fresh links, then, ESCALATE_AFTER_DAYS after the task opened,
    one word to the drafters; each once, whenever the job runs."""
    agreement, promise_set = lock(set_id)
    task = Task.objects.get(pk=task_id)
    if task.status not in OPEN_TASK or not PROMISE_SET.allows("remind_task", promise_set.state):
        return 0  # done since we looked
    done = set(
        AuditEvent.objects.filter(agreement=agreement, details__task_id=task.pk).values_list(
            "action", flat=True
        )
    )
    kind = task.flow_task.name
    assignments = task_assignments(agreement, kind)
    if REMINDER not in done:
        take_set(
            agreement,
            promise_set,
            "remind_task",
            SYSTEM,
            details={
                "task": kind,
                "task_id": task.pk,
                "waiting_for": [a.person.name for a in assignments],
            },
        )
        for assignment in assignments:
            rounds.task_link_send(task, promise_set, assignment.person, reason="reminder")
        return 1
    escalate_at = task.created + datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS)
    if timezone.now() < escalate_at or ESCALATION in done:
        return 0
    take_set(
        agreement,
        promise_set,
        "escalate_task",
        SYSTEM,
        # person ids: names stay outside the hashed trail
        details={
            "task": kind,
            "task_id": task.pk,
            "waiting_for": [a.person_id for a in assignments],
        },
        notice={"task": task, "assignments": assignments},
    )
    return 1
