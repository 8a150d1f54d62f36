"""Who may only read: revisors (granskare) and anyone else without an acting role (selectors).

The agreement pages ask ``is_read_only`` once per request (``AgreementMixin``,
the ``read_only`` context flag) and hide every button and form when it is true.
It decides what is shown, not what is allowed: every transition service refuses
such a person on its own (tests/audit/test_read_only.py tries each write URL).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Agreement, Person, Role, RoleAssignment
from .services.actors import PARTY_ROLES, party_ids, today

# The roles that act on an agreement (draft, decide, sign, terminate). A revisor's
# and an administrator's roles are not among them.
ACTING_ROLES = PARTY_ROLES


def is_read_only(person: Person | None, agreement: Agreement) -> bool:
    """True unless the person holds, today, a role at one of the agreement's
    parties that acts on agreements. A revisor who holds nothing else is read-only."""
    if person is None:
        return True
    acting = RoleAssignment.objects.active_on(today()).filter(
        person=person, organisation_id__in=party_ids(agreement), role__in=ACTING_ROLES
    )
    return not acting.exists()


def auditor_organisation_ids(person: Person | None) -> list[int]:
    """The organisations where the person is revisor today."""
    if person is None:
        return []
    held = RoleAssignment.objects.active_on(today()).filter(person=person, role=Role.REVISOR)
    return list(held.values_list("organisation_id", flat=True).distinct())


def is_auditor_user(user) -> bool:
    """Whether the logged-in user is revisor anywhere today (one query; for the menu)."""
    if not getattr(user, "is_authenticated", False):
        return False
    held = RoleAssignment.objects.active_on(today()).filter(person__user=user, role=Role.REVISOR)
    return held.exists()


def audited_agreements(organisation_ids: list[int]) -> QuerySet[Agreement]:
    """Every agreement where one of the organisations is a party: the auditor's scope
    (their own organisation's agreements, and the counterpart's agreements with it)."""
    return Agreement.objects.filter(
        Q(kommun_id__in=organisation_ids) | Q(lokalpolisomrade_id__in=organisation_ids)
    )
