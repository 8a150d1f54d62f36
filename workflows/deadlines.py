"""When a task is due ("senast"): one rule for the task e-mails, the inbox, the
task page and the reminders.

- A decision is due by the date the drafters asked for at the joint proposal
  ("beslut önskas senast"); once a meeting has tabled the matter, by the meeting it
  was tabled to. Without either, ``ESCALATE_AFTER_DAYS`` after the task opened.
- A signature is due ``SIGN_WITHIN_DAYS`` after the last decision, counted from
  the day signing opened if that is later (an agreement registered long after it
  was decided).
- Anything else (the justering, medborgarlöften) ``ESCALATE_AFTER_DAYS`` after the
  task opened.

The assignee is reminded ``REMIND_DAYS_BEFORE_DUE`` before; the drafters are told
once the day has passed. A wish already past when a task opens (a round opened
again after a court quashed a decision) gives way to the default.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import Decision, DrafterApproval, Outcome, TaskKind, Track, Version

DECISION_TRACKS = {
    TaskKind.MUNICIPAL_DECISION: Track.MUNICIPAL,
    TaskKind.POLICE_DECISION: Track.POLICE,
}
SIGNATURES = {TaskKind.KS_SIGNATURE, TaskKind.LPO_SIGNATURE}


@dataclass(frozen=True)
class RoundDates:
    """What the rule needs about an agreement's latest version."""

    wish: datetime.date | None = None
    tabled_to: dict[str, datetime.date] = field(default_factory=dict)
    decided_on: datetime.date | None = None


def default_due(opened: datetime.datetime) -> datetime.date:
    return timezone.localdate(opened) + datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS)


def due_on(kind: str, opened: datetime.datetime, dates: RoundDates) -> datetime.date:
    day = default_due(opened)
    if kind in DECISION_TRACKS:
        tabled = dates.tabled_to.get(DECISION_TRACKS[kind])
        if tabled is not None:
            return tabled
        opened_on = timezone.localdate(opened)
        return dates.wish if dates.wish and dates.wish >= opened_on else day
    if kind in SIGNATURES:
        start = max(filter(None, (dates.decided_on, timezone.localdate(opened))))
        return start + datetime.timedelta(days=settings.SIGN_WITHIN_DAYS)
    return day


def remind_on(due: datetime.date) -> datetime.date:
    return due - datetime.timedelta(days=settings.REMIND_DAYS_BEFORE_DUE)


def round_dates(agreement_ids) -> dict[int, RoundDates]:
    """Each agreement's dates for its latest version, in three queries."""
    latest = dict(
        Version.objects.filter(agreement_id__in=agreement_ids)
        .values("agreement_id")
        .annotate(n=Max("number"))
        .values_list("agreement_id", "n")
    )
    wishes: dict[int, datetime.date] = {}
    approvals = DrafterApproval.objects.filter(
        version__agreement_id__in=latest, decide_by__isnull=False
    ).values_list("version__agreement_id", "version__number", "decide_by")
    for agreement_id, number, wish in approvals:
        if number == latest[agreement_id]:
            wishes[agreement_id] = min(wish, wishes.get(agreement_id, wish))
    tabled: dict[int, dict[str, datetime.date]] = {}
    decided: dict[int, datetime.date] = {}
    decisions = (
        Decision.objects.filter(agreement_id__in=latest)
        .order_by("created_at", "pk")
        .values_list(
            "agreement_id",
            "version__number",
            "track",
            "outcome",
            "meeting_date",
            "next_meeting_date",
        )
    )
    for agreement_id, number, track, outcome, meeting, next_meeting in decisions:
        if number != latest[agreement_id]:
            continue
        if outcome == Outcome.BORDLAGGNING and next_meeting:
            tabled.setdefault(agreement_id, {})[track] = next_meeting
        else:
            tabled.get(agreement_id, {}).pop(track, None)
        if outcome == Outcome.BIFALL:
            decided[agreement_id] = max(meeting, decided.get(agreement_id, meeting))
    return {pk: RoundDates(wishes.get(pk), tabled.get(pk, {}), decided.get(pk)) for pk in latest}


def task_due(task_id: int, agreement_id: int) -> datetime.date | None:
    """One task's due date (None if there is no such task)."""
    from viewflow.workflow.models import Task

    task = Task.objects.filter(pk=task_id).only("created", "flow_task").first()
    if task is None:
        return None
    dates = round_dates([agreement_id]).get(agreement_id, RoundDates())
    return due_on(task.flow_task.name, task.created, dates)
