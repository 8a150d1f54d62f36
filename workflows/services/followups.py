"""Follow-up reports: writing one, handing it in, reminding, and revising from one.

Like the other services, each function locks the agreement row, re-checks under
the lock, changes, writes the trail in the same transaction and tells the people
concerned. Drafts are working material and are not in the trail; the submitted
report is, with the SHA-256 of what it says.

A report may be written for a due date in the agreement's schedule up to the next
one (not for later ones), while the agreement is in force, and after it expired
too: the last report is due on the period's last day or, moved past a weekend or
holiday, after it, when the agreement has already expired.

The periodic job reads what is due from the schedule and the reports, and the
trail records each reminder, so running it twice or late sends nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import followup_rules as rules
from ..agreement_lifecycle import AGREEMENT, APPLIES
from ..models import Agreement, AuditEvent, FollowUpCadence, Person
from ..models.followups import FollowUpReport, ItemStatus, ReportState
from . import lifecycle
from .actors import SYSTEM, Actor, today
from .common import agreement_lock, as_drafter
from .errors import DomainError, StaleVersion, WrongState
from .transitions import edge_or_refuse, take

# The last report is due at most a few days after the period's end (31 December
# moves past New Year); expired agreements are looked at this long after it.
LAST_DUE_SLACK_DAYS = 14


@dataclass(frozen=True)
class ReportInput:
    """What a drafter wrote: per area or measure (by item key) a status and a comment."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    analysis: str = ""
    recommendations: str = ""
    recommend_revision: bool = False


def schedule_of(agreement: Agreement) -> list[rules.DueDate]:
    schedule = rules.due_dates(
        agreement.follow_up_cadence, agreement.period_start, agreement.period_end
    )
    if agreement.follow_up_from is not None:
        schedule = [entry for entry in schedule if entry.due >= agreement.follow_up_from]
    return schedule


def entry_for(agreement: Agreement, due_date: datetime.date) -> rules.DueDate | None:
    return next((e for e in schedule_of(agreement) if e.due == due_date), None)


def _drafter(person: Person, agreement: Agreement, channel: str) -> Actor:
    return as_drafter(
        person,
        agreement,
        channel,
        _("Bara överenskommelsens kommunpolis och trygghetssamordnare skriver uppföljningen."),
    )


def _due_entry(agreement: Agreement, due_date: datetime.date) -> rules.DueDate:
    """The schedule's entry for ``due_date`` if a report may be written for it today."""
    edge_or_refuse(
        agreement,
        "submit_followup",
        _("Uppföljningsrapporter skrivs för en gällande överenskommelse, inte i status %(s)s.")
        % {"s": agreement.get_state_display().lower()},
    )
    schedule = schedule_of(agreement)
    entry = next((e for e in schedule if e.due == due_date), None)
    if entry is None:
        raise DomainError(
            _("%(date)s är inget datum i överenskommelsens uppföljningsplan.")
            % {"date": due_date.isoformat()}
        )
    if entry not in rules.reportable(schedule, today()):
        upcoming = rules.next_due(schedule, today())
        raise DomainError(
            _(
                "Uppföljningen för %(date)s är inte aktuell ännu. Nästa rapport ska lämnas "
                "senast %(next)s; den kan skrivas nu."
            )
            % {"date": due_date.isoformat(), "next": upcoming.due.isoformat()}
        )
    return entry


def previous_report(agreement: Agreement, due_date: datetime.date) -> FollowUpReport | None:
    """The latest submitted report before ``due_date``: a new report starts from it."""
    return (
        agreement.follow_up_reports.filter(state=ReportState.SUBMITTED, due_date__lt=due_date)
        .order_by("-due_date")
        .first()
    )


def report_initial(agreement: Agreement, due_date: datetime.date) -> ReportInput:
    """What a new report starts from: the statuses, comments and analysis of the
    previous report, for the areas and measures that are still in the text."""
    previous = previous_report(agreement, due_date)
    if previous is None:
        return ReportInput()
    entries = {
        item["key"]: {"status": item["status"], "comment": item["comment"]}
        for item in previous.items
    }
    return ReportInput(entries=entries, analysis=previous.analysis)


