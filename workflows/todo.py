"""What waits on a drafter ("Att göra"): a version to read and approve, a follow-up
report that is open or late. Drafters have no viewflow tasks, so the inbox asks here.

Read per request from the person's agreements (``selectors.agreements_for_person``,
the drafter's own parties only): a few queries, and one more per agreement that is
in force.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .agreement_lifecycle import AGREEMENT
from .models import Agreement, Person, Role
from .selectors import agreements_for_person, roles_held
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
    held = roles_held(person)
    lpo_ids = {org for org, role in held if role == Role.KOMMUNPOLIS}
    kommun_ids = {org for org, role in held if role == Role.TRYGGHETSSAMORDNARE}
    if not lpo_ids and not kommun_ids:
        return []
    agreements = agreements_for_person(
        person, AGREEMENT.q_can("approve_version") | AGREEMENT.q_can("submit_followup")
    )
    items: list[TodoItem] = []
    for agreement in sorted(agreements, key=lambda a: (a.title, a.pk)):
        mine = {Role.KOMMUNPOLIS} if agreement.lokalpolisomrade_id in lpo_ids else set()
        mine |= {Role.TRYGGHETSSAMORDNARE} if agreement.kommun_id in kommun_ids else set()
        if not mine:
            continue  # a party where the person has another role
        waiting = mine - agreement.latest_approved_roles
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
