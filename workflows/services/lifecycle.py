"""The period in force: revision, termination, expiry and renewal.

Each function locks the agreement, re-checks under the lock, changes the state,
writes the trail and tells the people concerned, like the drafting and decision
services; the periodic ones are safe to run twice or late.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import plugins
from ..agreement_lifecycle import AGREEMENT
from ..models import Agreement, Body, FollowUpCadence, Person, Role
from ..models.trail import AuditEvent
from . import rounds
from .actors import SYSTEM, Actor, role_in_agreement, today
from .common import agreement_lock, as_drafter, paragraph_of
from .drafting import agreement_create
from .errors import DomainError, NotPermitted
from .transitions import edge_or_refuse, take


@transaction.atomic
def revision_open(*, agreement_id: int, person: Person, channel: str, reason: str = "") -> None:
    """Start drafting a revision; the version in force applies until one is signed."""
    agreement = agreement_lock(agreement_id)
    actor = as_drafter(person, agreement, channel)
    reason = reason.strip()
    take(
        agreement,
        "open_revision",
        actor,
        details={"reason": reason},
        notice={"reason": reason},
        refusal=_("Bara en gällande överenskommelse utan pågående revidering kan revideras."),
    )


@transaction.atomic
def revision_close(*, agreement_id: int, person: Person, channel: str) -> None:
    """Withdraw a revision that was never proposed; nothing changes in force."""
    agreement = agreement_lock(agreement_id)
    actor = as_drafter(person, agreement, channel)
    take(
        agreement,
        "close_revision",
        actor,
        refusal=_("Det finns ingen revidering i utkast att avbryta."),
    )


# Who records a party's decision to terminate: for the kommun its chair or the
# nämndsekreterare, for the Police the LPO-chef (or their substitutes).
TERMINATING_ROLES = (
    Role.NAMNDSEKRETERARE,
    Role.KS_ORDFORANDE,
    Role.KF_ORDFORANDE,
    Role.LPO_CHEF,
)


@dataclass(frozen=True)
class TerminationDecision:
    """The party's decision to terminate: for the kommun its body's protocol (date,
    §, diarienummer), for the Police a line decision (date, diarienummer)."""

    decided_on: datetime.date | None
    diarienummer: str
    paragraph: str = ""
    notice_months: int = 0


def terminating_role(person: Person, agreement: Agreement):
    return role_in_agreement(person, agreement, TERMINATING_ROLES)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 month
    is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def _check_termination(
    agreement: Agreement, police: bool, decision: TerminationDecision, ends_on
) -> None:
    decided_on = decision.decided_on
    if decided_on is None or decided_on > today():
        raise DomainError(_("Ange beslutsdatumet: i dag eller ett tidigare datum."))
    if not decision.diarienummer.strip():
        raise DomainError(_("Ange beslutets diarienummer."))
    if not police and not paragraph_of(decision.paragraph):
        raise DomainError(_("Ange paragrafen (§) i protokollet."))
    if decision.notice_months < 0:
        raise DomainError(_("Uppsägningstiden kan inte vara negativ."))
    if ends_on is None or ends_on > agreement.period_end:
        raise DomainError(_("Ange det datum då överenskommelsen upphör, senast periodens slut."))
    earliest = add_months(decided_on, decision.notice_months)
    if ends_on < earliest:
        raise DomainError(
            _("Med %(months)d månaders uppsägningstid upphör den tidigast %(date)s.")
            % {"months": decision.notice_months, "date": earliest.isoformat()}
        )


@transaction.atomic
def agreement_terminate(
    *,
    agreement_id: int,
    person: Person,
    reason: str,
    ends_on: datetime.date | None,
    decision: TerminationDecision,
    channel: str,
) -> None:
    """A party's decision ends the agreement: today or earlier at once, or on a later
    day after its notice (the periodic job ends it then). The other party is told."""
    agreement = agreement_lock(agreement_id)
    assignment = terminating_role(person, agreement)
    if assignment is None:
        raise NotPermitted(
            _("Bara parternas beslutsfattare kan registrera ett beslut om uppsägning.")
        )
    later = ends_on is not None and ends_on > today()
    step = "give_notice" if later else "terminate"
    edge = edge_or_refuse(
        agreement,
        step,
        _("Bara en undertecknad eller gällande överenskommelse kan sägas upp."),
    )
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Skriv skälet till uppsägningen."))
    police = assignment.organisation_id == agreement.lokalpolisomrade_id
    _check_termination(agreement, police, decision, ends_on)
    if not later or agreement.in_revision:
        rounds.round_cancel(agreement, rounds.Withdrawn.ENDED)
    agreement.ended_on, agreement.termination_reason = ends_on, reason
    body = Body.LPO if police else agreement.deciding_body
    details = {
        "reason": reason,
        "ends_on": ends_on.isoformat(),
        "party": assignment.organisation_id,
        "body": body,
        "meeting_date": decision.decided_on.isoformat(),
        "diarienummer": decision.diarienummer.strip(),
        **({"paragraph": paragraph_of(decision.paragraph)} if not police else {}),
        "notice_months": decision.notice_months,
    }
    take(
        agreement,
        step,
        Actor(person=person, channel=channel, assignment=assignment),
        edge=edge,
        fields=("ended_on", "termination_reason"),
        details=details,
        notice={
            "reason": reason,
            "ends_on": ends_on.isoformat(),
            "party": assignment.organisation.name,
        },
    )
    if not later:
        _ended(agreement)


def agreements_end_on_notice() -> int:
    """Terminated with notice: ended the day after its last day in force."""
    due = Agreement.objects.filter(AGREEMENT.q_can("end_on_notice"), ended_on__lt=today())
    return sum(_end_on_notice(pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _end_on_notice(agreement_id: int) -> int:
    agreement = agreement_lock(agreement_id)
    edge = AGREEMENT.edge_for(agreement, "end_on_notice")
    if edge is None:
        return 0  # another run got here first
    decided = agreement.events.filter(action="notice_given").order_by("-seq").first()
    party = decided.actor_organisation.name if decided and decided.actor_organisation else ""
    take(
        agreement,
        "end_on_notice",
        SYSTEM,
        edge=edge,
        details={"ends_on": agreement.ended_on.isoformat(), "reason": agreement.termination_reason},
        notice={
            "reason": agreement.termination_reason,
            "ends_on": agreement.ended_on.isoformat(),
            "party": party,
        },
    )
    _ended(agreement)
    return 1


def _following(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period after this one, as long: 2023-01-01–2024-12-31 → 2025-01-01–2026-12-31."""
    new_start = end + datetime.timedelta(days=1)
    years = end.year - start.year
    try:
        new_end = end.replace(year=new_start.year + years)
    except ValueError:  # 29 February
        new_end = end.replace(year=new_start.year + years, day=28)
    if new_end <= new_start:
        new_end = new_start + (end - start)
    return new_start, new_end


