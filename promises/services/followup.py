"""Following published promises up during the year, and the yearly report.

Both are the drafters' and both are public once written (the public page shows
each promise's latest status and the reports), so the forms say so. Rows are
never changed: a new follow-up supersedes the previous one.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.models import Person
from workflows.services.actors import today
from workflows.services.errors import DomainError
from workflows.services.transitions import edge_or_refuse

from ..lifecycle import PROMISE_SET
from ..models import FollowUpStatus, Promise, PromiseFollowUp, PromiseReport
from .common import as_drafter, lock, take_set


def _published(promise_set, step: str) -> None:
    edge_or_refuse(promise_set, step, _("Bara publicerade medborgarlöften följs upp."), PROMISE_SET)


@transaction.atomic
def follow_up_add(
    *,
    promise_id: int,
    author: Person,
    status: str,
    comment: str,
    reported_on: datetime.date | None,
    channel: str,
) -> PromiseFollowUp:
    """Where one promise stands: a status, a comment in plain words, and a date."""
    set_id = Promise.objects.values_list("promise_set_id", flat=True).get(pk=promise_id)
    agreement, promise_set = lock(set_id)
    actor = as_drafter(author, agreement, channel)
    _published(promise_set, "follow_up")
    if status not in FollowUpStatus.values:
        raise DomainError(_("Välj ett läge: inte påbörjat, pågår, genomfört eller försenat."))
    if not comment.strip():
        raise DomainError(_("Skriv en kort kommentar om vad som har gjorts."))
    if reported_on is None or reported_on > today():
        raise DomainError(_("Ange dagens datum eller ett tidigare datum."))
    follow_up = PromiseFollowUp.objects.create(
        promise_id=promise_id,
        status=status,
        comment=comment.strip(),
        reported_on=reported_on,
        author=author,
    )
    take_set(
        agreement,
        promise_set,
        "follow_up",
        actor,
        subject=follow_up,
        details={
            "period": promise_set.period,
            "follow_up": follow_up.pk,
            "promise": promise_id,
            "title": follow_up.promise.title,
            "status": status,
            "comment": follow_up.comment,
            "reported_on": reported_on.isoformat(),
        },
    )
    return follow_up


def latest_statuses(promise_set) -> list[dict]:
    """Each promise with its latest follow-up, in order: what a report records."""
    rows = []
    for promise in promise_set.promises.order_by("position"):
        latest = promise.follow_ups.order_by("-reported_on", "-created_at").first()
        rows.append(
            {
                "promise": promise.pk,
                "title": promise.title,
                "status": latest.status if latest else "",
                "reported_on": latest.reported_on.isoformat() if latest else "",
            }
        )
    return rows


@transaction.atomic
def report_add(
    *, set_id: int, author: Person, year: int, summary: str, channel: str
) -> PromiseReport:
    """The yearly report: a summary, and each promise's status as it stands now."""
    agreement, promise_set = lock(set_id)
    actor = as_drafter(author, agreement, channel)
    _published(promise_set, "report")
    if not promise_set.first_year <= year <= promise_set.last_year:
        raise DomainError(
            _("Välj ett av löftenas år, %(period)s.") % {"period": promise_set.period}
        )
    if promise_set.reports.filter(year=year).exists():
        raise DomainError(_("Årsrapporten för %(year)d är redan skriven.") % {"year": year})
    if not summary.strip():
        raise DomainError(_("Skriv en sammanfattning av året."))
    report = PromiseReport.objects.create(
        promise_set=promise_set,
        year=year,
        summary=summary.strip(),
        statuses=latest_statuses(promise_set),
        author=author,
    )
    take_set(
        agreement,
        promise_set,
        "report",
        actor,
        subject=report,
        details={
            "period": promise_set.period,
            "report": report.pk,
            "year": year,
            "summary": report.summary,
            "statuses": report.statuses,
        },
    )
    return report
