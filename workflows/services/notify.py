"""Who is told what, for each event in the trail.

The services call these inside their transaction; notifications/ writes the
outbox rows there and sends after commit. One key per event and recipient
keeps a retried transition from mailing anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.rendering import AT_SEND, ATTACH
from notifications.services import Outgoing, emails_enqueue

from ..models import AuditEvent, Person, Track, Version
from .actors import drafters, party_people


def in_swedish(function):
    """Labels that go into e-mails and the record are Swedish, whatever language
    the person acting has chosen; the English templates map them themselves."""

    def wrapper(*args, **kwargs):
        with override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    wrapper.__doc__, wrapper.__name__ = function.__doc__, function.__name__
    return wrapper


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# The link in a task e-mail is rendered when the e-mail is (notifications' "at send"
# values): the outbox row holds the token row's id, never the link.
LINK_AT_SEND = AT_SEND


def link_reference(token) -> dict:
    return {"link": ["workflows.task_link", token.pk]}


def task_link_url(token_pk: int) -> str:
    """The link for an outbox row being rendered (notifications.rendering.AT_SEND)."""
    from ..models import ActionToken
    from .tokens import token_raw

    token = ActionToken.objects.get(pk=token_pk)
    return absolute(reverse("workflows:link_open", args=[token_raw(token)]))


def sealed_pdf(record_pk: int) -> tuple[str, bytes, str]:
    """The sealed PDF/A for an outbox row being sent (notifications.rendering.ATTACH)."""
    from ..models import SealedRecord

    record = SealedRecord.objects.get(pk=record_pk)
    return record.file_name, bytes(record.pdf), "application/pdf"


def mail_to(person: Person, agreement_id: int, *, template: str, context: dict, key: str):
    """One e-mail to one person, in their language, filed under the agreement."""
    return Outgoing(
        to_email=person.email,
        to_name=person.name,
        language=person.language,
        template=template,
        context=context,
        key=key,
        object_type="agreement",
        object_id=str(agreement_id),
    )


def task_link_mail(*, person: Person, agreement, task, token, template: str, context: dict):
    """A personal link to act on one task. The link, the due date and whom to ask are
    read when the e-mail is sent; the row holds the token's id, never the link."""
    emails_enqueue(
        [
            mail_to(
                person,
                agreement.pk,
                template=template,
                key=f"link:{token.token_hash}",
                context={
                    **context,
                    LINK_AT_SEND: {
                        **link_reference(token),
                        "facts": ["workflows.task_facts", [task.pk, agreement.pk]],
                    },
                    "days": settings.LINK_TTL_DAYS,
                },
            )
        ]
    )


def send_event(event: AuditEvent, template: str, people: list[Person], context: dict) -> None:
    """One e-mail per person about one trail event; the key keeps a retried
    transition from mailing anyone twice."""
    emails_enqueue(
        [
            mail_to(
                person,
                event.agreement_id,
                template=template,
                context=context,
                key=f"event:{event.pk}:{template}:{person.pk}",
            )
            for person in people
        ]
    )


def _send(event: AuditEvent, template: str, people: list[Person], context: dict) -> None:
    send_event(event, f"workflows/email/{template}", people, context)


def _version_context(event: AuditEvent, version: Version) -> dict:
    agreement = version.agreement
    return {
        "title": agreement.title,
        "number": version.number,
        "short_hash": version.short_hash,
        "actor": event.actor_names.name,
        "change_note": version.change_note,
        "version_url": absolute(
            reverse("workflows:version_detail", args=[agreement.pk, version.number])
        ),
        "compare_url": absolute(reverse("workflows:version_compare", args=[agreement.pk]))
        + (f"?fran={version.number - 1}&till={version.number}" if version.number > 1 else ""),
    }


def _others(version: Version, event: AuditEvent) -> list[Person]:
    return [p for p in drafters(version.agreement) if p.pk != event.actor_id]


def version_submitted(event: AuditEvent, version: Version) -> None:
    """The other drafters: a new version to read (and approve)."""
    _send(event, "version_submitted", _others(version, event), _version_context(event, version))


def version_approved(event: AuditEvent, version: Version) -> None:
    _send(event, "version_approved", _others(version, event), _version_context(event, version))


def joint_proposal(event: AuditEvent, version: Version) -> None:
    """Both drafters: the proposal is ready to take to decision."""
    _send(event, "joint_proposal", drafters(version.agreement), _version_context(event, version))


TASK_WORDS = {
    "municipal_decision": ("registrera kommunens beslut om", "Beslut"),
    "police_decision": ("besluta för Polisen om", "Beslut"),
    "municipal_protocol": (
        "registrera justering och anslag av kommunens beslut om",
        "Justering och anslag",
    ),
    "ks_signature": ("underteckna", "Underskrift"),
    "lpo_signature": ("underteckna", "Underskrift"),
}