def _fill(
    agreement: Agreement,
    due_date: datetime.date,
    person: Person,
    data: ReportInput,
    seen_edits: int,
) -> FollowUpReport:
    """The draft with the input written in (not saved). Refuses a submitted report
    and a form opened before someone else's save."""
    report = agreement.follow_up_reports.filter(due_date=due_date).first()
    if report is not None and report.is_submitted:
        raise WrongState(
            _("Rapporten för %(date)s är redan inlämnad och kan inte ändras.")
            % {"date": due_date.isoformat()}
        )
    current = report.edits if report is not None else 0
    if report is not None and seen_edits != current:
        raise StaleVersion(
            _(
                "%(name)s har sparat rapporten sedan du öppnade den. Din text finns kvar "
                "nedan: spara igen för att ersätta den med din, eller öppna rapporten i en "
                "ny flik och jämför först."
            )
            % {"name": report.updated_by.name}
        )
    statuses = {entry.get("status", "") for entry in data.entries.values()}
    if statuses - {"", *ItemStatus.values}:
        raise DomainError(_("Välj en status i listan för varje område."))
    version = agreement.version_in_force
    if version is None:
        raise WrongState(_("Överenskommelsen har ingen gällande version att följa upp."))
    if report is None:
        report = FollowUpReport(agreement=agreement, due_date=due_date, created_by=person)
    report.version = version
    report.items = rules.items_from(version.content, data.entries)
    report.analysis = rules.clean(data.analysis)
    report.recommendations = rules.clean(data.recommendations)
    report.recommend_revision = data.recommend_revision
    report.updated_by, report.edits = person, current + 1
    return report


@transaction.atomic
def report_save(
    *,
    agreement_id: int,
    due_date: datetime.date,
    person: Person,
    data: ReportInput,
    seen_edits: int,
    channel: str,
) -> FollowUpReport:
    """Save the report for ``due_date`` as a draft; the first save creates it.

    ``seen_edits`` is the report's ``edits`` when the form was opened (0 for a new
    one): a draft saved since then is not overwritten. Drafts are not in the trail.
    """
    agreement = agreement_lock(agreement_id)
    _drafter(person, agreement, channel)
    _due_entry(agreement, due_date)
    report = _fill(agreement, due_date, person, data, seen_edits)
    report.save()
    return report


@transaction.atomic
def report_submit(
    *,
    agreement_id: int,
    due_date: datetime.date,
    person: Person,
    data: ReportInput,
    seen_edits: int,
    channel: str,
) -> FollowUpReport:
    """Hand in the report for ``due_date``, with what the form holds.

    Steps: lock the agreement; check the drafter, the state and that the date is
    due; fill the draft (or a new report); require a status for every area and an
    analysis; submit, hash, save; write ``followup_submitted`` with the due date and
    the hash; tell both parties. Afterwards the report never changes.
    """
    agreement = agreement_lock(agreement_id)
    actor = _drafter(person, agreement, channel)
    entry = _due_entry(agreement, due_date)
    report = _fill(agreement, due_date, person, data, seen_edits)
    _require_complete(report)
    report.submit()
    report.submitted_by, report.submitted_at = person, timezone.now()
    report.content_hash = rules.report_hash(report.hashed_content())
    report.save()
    take(
        agreement,
        "submit_followup",
        actor,
        obj=report,
        version_hash=report.version.content_hash,
        details={
            "due_date": due_date.isoformat(),
            "term_start": entry.term_start.isoformat(),
            "term_end": entry.term_end.isoformat(),
            "content_hash": report.content_hash,
            "number": report.version.number,
            "recommend_revision": report.recommend_revision,
        },
        notice={"entry": entry},
    )
    return report


def _require_complete(report: FollowUpReport) -> None:
    missing = [item["title"] or "?" for item in report.items if not item["status"]]
    if missing:
        raise DomainError(
            _("Välj status för alla områden innan du lämnar in. Saknas för: %(titles)s.")
            % {"titles": ", ".join(missing)}
        )
    if not report.analysis:
        raise DomainError(_("Skriv en analys innan du lämnar in rapporten."))


@transaction.atomic
def revision_from_report(*, report_id: int, person: Person, channel: str) -> None:
    """A submitted report recommends revision: start it, with the recommendation as
    the reason (``lifecycle.revision_open`` locks and checks the rest)."""
    report = FollowUpReport.objects.select_related("agreement").get(pk=report_id)
    if not report.is_submitted or not report.recommend_revision:
        raise DomainError(_("Bara en inlämnad rapport som rekommenderar revidering kan starta en."))
    with override(settings.LANGUAGE_CODE):  # the reason goes into the trail: Swedish
        reason = _("Uppföljningen %(date)s rekommenderar revidering.") % {
            "date": report.due_date.isoformat()
        }
    if report.recommendations:
        reason = f"{reason} {report.recommendations}"
    lifecycle.revision_open(
        agreement_id=report.agreement_id, person=person, channel=channel, reason=reason
    )


# -- periodic ----------------------------------------------------------------------

BEFORE, DUE, OVERDUE, PROMPT = "before", "due", "overdue", "prompt"
STAGE_RANK = {BEFORE: 1, DUE: 2, OVERDUE: 3}
FOLLOW_UP_ACTIONS = ("followup_reminder", "followup_escalated", "followup_revision_prompt")


