"""Read-only queries for the promises pages, each a fixed number of SQL statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q
from django.utils.text import slugify
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS

from workflows.models import Agreement, AuditEvent, Organisation, Person, TaskKind
from workflows.selectors import InboxTask, roles_held
from workflows.services.actors import task_roles
from workflows.services.rounds import OPEN_TASK
from workflows.trail_records import identification_row
from workflows.vocabulary import place_of

from .lifecycle import PROMISE_SET, PUBLIC
from .models import (
    Answer,
    Promise,
    PromiseAnswer,
    PromiseApproval,
    PromiseFollowUp,
    PromiseReport,
    PromiseSet,
)
from .services.common import PROMISE_KINDS

# -- the public pages -------------------------------------------------------------------


def kommun_slug(kommun: Organisation) -> str:
    """The kommun in the public address: "Höörs kommun" → "hoor"."""
    return slugify(place_of(kommun.name))


@dataclass(frozen=True)
class PublicKommun:
    kommun: Organisation
    place: str
    slug: str


def published_kommuner() -> list[PublicKommun]:
    """The kommuner with published promises, by name. One query."""
    with_published = PromiseSet.objects.filter(PROMISE_SET.q_with(PUBLIC)).values(
        "agreement__kommun_id"
    )
    kommuner = Organisation.objects.filter(pk__in=with_published).order_by("name")
    return [PublicKommun(k, place_of(k.name), kommun_slug(k)) for k in kommuner]


def _latest_first(queryset):
    return queryset.order_by("-reported_on", "-created_at")


def published_sets(kommun: Organisation) -> list[PromiseSet]:
    """The kommun's published sets, the latest period first, each with ``signatures``
    (the round's two answers) and its promises' ``latest`` follow-up. Five queries."""
    promises = Promise.objects.order_by("position").prefetch_related(
        Prefetch("follow_ups", queryset=_latest_first(PromiseFollowUp.objects.all()))
    )
    sets = list(
        PromiseSet.objects.filter(PROMISE_SET.q_with(PUBLIC), agreement__kommun=kommun)
        .select_related("agreement__kommun", "agreement__lokalpolisomrade")
        .prefetch_related(
            Prefetch("promises", queryset=promises),
            Prefetch("answers", queryset=PromiseAnswer.objects.filter(answer=Answer.SIGNED)),
            Prefetch("reports", queryset=PromiseReport.objects.order_by("year")),
        )
        .order_by("-first_year")
    )
    for promise_set in sets:
        promise_set.signatures = [
            a for a in promise_set.answers.all() if a.round == promise_set.round
        ]
        for promise in promise_set.promises.all():
            follow_ups = list(promise.follow_ups.all())
            promise.latest = follow_ups[0] if follow_ups else None
    return sets


# -- the drafters' pages ----------------------------------------------------------------


def sets_of(agreement: Agreement) -> list[PromiseSet]:
    return list(agreement.promise_sets.order_by("-first_year"))


def set_of(agreement: Agreement, set_id: int) -> PromiseSet | None:
    promises = Promise.objects.order_by("position").prefetch_related(
        Prefetch(
            "follow_ups", queryset=_latest_first(PromiseFollowUp.objects.select_related("author"))
        )
    )
    promise_set = (
        agreement.promise_sets.filter(pk=set_id)
        .prefetch_related(
            Prefetch("promises", queryset=promises),
            Prefetch(
                "approvals",
                queryset=PromiseApproval.objects.select_related("person").order_by("created_at"),
            ),
            Prefetch("answers", queryset=PromiseAnswer.objects.select_related("person")),
            Prefetch("reports", queryset=PromiseReport.objects.select_related("author")),
        )
        .first()
    )
    if promise_set is not None:
        for promise in promise_set.promises.all():
            follow_ups = list(promise.follow_ups.all())
            promise.latest = follow_ups[0] if follow_ups else None
    return promise_set


def events_of(promise_set: PromiseSet) -> list[AuditEvent]:
    """The set's events in the agreement's trail, with the names as they were."""
    return list(
        AuditEvent.objects.filter(
            agreement_id=promise_set.agreement_id,
            object_type=PromiseSet._meta.model_name,
            object_id=str(promise_set.pk),
        )
        .select_related("actor_names")
        .order_by("seq")
    )


# -- the inbox --------------------------------------------------------------------------


def tasks_for_person(person: Person, agreement: Agreement | None = None) -> list[InboxTask]:
    """The open promise tasks the person may act on today, by the same rule as
    ``workflows.services.actors.task_assignments``. Two queries, however many."""
    held = roles_held(person)
    if not held:
        return []
    org_ids = {org_id for org_id, _role in held}
    sets = PromiseSet.objects.filter(
        Q(agreement__kommun_id__in=org_ids) | Q(agreement__lokalpolisomrade_id__in=org_ids),
        PROMISE_SET.q_can("sign") | PROMISE_SET.q_can("record_delegation_step"),
    )
    if agreement is not None:
        sets = sets.filter(agreement=agreement)
    tasks = (
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN_TASK,
            process__status=PROCESS.NEW,
            process__artifact_content_type=ContentType.objects.get_for_model(PromiseSet),
            process__artifact_object_id__in=sets.values("pk"),
        )
        .select_related("process")
        .order_by("created", "pk")
    )
    tasks = list(tasks)
    by_id = (
        {
            s.pk: s
            for s in PromiseSet.objects.filter(
                pk__in={t.process.artifact_object_id for t in tasks}
            ).select_related("agreement__kommun", "agreement__lokalpolisomrade")
        }
        if tasks
        else {}
    )
    found = []
    for task in tasks:
        kind = task.flow_task.name if task.flow_task else ""
        promise_set = by_id.get(task.process.artifact_object_id)
        if kind not in (*PROMISE_KINDS, TaskKind.PROMISES_ANMALAN) or promise_set is None:
            continue
        org_id, roles = task_roles(promise_set.agreement, kind)
        if any((org_id, role) in held for role in roles):
            found.append(
                InboxTask(
                    task=task,
                    agreement=promise_set.agreement,
                    kind=kind,
                    subject=str(promise_set.title),
                )
            )
    return found


def answers_of(agreement_ids: list[int]) -> tuple[str, dict[int, list[dict]]]:
    """The medborgarlöften answers of these agreements, as the trail's verifiers read
    them (``workflows.trail_records.RECORD_SOURCES``). One query."""
    rows = (
        PromiseAnswer.objects.filter(promise_set__agreement_id__in=agreement_ids)
        .annotate(agreement_id=F("promise_set__agreement_id"))
        .order_by("pk")
    )
    found: dict[int, list[dict]] = defaultdict(list)
    for a in rows:
        found[a.agreement_id].append(_answer_row(a))
    return "answers", found


def _answer_row(a: PromiseAnswer) -> dict:
    return {
        "id": a.pk,
        "set": a.promise_set_id,
        "round": a.round,
        "role": a.role,
        "answer": a.answer,
        "content_hash": a.content_hash,
        "person": a.person_id,
        "place": a.place,
        "signed_on": a.signed_on.isoformat() if a.signed_on else None,
        "reason": a.reason,
        # Only on a delegated decision, so older rows read as before.
        **({"delegation_point": a.delegation_point} if a.delegation_point else {}),
        # How the signatory was identified, on answers signed since issue 14.
        **(identification_row(a) if a.identified_by else {}),
    }


def set_of_task(task_id: int) -> PromiseSet | None:
    """The set a round's task is about."""
    task = Task.objects.select_related("process").filter(pk=task_id).first()
    if task is None:
        return None
    return (
        PromiseSet.objects.select_related("agreement__kommun", "agreement__lokalpolisomrade")
        .filter(pk=task.process.artifact_object_id)
        .first()
    )


def status_of_token(token) -> tuple[str, str]:
    """What a medborgarlöften link's pages say stands now: the set's own state."""
    from django.utils.translation import gettext

    promise_set = set_of_task(token.task_id)
    if promise_set is None:
        return gettext("Medborgarlöftenas"), "–"
    return gettext("Medborgarlöftenas"), promise_set.get_state_display()


def registration_of_set(promise_set) -> dict | None:
    """A set registered afterwards: who registered it, from which document, and its
    signatures in words (workflows/registered.py). None for a set decided here."""
    from workflows.models import Registration, SignatoryRole
    from workflows.registered import signature_words

    registration = (
        Registration.objects.filter(promise_set_id=promise_set.pk)
        .select_related("registered_by", "document")
        .defer("document__data")
        .first()
    )
    if registration is None:
        return None
    return {
        "registration": registration,
        "document": registration.document,
        "signatures": [
            (SignatoryRole(fact["role"]).label, signature_words(fact))
            for fact in registration.facts["signatures"]
        ],
    }
