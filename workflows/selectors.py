"""Read-only queries for the pages: each one a fixed number of SQL statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS

from .audit_selectors import Page, keyset_page
from .corrections import corrected
from .models import (
    ActionToken,
    Agreement,
    AuditEvent,
    Decision,
    DecisionStep,
    DrafterApproval,
    Organisation,
    OrganisationKind,
    Outcome,
    Person,
    Role,
    RoleAssignment,
    Signature,
    StepKind,
    TaskKind,
    Track,
    Version,
)
from .services.actors import task_roles, today
from .services.decisions import DECISION_TRACK, SIGNATORY
from .services.rounds import OPEN_TASK


def _person_agreements(person: Person, *filters: Q) -> QuerySet[Agreement]:
    # The ids as a list, not a subquery: an OR of two subqueries makes PostgreSQL
    # scan every agreement, where a list uses the two foreign-key indexes.
    org_ids = list(
        RoleAssignment.objects.active_on(today())
        .filter(person=person)
        .values_list("organisation_id", flat=True)
    )
    latest = Version.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    return (
        Agreement.objects.filter(
            Q(kommun_id__in=org_ids) | Q(lokalpolisomrade_id__in=org_ids), *filters
        )
        .select_related("kommun", "lokalpolisomrade")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
        )
    )


def _with_approved_roles(agreements: list[Agreement]) -> list[Agreement]:
    roles = latest_approved_roles([a.latest_id for a in agreements if a.latest_id])
    for agreement in agreements:
        agreement.latest_approved_roles = roles.get(agreement.latest_id, set())
    return agreements


def agreements_for_person(person: Person, *filters: Q) -> list[Agreement]:
    """Agreements where the person holds an active role at either party (and that
    match ``filters``), each with ``latest_number`` and ``latest_approved_roles``
    (the roles that approved the latest version). Two queries, however many."""
    return _with_approved_roles(list(_person_agreements(person, *filters)))


AGREEMENT_PAGE_SIZE = 50


def agreements_page_for_person(
    person: Person, *filters: Q, after: int | None = None, size: int = AGREEMENT_PAGE_SIZE
) -> Page[Agreement]:
    """One page of ``agreements_for_person``, the latest period first, from the
    agreement after ``after`` (a keyset: no OFFSET, no count over everything)."""
    found = _person_agreements(person, *filters)
    if after is not None:
        start = Subquery(Agreement.objects.filter(pk=after).values("period_start")[:1])
        found = found.filter(Q(period_start__lt=start) | Q(period_start=start, pk__lt=after))
    page = keyset_page(found.order_by("-period_start", "-pk"), size, lambda agreement: agreement.pk)
    _with_approved_roles(page.items)
    return page


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


# -- decisions, signatures and the tasks of a round ----------------------------------


def parties_of(person: Person) -> list[tuple[int, str]]:
    """What "Mina överenskommelser" can be narrowed to: the person's organisations,
    and for the Police the kommuner their lokalpolisområden serve. One query."""
    orgs = RoleAssignment.objects.active_on(today()).filter(person=person).values("organisation")
    found = Organisation.objects.filter(Q(pk__in=orgs) | Q(lokalpolisomrade__in=orgs))
    return list(found.order_by("kind", "name").values_list("pk", "name"))


def drafting_parties(person: Person | None) -> list[tuple[Organisation, Organisation]]:
    """The (kommun, lokalpolisområde) pairs the person may start an agreement for: a
    trygghetssamordnare their kommun and its LPO, a kommunpolis each kommun their
    LPO serves."""
    if person is None:
        return []
    assignments = RoleAssignment.objects.active_on(today()).filter(
        person=person, role__in=(Role.TRYGGHETSSAMORDNARE, Role.KOMMUNPOLIS)
    )
    kommuner = Organisation.objects.filter(
        Q(pk__in=assignments.filter(role=Role.TRYGGHETSSAMORDNARE).values("organisation"))
        | Q(lokalpolisomrade__in=assignments.filter(role=Role.KOMMUNPOLIS).values("organisation")),
        kind=OrganisationKind.KOMMUN,
        lokalpolisomrade__isnull=False,
    ).select_related("lokalpolisomrade")
    return [(kommun, kommun.lokalpolisomrade) for kommun in kommuner.order_by("name")]


def decisions_of(agreement: Agreement) -> list[Decision]:
    """With each kommun's decision's legal status as ``legal`` (decision_status.py)."""
    from .decision_status import status_of

    decisions = list(
        agreement.decisions.select_related("recorded_by", "version")
        .defer("version__content")
        .prefetch_related("steps")
        .order_by("created_at")
    )
    corrected(decisions, "decision")
    for decision in decisions:
        decision.has_page = decision.outcome == Outcome.BIFALL
        municipal_bifall = decision.has_page and decision.track == Track.MUNICIPAL
        decision.legal = status_of(decision) if municipal_bifall else None
    return decisions


def signatures_of(agreement: Agreement) -> list[Signature]:
    """With their rättelser applied (``corrections.py``)."""
    signatures = list(
        agreement.signatures.select_related("person", "version")
        .defer("version__content")
        .order_by("created_at")
    )
    return corrected(signatures, "signature")


def last_decided_version(agreement: Agreement, before: int) -> Version | None:
    """The latest version before number ``before`` that was approved (bifall) or
    signed: what the decision-makers last said yes to."""
    bifall = Decision.objects.filter(version=OuterRef("pk"), outcome=Outcome.BIFALL)
    signed = Signature.objects.filter(version=OuterRef("pk"))
    return (
        agreement.versions.filter(number__lt=before)
        .filter(Q(Exists(bifall)) | Q(Exists(signed)))
        .order_by("-number")
        .first()
    )


def _open_human_tasks() -> QuerySet[Task]:
    return Task.objects.filter(
        flow_task_type="HUMAN",
        status__in=OPEN_TASK,
        process__status=PROCESS.NEW,
        process__artifact_content_type=ContentType.objects.get_for_model(Agreement),
    )


def open_task_kinds(agreement_ids: list[int]) -> dict[int, list[str]]:
    """The kinds of the open human tasks of each agreement, in TaskKind order. One query."""
    kinds: dict[int, set[str]] = defaultdict(set)
    rows = _open_human_tasks().filter(process__artifact_object_id__in=agreement_ids)
    for agreement_id, node in rows.values_list("process__artifact_object_id", "flow_task"):
        if node is not None:
            kinds[agreement_id].add(node.name)
    order = list(TaskKind.values)
    return {
        pk: sorted(found, key=lambda k: order.index(k) if k in order else len(order))
        for pk, found in kinds.items()
    }


@dataclass(frozen=True)
class InboxTask:
    task: Task
    agreement: Agreement
    kind: str
    # What the task is about when it is not the agreement's latest version
    # ("Medborgarlöften 2023–2024"); the inbox shows it instead of the version.
    subject: str = ""


# Open tasks of other processes on an agreement (promises/ registers one):
# ``source(person, agreement)`` returns InboxTasks; the inbox, its count and the
# agreement page list them with the agreement's own.
TASK_SOURCES: list[Callable[[Person, Agreement | None], list[InboxTask]]] = []


def tasks_for_person(person: Person, agreement: Agreement | None = None) -> list[InboxTask]:
    """Every open task the person may act on today, oldest first."""
    found = agreement_tasks_for_person(person, agreement)
    for source in TASK_SOURCES:
        found += source(person, agreement)
    return sorted(found, key=lambda item: (item.task.created, item.task.pk))


def roles_held(person: Person) -> set[tuple[int, str]]:
    """(organisation id, role) for every role the person holds today."""
    return set(
        RoleAssignment.objects.active_on(today())
        .filter(person=person)
        .values_list("organisation_id", "role")
    )


def agreement_tasks_for_person(
    person: Person, agreement: Agreement | None = None
) -> list[InboxTask]:
    """The open tasks of agreement rounds the person may act on today, oldest first:
    the same rule as ``services.actors.task_assignments`` (an active role, at the
    task's party, among the task's roles), checked in memory. Three queries, however
    many tasks; only the agreements with an open task are loaded, so the header's
    count does not grow with an organisation's agreements."""
    held = roles_held(person)
    if not held:
        return []
    org_ids = {org_id for org_id, _role in held}
    agreements = Agreement.objects.filter(
        Q(kommun_id__in=org_ids) | Q(lokalpolisomrade_id__in=org_ids)
    )
    if agreement is not None:
        agreements = agreements.filter(pk=agreement.pk)
    tasks = list(
        _open_human_tasks()
        .filter(process__artifact_object_id__in=agreements.values("pk"))
        .select_related("process")
        .order_by("created", "pk")
    )
    if not tasks:
        return []
    latest = Version.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    by_id = {
        a.pk: a
        for a in Agreement.objects.filter(pk__in={t.process.artifact_object_id for t in tasks})
        .select_related("kommun", "lokalpolisomrade")
        .annotate(latest_number=Subquery(latest.values("number")[:1]))
    }
    found = []
    for task in tasks:
        kind = task.flow_task.name if task.flow_task else ""
        if kind not in TaskKind.values:
            continue
        task_agreement = by_id[task.process.artifact_object_id]
        org_id, roles = task_roles(task_agreement, kind)
        if any((org_id, role) in held for role in roles):
            found.append(InboxTask(task=task, agreement=task_agreement, kind=kind))
    return found