def task_facts(argument: list[int]) -> dict:
    """When the task is due and whom to ask (the drafters, who wait for it), read when
    the e-mail is sent: a meeting that tabled the matter moves the date, and a
    transition pays nothing for what only its e-mails say."""
    from ..deadlines import task_due
    from ..models import Agreement

    task_pk, agreement_pk = argument
    return {
        "due": task_due(task_pk, agreement_pk).isoformat(),
        "drafters": [
            {"name": p.name, "email": p.email}
            for p in drafters(Agreement.objects.get(pk=agreement_pk))
        ],
    }


def task_link(*, agreement, version, task, person: Person, token, reason: str) -> None:
    """A decision-maker or signatory: a link to act on one task, by when, and whom to ask."""
    action, label = TASK_WORDS[task.flow_task.name]
    task_link_mail(
        person=person,
        agreement=agreement,
        task=task,
        token=token,
        template="workflows/email/task_link",
        context={
            "title": agreement.title,
            "kommun": agreement.kommun.name,
            "lokalpolisomrade": agreement.lokalpolisomrade.name,
            "number": version.number,
            "short_hash": version.short_hash,
            "action": action,
            "label": label,
            "reason": reason,
        },
    )


@in_swedish
def links_withdrawn(agreement, tokens, why: str, number: int | None) -> None:
    """Whoever held a live link of a cancelled round: it no longer works, why, and
    what comes next. Keyed by task and person, so a retried transition tells once."""
    emails_enqueue(
        [
            mail_to(
                token.person,
                agreement.pk,
                template="workflows/email/link_withdrawn",
                context={
                    "title": agreement.title,
                    "task_label": TASK_WORDS[token.kind][1],
                    "why": why,
                    "number": number,
                },
                key=f"withdrawn:{token.task_id}:{token.person_id}",
            )
            for token in tokens
        ]
    )


def _agreement_url(agreement_id: int) -> str:
    return absolute(reverse("workflows:agreement_detail", args=[agreement_id]))


@in_swedish
def decision_recorded(event: AuditEvent, decision) -> None:
    """Drafters on each decision: bifall, avslag, återremiss (with the reason), bordläggning."""
    agreement = decision.agreement
    _send(
        event,
        "decision_recorded",
        drafters(agreement),
        {
            "title": agreement.title,
            "body": decision.get_body_display(),
            "outcome": decision.outcome,
            "outcome_label": decision.get_outcome_display(),
            "meeting_date": decision.meeting_date.isoformat(),
            "next_meeting_date": (
                decision.next_meeting_date.isoformat() if decision.next_meeting_date else ""
            ),
            "paragraph": decision.paragraph,
            "diarienummer": decision.diarienummer,
            "police": decision.track == Track.POLICE,
            "decided_by": decision.decided_by,
            "presenter": decision.presenter,
            "note": decision.note,
            "actor": event.actor_names.name,
            "number": decision.version.number,
            "agreement_url": _agreement_url(agreement.pk),
        },
    )


def signing_opened(event: AuditEvent, version: Version) -> None:
    """Drafters: both decisions were bifall; the signatories have their links."""
    _send(event, "signing_opened", drafters(version.agreement), _version_context(event, version))


@in_swedish
def signature_added(event: AuditEvent, signature) -> None:
    agreement = signature.agreement
    _send(
        event,
        "signature_added",
        drafters(agreement),
        {
            "title": agreement.title,
            "actor": event.actor_names.name,
            "role": signature.get_role_display(),
            "place": signature.place,
            "signed_on": signature.signed_on.isoformat(),
            "agreement_url": _agreement_url(agreement.pk),
        },
    )


@in_swedish
def agreement_signed(event: AuditEvent, version: Version, *, sealed) -> None:
    """Everyone at both parties: signed (and maybe in force), with the chain head
    so a later rewrite of the trail can be caught from outside the database, and
    the sealed PDF/A attached (read from its row when the e-mail is sent)."""
    agreement = version.agreement
    _send(
        event,
        "agreement_signed",
        party_people(agreement),
        {
            "title": agreement.title,
            "number": version.number,
            "content_hash": version.content_hash,
            "in_force": agreement.applies,
            "period_start": agreement.period_start.isoformat(),
            "period_end": agreement.period_end.isoformat(),
            "trail_head": event.hash,
            "trail_seq": event.seq,
            "pdf_name": sealed.file_name,
            "pdf_sha256": sealed.sha256,
            "sealed_by": sealed.sealed_by,
            ATTACH: [["workflows.sealed_pdf", sealed.pk]],
            "signatures": [
                {
                    "name": s.person.name,
                    "role": s.get_role_display(),
                    "place": s.place,
                    "signed_on": s.signed_on.isoformat(),
                }
                for s in version.signatures.select_related("person")
            ],
            "agreement_url": _agreement_url(agreement.pk),
        },
    )


