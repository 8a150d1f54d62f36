"""Read-only queries for the pages: each one a fixed number of SQL statements."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from .models import Agreement, AuditEvent, DrafterApproval, Person, RoleAssignment, Version
from .services.actors import today


def agreements_for_person(person: Person) -> list[Agreement]:
    """Agreements where the person holds an active role at either party, each with
    ``latest_number`` and ``latest_approved_roles`` (the roles that approved the
    latest version). Two queries, however many agreements."""
    org_ids = RoleAssignment.objects.active_on(today()).filter(person=person)
    org_ids = org_ids.values("organisation_id")
    latest = Version.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    agreements = list(
        Agreement.objects.filter(Q(kommun_id__in=org_ids) | Q(lokalpolisomrade_id__in=org_ids))
        .select_related("kommun", "lokalpolisomrade")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
        )
    )
    roles = latest_approved_roles([a.latest_id for a in agreements if a.latest_id])
    for agreement in agreements:
        agreement.latest_approved_roles = roles.get(agreement.latest_id, set())
    return agreements


def latest_approved_roles(version_ids: list[int]) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = defaultdict(set)
    approvals = DrafterApproval.objects.filter(version_id__in=version_ids)
    for version_id, role in approvals.values_list("version_id", "role"):
        roles[version_id].add(role)
    return roles


def agreement_by_id(pk: int) -> Agreement | None:
    return Agreement.objects.select_related("kommun", "lokalpolisomrade").filter(pk=pk).first()


def versions_of(agreement: Agreement) -> list[Version]:
    """All versions, newest first, with author and approvals; without their content."""
    approvals = DrafterApproval.objects.select_related("person").order_by("created_at")
    return list(
        agreement.versions.select_related("author", "parent")
        .defer("content", "parent__content")
        .prefetch_related(Prefetch("approvals", queryset=approvals))
        .order_by("-number")
    )


def version_by_number(agreement: Agreement, number: int) -> Version | None:
    approvals = DrafterApproval.objects.select_related("person").order_by("created_at")
    return (
        agreement.versions.select_related("author", "parent")
        .defer("parent__content")
        .prefetch_related(Prefetch("approvals", queryset=approvals))
        .filter(number=number)
        .first()
    )


def version_numbers(agreement: Agreement) -> list[int]:
    return list(agreement.versions.order_by("number").values_list("number", flat=True))


def trail_of(agreement: Agreement) -> QuerySet[AuditEvent]:
    """The decision trail in order, with the names as they were when each event happened."""
    return agreement.events.select_related("actor_names").order_by("seq")