def _track_and_role(kind: str) -> tuple[str | None, str | None]:
    return DECISION_TRACK.get(kind), SIGNATORY.get(kind)


def recorded_with_token(token: ActionToken) -> Decision | Signature | None:
    """What was recorded when the link was used: the first decision or signature on
    that task's track or role since the token was spent (the service spends it just
    before it records), by its person or their substitute acting from it."""
    if token.used_at is None:
        return None
    if token.kind == TaskKind.MUNICIPAL_PROTOCOL:
        return _justering_on(token)
    track, role = _track_and_role(token.kind)
    if track is not None:
        return (
            Decision.objects.filter(
                agreement_id=token.agreement_id,
                version_hash=token.version_hash,
                track=track,
                created_at__gte=token.used_at,
            )
            .select_related("recorded_by", "version")
            .defer("version__content")
            .order_by("created_at")
            .first()
        )
    return (
        Signature.objects.filter(
            agreement_id=token.agreement_id,
            version_hash=token.version_hash,
            role=role,
            created_at__gte=token.used_at,
        )
        .select_related("person", "version")
        .defer("version__content")
        .first()
    )


def task_result(token: ActionToken) -> Decision | Signature | None:
    """What closed the token's task, whoever did it: the final decision on its track
    for that text, or the signature in its role."""
    if token.kind == TaskKind.MUNICIPAL_PROTOCOL:
        return _justering_on(token)
    track, role = _track_and_role(token.kind)
    if track is not None:
        return (
            Decision.objects.filter(
                agreement_id=token.agreement_id, version_hash=token.version_hash, track=track
            )
            .exclude(outcome=Outcome.BORDLAGGNING)
            .select_related("recorded_by", "version")
            .defer("version__content")
            .order_by("-created_at")
            .first()
        )
    return (
        Signature.objects.filter(
            agreement_id=token.agreement_id, version_hash=token.version_hash, role=role
        )
        .select_related("person", "version")
        .defer("version__content")
        .first()
    )