def entered_into_force(event: AuditEvent, agreement) -> None:
    _send(
        event,
        "entered_into_force",
        party_people(agreement),
        {
            "title": agreement.title,
            "period_start": agreement.period_start.isoformat(),
            "period_end": agreement.period_end.isoformat(),
            "agreement_url": _agreement_url(agreement.pk),
        },
    )


@in_swedish
def task_escalated(event: AuditEvent, agreement, task, assignments) -> None:
    """Drafters: a decision-maker or signatory has not acted; they may follow up."""
    _send(
        event,
        "task_escalated",
        drafters(agreement),
        {
            "title": agreement.title,
            "task_label": TASK_WORDS[task.flow_task.name][1],
            "waiting_for": [f"{a.person.name} ({a.display_title})" for a in assignments],
            "since": task.created.date().isoformat(),
            "due": event.details["due"],
            "agreement_url": _agreement_url(agreement.pk),
        },
    )


def email_failed(email, agreement) -> None:
    """Drafters: a task e-mail could not be delivered, so the round may stall."""
    context = {
        "title": agreement.title,
        "recipient": f"{email.to_name} <{email.to_email}>",
        "error": email.last_error or email.delivery_detail or email.delivery_status,
        "agreement_url": _agreement_url(agreement.pk),
    }
    emails_enqueue(
        [
            mail_to(
                person,
                agreement.pk,
                template="workflows/email/email_failed",
                context=context,
                key=f"failed:{email.pk}:{person.pk}",
            )
            for person in drafters(agreement)
        ]
    )


# -- what befalls the kommun's decision (services/decision_steps.py) --------------------


def _decision_url(decision) -> str:
    return absolute(reverse("workflows:decision_detail", args=[decision.agreement_id, decision.pk]))


def _status_dates(status) -> dict:
    """The dates the English e-mails word themselves (``status.words()`` is Swedish)."""
    last = status.last_appeal_day
    return {
        "last_appeal_day": last.isoformat() if last else "",
        "laga_kraft_on": status.laga_kraft.on.isoformat() if status.laga_kraft else "",
    }


def _step_context(event: AuditEvent, step) -> dict:
    from ..decision_status import status_of

    decision = step.decision
    agreement = decision.agreement
    status = status_of(decision, fresh=True)
    return {
        "title": agreement.title,
        "number": decision.version.number,
        "step": step.get_kind_display(),
        "on": step.on.isoformat(),
        "names": step.names,
        "case_number": step.case_number,
        "appeal_outcome": step.get_appeal_outcome_display() if step.appeal_outcome else "",
        "status": status.words(),
        **_status_dates(status),
        "actor": event.actor_names.name,
        "agreement_url": _agreement_url(agreement.pk),
        "decision_url": _decision_url(decision),
    }


@in_swedish
def decision_step_recorded(event: AuditEvent, step) -> None:
    """The drafters: the kommun's decision was justerat, announced, appealed…"""
    _send(event, "decision_step_recorded", drafters(step.agreement), _step_context(event, step))


@in_swedish
def decision_quashed(event: AuditEvent, step) -> None:
    """Everyone at both parties: a court quashed the kommun's decision."""
    # After signing the text stays in force and the parties choose; before it, the
    # kommun decides again.
    context = {**_step_context(event, step), "signed": event.from_state == event.to_state}
    _send(event, "decision_quashed", party_people(step.agreement), context)


@in_swedish
def decision_step_reminder(event: AuditEvent, decision, people: list[Person], due: str) -> None:
    """The nämndsekreterare: the anslag is due, or laga kraft can be confirmed."""
    from ..decision_status import status_of

    agreement = decision.agreement
    status = status_of(decision, fresh=True)
    _send(
        event,
        "decision_step_reminder",
        people,
        {
            "title": agreement.title,
            "number": decision.version.number,
            "due": due,
            "due_label": _("registrera anslaget") if due == "anslag" else _("bekräfta laga kraft"),
            # the anslag is a time limit (within two days of the justering); laga kraft
            # only waits for the appeal window to pass
            "anslag_due": status.anslag_due.isoformat() if due == "anslag" else "",
            "status": status.words(),
            **_status_dates(status),
            "decision_url": _decision_url(decision),
        },
    )


def lifecycle(event: AuditEvent, agreement, template: str, **extra) -> None:
    """Everyone at both parties who drafts, decides or signs: a change in the period
    in force (revision opened, warning before the end, expiry, termination)."""
    context = {
        "title": agreement.title,
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
        "actor": event.actor_names.name,
        "agreement_url": _agreement_url(agreement.pk),
        **extra,
    }
    _send(event, template, party_people(agreement), context)