def follow_up_reminders() -> int:
    """Remind the drafters FOLLOW_UP_REMINDER_DAYS before a report is due and on the
    day, tell the chiefs FOLLOW_UP_ESCALATE_DAYS after it, and on a yearly follow-up
    ask the drafters whether to revise. Each once per due date; returns how many.
    An agreement is locked only when something is due for it, and looked at again
    under the lock."""
    ended_after = today() - datetime.timedelta(
        days=settings.FOLLOW_UP_ESCALATE_DAYS + LAST_DUE_SLACK_DAYS
    )
    candidates = (
        Agreement.objects.filter(AGREEMENT.q_can("remind_followup"))
        .filter(AGREEMENT.q_with(APPLIES) | Q(period_end__gte=ended_after))
        .order_by("pk")
    )
    return sum(_remind(agreement.pk) for agreement in candidates if _pending(agreement))


def in_force_since(agreement: Agreement) -> datetime.date | None:
    """The day the agreement first came into force, from the trail."""
    first = (
        AuditEvent.objects.filter(agreement=agreement, to_state__in=AGREEMENT.values_with(APPLIES))
        .order_by("seq")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def stage_on(due: datetime.date, day: datetime.date) -> str:
    """Which message a due date calls for on ``day`` ('' for none yet). A job that
    missed an earlier one sends only the one due now."""
    if day >= due + datetime.timedelta(days=settings.FOLLOW_UP_ESCALATE_DAYS):
        return OVERDUE
    if day >= due:
        return DUE
    if day >= due - datetime.timedelta(days=settings.FOLLOW_UP_REMINDER_DAYS):
        return BEFORE
    return ""


def _pending(agreement: Agreement) -> list[tuple[rules.DueDate, str]]:
    """What is due today and not yet in the trail: (due date, stage or PROMPT)."""
    since = in_force_since(agreement)
    if not AGREEMENT.allows("remind_followup", agreement.state) or since is None:
        return []
    sent: dict[str, int] = {}  # due date → the highest stage sent
    prompted: set[str] = set()
    events = agreement.events.filter(action__in=FOLLOW_UP_ACTIONS)
    for action, details in events.values_list("action", "details"):
        if action == "followup_revision_prompt":
            prompted.add(details["due_date"])
        else:
            rank = max(STAGE_RANK[details["stage"]], sent.get(details["due_date"], 0))
            sent[details["due_date"]] = rank
    done = {day.isoformat() for day in _submitted_dates(agreement)}
    pending = []
    # Due dates before the agreement came into force are not asked for.
    for entry in [e for e in schedule_of(agreement) if e.due >= since]:
        key, stage = entry.due.isoformat(), stage_on(entry.due, today())
        if key not in done and stage and sent.get(key, 0) < STAGE_RANK[stage]:
            pending.append((entry, stage))
        if key not in prompted and _prompt_due(agreement, entry):
            pending.append((entry, PROMPT))
    return pending


@transaction.atomic
def _remind(agreement_id: int) -> int:
    agreement = agreement_lock(agreement_id)
    pending = _pending(agreement)  # again, under the lock: another run may have sent them
    for entry, stage in pending:
        if stage == PROMPT:
            _prompt(agreement, entry)
        else:
            _remind_stage(agreement, entry, stage)
    return len(pending)


def _submitted_dates(agreement: Agreement) -> list[datetime.date]:
    submitted = agreement.follow_up_reports.filter(state=ReportState.SUBMITTED)
    return list(submitted.values_list("due_date", flat=True))


def _remind_stage(agreement: Agreement, entry: rules.DueDate, stage: str) -> None:
    days = (entry.due - today()).days
    if stage == OVERDUE:
        step, counted = "escalate_followup", {"days_late": -days}
    else:
        step, counted = "remind_followup", {"days": max(days, 0)}
    details = {"due_date": entry.due.isoformat(), "stage": stage, **counted}
    take(agreement, step, SYSTEM, details=details, notice={"entry": entry, **counted})


def _prompt_due(agreement: Agreement, entry: rules.DueDate) -> bool:
    """A yearly follow-up asks once, on its due date (or a job run soon after), while
    the agreement is in force with no revision under way and not in its last term."""
    window = datetime.timedelta(days=settings.FOLLOW_UP_ESCALATE_DAYS)
    return (
        agreement.follow_up_cadence == FollowUpCadence.YEARLY
        and AGREEMENT.allows("prompt_revision", agreement.state)
        and entry.term_end < agreement.period_end
        and entry.due <= today() < entry.due + window
    )


def _prompt(agreement: Agreement, entry: rules.DueDate) -> None:
    details = {"due_date": entry.due.isoformat()}
    take(agreement, "prompt_revision", SYSTEM, details=details, notice={"entry": entry})
