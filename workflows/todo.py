"""What waits on a drafter ("Att göra"): a version to read and approve, a follow-up
report that is open or late. Drafters have no viewflow tasks, so the inbox asks here.

Read per request from the person's agreements (the drafter's own parties only): a
few queries, and one more per agreement that is in force.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from .agreement_lifecycle import AGREEMENT
from .models import Agreement, Person, Role, RoleAssignment, Version
from .selectors import latest_approved_roles
from .services.actors import today


@dataclass(frozen=True)
class TodoItem:
    agreement: Agreement
    what: str
    url: str
    due: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < today()


def drafter_todo(person: Person | None) -> list[TodoItem]:
    """Late reports first, then by due date, then versions to approve."""
    if person is None:
        return []
    held = RoleAssignment.objects.active_on(today()).filter(
        person=person, role__in=(Role.KOMMUNPOLIS, Role.TRYGGHETSSAMORDNARE)
    )
    lpo_ids = set(held.filter(role=Role.KOMMUNPOLIS).values_list("organisation_id", flat=True))
    kommun_ids = set(
        held.filter(role=Role.TRYGGHETSSAMORDNARE).values_list("organisation_id", flat=True)
    )
    if not lpo_ids and not kommun_ids:
        return []
    latest = Version.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    agreements = list(
        Agreement.objects.filter(
            Q(lokalpolisomrade_id__in=lpo_ids) | Q(kommun_id__in=kommun_ids),
            AGREEMENT.q_can("approve_version") | AGREEMENT.q_can("submit_followup"),
        )
        .select_related("kommun", "lokalpolisomrade")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
        )
        .order_by("title", "pk")
    )
    approved = latest_approved_roles([a.latest_id for a in agreements if a.latest_id])
    items: list[TodoItem] = []
    for agreement in agreements:
        mine = {Role.KOMMUNPOLIS} if agreement.lokalpolisomrade_id in lpo_ids else set()
        mine |= {Role.TRYGGHETSSAMORDNARE} if agreement.kommun_id in kommun_ids else set()
        waiting = mine - approved.get(agreement.latest_id, set())
        if agreement.allows("approve_version") and agreement.latest_id and waiting:
            items.append(
                TodoItem(
                    agreement,
                    _("Läs och godkänn version %(n)d") % {"n": agreement.latest_number},
                    reverse(
                        "workflows:version_detail", args=[agreement.pk, agreement.latest_number]
                    ),
                )
            )
        if agreement.allows("submit_followup"):
            items += _reports_due(agreement)
    return sorted(items, key=lambda i: (i.due is None, i.due or datetime.date.max))


def _reports_due(agreement: Agreement) -> list[TodoItem]:
    from .views.followups import report_url, schedule_rows

    return [
        TodoItem(
            agreement,
            _("Skriv uppföljningsrapporten för perioden till %(date)s")
            % {"date": row.entry.term_end.isoformat()},
            report_url(agreement.pk, row.entry.due),
            row.entry.due,
        )
        for row in schedule_rows(agreement)
        if row.writable
    ]