def next_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The renewal's suggested period: the one after this, in the same rhythm, and the
    first of those that has not already ended (an agreement renewed years late)."""
    following = _following(start, end)
    while following[1] < today():
        following = _following(*following)
    return following


@transaction.atomic
def agreement_renew(
    *,
    agreement_id: int,
    person: Person,
    channel: str,
    period: tuple[datetime.date, datetime.date] | None = None,
    cadence: str = "",
) -> Agreement:
    """Start the next period's agreement in drafting, from the text in force, for
    ``period`` (default: ``next_period``), followed up at ``cadence`` (default: the
    old one's)."""
    old = agreement_lock(agreement_id)
    actor = as_drafter(person, old, channel)
    edge = edge_or_refuse(
        old, "renew", _("Bara en gällande eller upphörd överenskommelse kan förnyas.")
    )
    if Agreement.objects.filter(renewed_from=old).exists():
        raise DomainError(_("Överenskommelsen är redan förnyad."))
    start, end = period or next_period(old.period_start, old.period_end)
    if end < start:
        raise DomainError(_("Periodens sista dag kan inte ligga före dess första dag."))
    if end < today():
        raise DomainError(
            _("Perioden har redan gått ut: ange en period som slutar i dag eller senare.")
        )
    if cadence and cadence not in FollowUpCadence.values:
        raise DomainError(_("Ogiltigt värde: %(value)s.") % {"value": cadence})
    source = old.version_in_force or old.latest_version()
    with override(settings.LANGUAGE_CODE):  # stored in the version: the record is Swedish
        note = _("Förnyelse av %(title)s, version %(n)d.") % {
            "title": old.title,
            "n": source.number,
        }
    new = agreement_create(
        kommun=old.kommun,
        lokalpolisomrade=old.lokalpolisomrade,
        kind=old.kind,
        deciding_body=old.deciding_body,
        follow_up_cadence=cadence or old.follow_up_cadence,
        title=renewed_title(old.title, old.period_start, old.period_end, start, end),
        period_start=start,
        period_end=end,
        content=source.content,
        author=person,
        channel=channel,
        change_note=note,
        renewed_from=old,
    )
    details = {
        "renewal": new.pk,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "follow_up_cadence": new.follow_up_cadence,
    }
    take(old, "renew", actor, edge=edge, details=details)
    return new


def renewed_title(title: str, old_start, old_end, start, end) -> str:
    old_years = f"{old_start.year}–{old_end.year}" if old_start.year != old_end.year else ""
    new_years = f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
    for dash in ("–", "-", " - ", " – "):
        years = old_years.replace("–", dash)
        if years and years in title:
            return title.replace(years, new_years)
    return f"{title} ({new_years})"


# Periodic ------------------------------------------------------------------


def agreements_expire() -> int:
    """In force (or being revised) past the end date: expired, the day after."""
    due = Agreement.objects.filter(AGREEMENT.q_can("expire"), period_end__lt=today())
    return sum(_expire(pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _expire(agreement_id: int) -> int:
    agreement = agreement_lock(agreement_id)
    edge = AGREEMENT.edge_for(agreement, "expire")
    if edge is None:
        return 0  # another run got here first, or the period was extended
    if agreement.in_revision:
        rounds.round_cancel(agreement, rounds.Withdrawn.ENDED)
    agreement.ended_on = agreement.period_end
    details = {"period_end": agreement.period_end.isoformat()}
    take(agreement, "expire", SYSTEM, edge=edge, fields=("ended_on",), details=details)
    _ended(agreement)
    return 1


def _ended(agreement: Agreement) -> None:
    """What hangs on the agreement ends with it (medborgarlöften rounds: plugins)."""
    for ended in plugins.AGREEMENT_ENDED:
        ended(agreement)


def expiry_warnings() -> int:
    """Warn drafters and signatories EXPIRY_WARNING_DAYS before the end date, once each."""
    sent = 0
    for days in sorted(settings.EXPIRY_WARNING_DAYS, reverse=True):
        horizon = today() + datetime.timedelta(days=days)
        due = Agreement.objects.filter(
            AGREEMENT.q_can("warn_expiry"), period_end__lte=horizon, period_end__gte=today()
        )
        sent += sum(_warn(pk, days) for pk in due.values_list("pk", flat=True))
    return sent


@transaction.atomic
def _warn(agreement_id: int, days: int) -> int:
    agreement = agreement_lock(agreement_id)
    action = AGREEMENT.edge("warn_expiry").action
    warned = AuditEvent.objects.filter(
        agreement=agreement, action=action, details__days=days
    ).exists()
    if warned or not AGREEMENT.allows("warn_expiry", agreement.state):
        return 0
    # A warning a job missed is not sent late if a nearer one is due too.
    left = (agreement.period_end - today()).days
    if any(left <= nearer for nearer in settings.EXPIRY_WARNING_DAYS if nearer < days):
        return 0
    details = {"days": days, "period_end": agreement.period_end.isoformat()}
    take(agreement, "warn_expiry", SYSTEM, details=details, notice={"days": left})
    return 1
