"""Who is told what about medborgarlöften, for each event in the trail.

Called inside the services' transactions; ``notifications`` writes the outbox
rows there and sends after commit. One key per event and recipient keeps a
retried transition from mailing anyone twice. Labels in the context are Swedish
(``in_swedish``); the English templates map the few they show.
"""

from __future__ import annotations

from django.urls import reverse

from notifications.services import emails_enqueue
from workflows.models import AuditEvent, Person
from workflows.services.actors import drafters, party_people
from workflows.services.notify import (
    absolute,
    in_swedish,
    mail_to,
    send_event,
    task_link_mail,
)

TEMPLATE_DIR = "promises/email"


def set_url(promise_set) -> str:
    return absolute(reverse("promises:set_detail", args=[promise_set.agreement_id, promise_set.pk]))


def _send(event: AuditEvent, template: str, people: list[Person], context: dict) -> None:
    send_event(event, f"{TEMPLATE_DIR}/{template}", people, context)


def _context(event: AuditEvent, promise_set, **extra) -> dict:
    agreement = promise_set.agreement
    return {
        "title": str(promise_set.title),
        "period": promise_set.period,
        "agreement": agreement.title,
        "kommun": agreement.kommun.name,
        "actor": event.actor_names.name,
        "short_hash": promise_set.short_hash,
        "set_url": set_url(promise_set),
        **extra,
    }


def _other_drafters(event: AuditEvent, promise_set) -> list[Person]:
    return [p for p in drafters(promise_set.agreement) if p.pk != event.actor_id]


@in_swedish
def promises_changed(event: AuditEvent, promise_set) -> None:
    """The other drafter: the promises changed (and earlier approvals no longer count)."""
    _send(event, "changed", _other_drafters(event, promise_set), _context(event, promise_set))


@in_swedish
def promises_approved(event: AuditEvent, promise_set) -> None:
    _send(event, "approved", _other_drafters(event, promise_set), _context(event, promise_set))


@in_swedish
def promises_proposed(event: AuditEvent, promise_set) -> None:
    """Both drafters: a joint proposal; the KS-ordförande and the LPO-chef have links."""
    _send(event, "proposed", drafters(promise_set.agreement), _context(event, promise_set))


@in_swedish
def task_link(*, promise_set, task, person: Person, token, reason: str) -> None:
    """The KS-ordförande or the LPO-chef: a personal link to decide and sign."""
    agreement = promise_set.agreement
    task_link_mail(
        person=person,
        agreement=agreement,
        task=task,
        token=token,
        template=f"{TEMPLATE_DIR}/task_link",
        context={
            "title": str(promise_set.title),
            "period": promise_set.period,
            "kommun": agreement.kommun.name,
            "lokalpolisomrade": agreement.lokalpolisomrade.name,
            "promises": list(promise_set.promises.values_list("title", flat=True)),
            "short_hash": promise_set.short_hash,
            "reason": reason,
        },
    )


@in_swedish
def promises_answered(event: AuditEvent, answer) -> None:
    """Drafters: one signatory signed, or sent the promises back (with the reason)."""
    promise_set = answer.promise_set
    _send(
        event,
        "answered",
        drafters(promise_set.agreement),
        _context(
            event,
            promise_set,
            signed=answer.signed,
            role=answer.get_role_display(),
            role_code=answer.role,
            place=answer.place,
            signed_on=answer.signed_on.isoformat() if answer.signed_on else "",
            reason=answer.reason,
        ),
    )


@in_swedish
def promises_published(event: AuditEvent, promise_set) -> None:
    """Everyone at both parties who drafts, decides or signs: published, with the
    public page's address and the chain head."""
    from ..selectors import kommun_slug

    public = reverse("promises:public_kommun", args=[kommun_slug(promise_set.agreement.kommun)])
    _send(
        event,
        "published",
        party_people(promise_set.agreement),
        _context(
            event,
            promise_set,
            content_hash=promise_set.content_hash,
            public_url=absolute(public),
            trail_head=event.hash,
            trail_seq=event.seq,
        ),
    )


@in_swedish
def promise_followed_up(event: AuditEvent, follow_up) -> None:
    promise_set = follow_up.promise.promise_set
    _send(
        event,
        "followed_up",
        _other_drafters(event, promise_set),
        _context(
            event,
            promise_set,
            promise=follow_up.promise.title,
            status=follow_up.get_status_display(),
            status_code=follow_up.status,
            comment=follow_up.comment,
            reported_on=follow_up.reported_on.isoformat(),
        ),
    )


