"""Read-only queries for the auditor's pages: the whole trail of one agreement, the
e-mails that went out for it, and the search across agreements.

Each function is one SQL statement (two with a prefetch), whatever the number of
rows, and pages with a keyset (the last row seen), never OFFSET or COUNT(*).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from notifications.models import OutboxEmail

from .models import Agreement, AuditEvent, Decision, Organisation

PAGE_SIZE = 100  # events or e-mails on one page of the trail
SEARCH_PAGE_SIZE = 50

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    # The keyset to ask for the next page with; None on the last page.
    next_cursor: int | None


def keyset_page(rows: QuerySet, size: int | None, cursor_of) -> Page:
    size = size or PAGE_SIZE
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, cursor_of(items[-1]) if more else None)


@dataclass(frozen=True)
class Period:
    """A span of moments, either end open: [since, until)."""

    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    def q(self, field: str) -> Q:
        q = Q()
        if self.since is not None:
            q &= Q(**{f"{field}__gte": self.since})
        if self.until is not None:
            q &= Q(**{f"{field}__lt": self.until})
        return q


# -- the trail -----------------------------------------------------------------------


def trail_actions(agreement: Agreement) -> set[str]:
    """The kinds of event this agreement's trail holds (for the filter's choices)."""
    return set(agreement.events.order_by().values_list("action", flat=True).distinct())


def trail_page(
    agreement: Agreement,
    *,
    actions: list[str] | None = None,
    period: Period = Period(),
    after_seq: int | None = None,
    size: int | None = None,
) -> Page[AuditEvent]:
    """Events in order, with the names and titles as they were (``actor_names``)."""
    events = agreement.events.select_related("actor_names", "actor_organisation").filter(
        period.q("at")
    )
    if actions:
        events = events.filter(action__in=actions)
    if after_seq is not None:
        events = events.filter(seq__gt=after_seq)
    return keyset_page(events.order_by("seq"), size, lambda event: event.seq)


def version_numbers_by_hash(agreement: Agreement) -> dict[str, list[int]]:
    """Each content hash of the agreement's versions and the version numbers with it
    (a text submitted again unchanged has two numbers and one hash)."""
    numbers: dict[str, list[int]] = defaultdict(list)
    rows = agreement.versions.order_by("number").values_list("content_hash", "number")
    for content_hash, number in rows:
        numbers[content_hash].append(number)
    return dict(numbers)


def emails_page(
    agreement: Agreement,
    *,
    period: Period = Period(),
    after_id: int | None = None,
    size: int | None = None,
) -> Page[OutboxEmail]:
    """The outbox rows written for the agreement, oldest first."""
    emails = (
        OutboxEmail.objects.filter(object_type="agreement", object_id=str(agreement.pk))
        .filter(period.q("created_at"))
        .order_by("created_at", "id")
    )
    if after_id is not None:
        at = Subquery(OutboxEmail.objects.filter(pk=after_id).values("created_at")[:1])
        emails = emails.filter(Q(created_at__gt=at) | Q(created_at=at, id__gt=after_id))
    return keyset_page(emails, size, lambda email: email.pk)


# -- the search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    kommun: Organisation | None = None
    lokalpolisomrade: Organisation | None = None
    state: str = ""
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    decided_from: datetime.date | None = None
    decided_to: datetime.date | None = None
    diarienummer: str = ""


def _decisions_matching(search: Search) -> QuerySet[Decision] | None:
    """One decision must match the decision date and the diarienummer together."""
    q = Q()
    if search.decided_from is not None:
        q &= Q(meeting_date__gte=search.decided_from)
    if search.decided_to is not None:
        q &= Q(meeting_date__lte=search.decided_to)
    if search.diarienummer:
        q &= Q(diarienummer__icontains=search.diarienummer)
    if not q:
        return None
    return Decision.objects.filter(q, agreement=OuterRef("pk"))


def agreements_search(
    scope: QuerySet[Agreement], search: Search, *, after: int | None = None, size: int | None = None
) -> Page[Agreement]:
    """Agreements in ``scope`` that match every given field, latest period first,
    each with its decisions (``decision_list``). A period matches when it overlaps
    [period_from, period_to]. Two queries."""
    found = scope.select_related("kommun", "lokalpolisomrade")
    if search.kommun is not None:
        found = found.filter(kommun=search.kommun)
    if search.lokalpolisomrade is not None:
        found = found.filter(lokalpolisomrade=search.lokalpolisomrade)
    if search.state:
        found = found.filter(state=search.state)
    if search.period_from is not None:
        found = found.filter(period_end__gte=search.period_from)
    if search.period_to is not None:
        found = found.filter(period_start__lte=search.period_to)
    decisions = _decisions_matching(search)
    if decisions is not None:
        found = found.filter(Exists(decisions))
    if after is not None:
        start = Subquery(Agreement.objects.filter(pk=after).values("period_start")[:1])
        found = found.filter(Q(period_start__lt=start) | Q(period_start=start, pk__lt=after))
    ordered = found.order_by("-period_start", "-pk")
    page = keyset_page(ordered, size or SEARCH_PAGE_SIZE, lambda agreement: agreement.pk)
    _attach_decisions(page.items)
    return page


def _attach_decisions(agreements: list[Agreement]) -> None:
    by_agreement: dict[int, list[Decision]] = defaultdict(list)
    rows = (
        Decision.objects.filter(agreement__in=[a.pk for a in agreements])
        .select_related("version")
        .only(
            "agreement_id", "body", "outcome", "meeting_date", "paragraph", "diarienummer",
            "created_at", "version__number",
        )
        .order_by("created_at")
    )  # fmt: skip
    for decision in rows if agreements else []:
        by_agreement[decision.agreement_id].append(decision)
    for agreement in agreements:
        agreement.decision_list = by_agreement.get(agreement.pk, [])


def search_organisations(scope: QuerySet[Agreement]) -> tuple[QuerySet, QuerySet]:
    """The kommuner and the lokalpolisområden that are parties in ``scope``: their ids
    are read once, as distinct pairs; a subquery over the scope (IN or EXISTS) made
    PostgreSQL compare every organisation with every agreement in it."""
    pairs = set(scope.order_by().values_list("kommun_id", "lokalpolisomrade_id").distinct())
    kommuner = Organisation.objects.filter(pk__in=sorted({k for k, _lpo in pairs}))
    lpos = Organisation.objects.filter(pk__in=sorted({lpo for _k, lpo in pairs}))
    return kommuner.order_by("name"), lpos.order_by("name")