def _justering_on(token: ActionToken) -> DecisionStep | None:
    return (
        DecisionStep.objects.filter(
            agreement_id=token.agreement_id,
            decision__version_hash=token.version_hash,
            kind=StepKind.JUSTERING,
        )
        .select_related("decision__version", "recorded_by")
        .defer("decision__version__content")
        .order_by("-pk")
        .first()
    )


def event_for(obj: Decision | Signature | None) -> AuditEvent | None:
    """The trail event that recorded a decision or signature, with the names as they were."""
    if obj is None:
        return None
    return (
        AuditEvent.objects.filter(
            agreement_id=obj.agreement_id,
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
        )
        .select_related("actor_names")
        .first()
    )


# -- the period in force (workflows/views/lifecycle.py) --------------------------------


def revision_versions(agreements: list[Agreement]) -> dict[int, int | None]:
    """For each agreement under revision, the number of the latest version written in
    this revision, or None while the drafters have not submitted one yet (the latest
    version is then the one in force, or an earlier revision's). One query, and none
    when no agreement is under revision."""
    ids = [a.pk for a in agreements if a.in_revision]
    if not ids:
        return {}
    found: dict[int, int | None] = dict.fromkeys(ids)
    events = (
        AuditEvent.objects.filter(
            agreement_id__in=ids, action__in=("revision_opened", "version_submitted")
        )
        .order_by("agreement_id", "seq")
        .values_list("agreement_id", "action", "details")
    )
    for agreement_id, action, details in events:
        found[agreement_id] = None if action == "revision_opened" else details.get("number")
    return found


# -- follow-up reports -----------------------------------------------------------------


def last_follow_up(agreement: Agreement):
    """The latest submitted follow-up report (by due date), or None."""
    from .models import FollowUpReport, ReportState

    return (
        FollowUpReport.objects.filter(agreement=agreement, state=ReportState.SUBMITTED)
        .select_related("submitted_by", "version")
        .defer("version__content")
        .order_by("-due_date")
        .first()
    )


def follow_up_reports_of(agreement: Agreement) -> dict:
    """Every follow-up report of the agreement, drafts too, by due date; without
    their content. One query."""
    from .models import FollowUpReport

    reports = FollowUpReport.objects.filter(agreement=agreement).defer(
        "items", "analysis", "recommendations"
    )
    return {report.due_date: report for report in reports}


def follow_up_report(agreement: Agreement, due_date):
    from .models import FollowUpReport

    return (
        FollowUpReport.objects.filter(agreement=agreement, due_date=due_date)
        .select_related("version", "created_by", "updated_by", "submitted_by")
        .first()
    )