# -- follow-up reports ------------------------------------------------------------


def _follow_up_url(agreement_id: int, due_date) -> str:
    return absolute(reverse("workflows:followup_report", args=[agreement_id, due_date.isoformat()]))


def _follow_up_context(agreement, entry) -> dict:
    return {
        "title": agreement.title,
        "due_date": entry.due.isoformat(),
        "term_start": entry.term_start.isoformat(),
        "term_end": entry.term_end.isoformat(),
        "report_url": _follow_up_url(agreement.pk, entry.due),
        "agreement_url": _agreement_url(agreement.pk),
    }


@in_swedish
def follow_up_submitted(event: AuditEvent, report, entry) -> None:
    """Everyone at both parties: the report is in, with its hash; a recommendation
    to revise is said in the e-mail itself."""
    agreement = report.agreement
    context = {
        **_follow_up_context(agreement, entry),
        "actor": event.actor_names.name,
        "recommend_revision": report.recommend_revision,
        "recommendations": report.recommendations,
        "content_hash": report.content_hash,
    }
    _send(event, "followup_submitted", party_people(agreement), context)


def follow_up_reminder(event: AuditEvent, agreement, entry, days: int) -> None:
    """The drafters: a report is due in ``days`` days (0: today)."""
    context = {**_follow_up_context(agreement, entry), "days": days}
    _send(event, "followup_reminder", drafters(agreement), context)


def follow_up_overdue(event: AuditEvent, agreement, entry, days_late: int) -> None:
    """The drafters of both parties, the KS-ordförande and the LPO-chef (and their
    substitutes): a report is overdue."""
    from ..models import TaskKind
    from .actors import task_assignments

    writers = drafters(agreement)
    chiefs = [
        assignment.person
        for kind in (TaskKind.KS_SIGNATURE, TaskKind.LPO_SIGNATURE)
        for assignment in task_assignments(agreement, kind)
    ]
    people = list({person.pk: person for person in [*writers, *chiefs]}.values())
    context = {
        **_follow_up_context(agreement, entry),
        "days_late": days_late,
        "drafters": [person.name for person in writers],
    }
    _send(event, "followup_overdue", people, context)


def follow_up_revision_prompt(event: AuditEvent, agreement, entry) -> None:
    """The drafters, once a year on a yearly follow-up: revise, or keep the text?"""
    context = {
        **_follow_up_context(agreement, entry),
        "period_end": agreement.period_end.isoformat(),
    }
    _send(event, "followup_revision_prompt", drafters(agreement), context)


@in_swedish
def record_corrected(event: AuditEvent, correction, record) -> None:
    """Everyone at both parties: a recorded decision or signature was corrected."""
    from ..corrections import FIELD_WORDS

    agreement = record.agreement
    label = str(FIELD_WORDS[correction.field])
    with override("en"):
        label_en = str(FIELD_WORDS[correction.field])
    context = {
        "title": agreement.title,
        "number": record.version.number,
        "signature": correction.record == "signature",
        "field": label,
        "field_en": label_en,
        "old": correction.old_value or "–",
        "new": correction.new_value or "–",
        "reason": correction.reason,
        "actor": event.actor_names.name,
        "agreement_url": _agreement_url(agreement.pk),
    }
    _send(event, "record_corrected", party_people(agreement), context)


def _lifecycle_mail(template: str):
    def mail(event: AuditEvent, agreement, **extra) -> None:
        lifecycle(event, agreement, template, **extra)

    return mail


# The e-mail events the lifecycle declaration names (Edge.email), as the transition
# runner sends them: each is called with the trail event, its subject and any extra words.
EVENT_MAIL = {
    "version_submitted": version_submitted,
    "version_approved": version_approved,
    "joint_proposal": joint_proposal,
    "decision_recorded": decision_recorded,
    "decision_step_recorded": decision_step_recorded,
    "decision_quashed": decision_quashed,
    "decision_step_reminder": decision_step_reminder,
    "record_corrected": record_corrected,
    "signing_opened": signing_opened,
    "signature_added": signature_added,
    "agreement_signed": agreement_signed,
    "entered_into_force": entered_into_force,
    "task_escalated": task_escalated,
    "revision_opened": _lifecycle_mail("revision_opened"),
    "agreement_terminated": _lifecycle_mail("agreement_terminated"),
    "notice_given": _lifecycle_mail("notice_given"),
    "agreement_expired": _lifecycle_mail("agreement_expired"),
    "agreement_registered": _lifecycle_mail("agreement_registered"),
    "expiry_warning": _lifecycle_mail("expiry_warning"),
    "follow_up_submitted": follow_up_submitted,
    "follow_up_reminder": follow_up_reminder,
    "follow_up_overdue": follow_up_overdue,
    "follow_up_revision_prompt": follow_up_revision_prompt,
}