@in_swedish
def promises_reported(event: AuditEvent, report) -> None:
    """Everyone at both parties: the yearly report is written."""
    promise_set = report.promise_set
    _send(
        event,
        "reported",
        party_people(promise_set.agreement),
        _context(event, promise_set, year=report.year, summary=report.summary),
    )


@in_swedish
def promises_withdrawn(event: AuditEvent, promise_set) -> None:
    """Drafters and the two signatories: the agreement ended, the round is cancelled
    and its links no longer work; nothing to do."""
    from workflows.models import TaskKind
    from workflows.services.actors import task_assignments

    agreement = promise_set.agreement
    signatories = [
        assignment.person
        for kind in (TaskKind.PROMISES_KS, TaskKind.PROMISES_LPO)
        for assignment in task_assignments(agreement, kind)
    ]
    people = list({p.pk: p for p in [*drafters(agreement), *signatories]}.values())
    _send(event, "withdrawn", people, _context(event, promise_set))


@in_swedish
def promises_task_escalated(event: AuditEvent, promise_set, task, assignments) -> None:
    """Drafters: a signatory has not acted on the promises; they may follow it up."""
    from workflows.vocabulary import task_heading

    context = _context(
        event,
        promise_set,
        task_label=task_heading(task.flow_task.name),
        waiting_for=[f"{a.person.name} ({a.display_title})" for a in assignments],
        since=task.created.date().isoformat(),
    )
    _send(event, "escalated", drafters(promise_set.agreement), context)


@in_swedish
def anmalan_task(*, promise_set, person: Person, reason: str) -> None:
    """The nämndsekreterare: the KS-ordförande decided the promises by delegation;
    report it to the next KS meeting and record the anmälan on the set's page."""
    from ..delegation import delegated_decision

    agreement = promise_set.agreement
    decision = delegated_decision(promise_set)
    emails_enqueue(
        [
            mail_to(
                person,
                agreement.pk,
                template=f"{TEMPLATE_DIR}/anmalan_task",
                context={
                    "title": str(promise_set.title),
                    "period": promise_set.period,
                    "kommun": agreement.kommun.name,
                    "decided_by": decision.answer.person.name if decision else "",
                    "decided_on": decision.answer.signed_on.isoformat() if decision else "",
                    "delegation_point": decision.answer.delegation_point if decision else "",
                    "reason": reason,
                    "set_url": set_url(promise_set) + "#delegation",
                },
                # One e-mail per task opening and per reminder: the trail's head moves between.
                key=f"anmalan:{promise_set.pk}:{promise_set.round}:{person.pk}:{reason}",
            )
        ]
    )


@in_swedish
def promises_delegation_step(event: AuditEvent, step) -> None:
    """The drafters and the KS-ordförande: the delegated decision was anmält, or has
    laga kraft; where it stands."""
    from workflows.models import TaskKind
    from workflows.services.actors import task_assignments

    from ..delegation import delegated_decision
    from ..models import DelegationStepKind

    promise_set = step.promise_set
    agreement = promise_set.agreement
    chair = [a.person for a in task_assignments(agreement, TaskKind.PROMISES_KS)]
    people = list({p.pk: p for p in [*drafters(agreement), *chair]}.values())
    decision = delegated_decision(promise_set)
    last = decision.last_appeal_day if decision else None
    context = _context(
        event,
        promise_set,
        anmalan=step.kind == DelegationStepKind.ANMALAN,
        on=step.on.isoformat(),
        paragraph=step.paragraph,
        announced_on=step.announced_on.isoformat() if step.announced_on else "",
        last_appeal_day=last.isoformat() if last else "",
        status=decision.words() if decision else "",
    )
    _send(event, "delegation_step", people, context)


# The e-mail events promises/lifecycle.py names, as the transition runner sends them.
EVENT_MAIL = {
    "promises_changed": promises_changed,
    "promises_approved": promises_approved,
    "promises_proposed": promises_proposed,
    "promises_answered": promises_answered,
    "promises_published": promises_published,
    "promises_withdrawn": promises_withdrawn,
    "promises_task_escalated": promises_task_escalated,
    "promises_delegation_step": promises_delegation_step,
    "promise_followed_up": promise_followed_up,
    "promises_reported": promises_reported,
}
