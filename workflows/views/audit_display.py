"""The decision trail as an auditor reads it: one row per event with who, when,
what, on which version, and the event's own details in words.

Everything shown as a fact comes from the hashed event itself (its actor ids,
role, channel, version hash and details), except the names and titles, which sit
beside the chain in ``EventActor`` as they were when the event happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import DeliveryStatus, OutboxEmail, Status
from notifications.rendering import template_names

from ..models import (
    Agreement,
    AuditEvent,
    Role,
)
from ..models.trail import Channel
from ..trail_actions import action_label, event_facts, hash_label, states_of


def _label(choices, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@dataclass
class TrailRow:
    event: AuditEvent
    what: str
    name: str
    title: str
    on_behalf_of: str
    role: str
    organisation: str
    channel: str
    versions: list[int]
    hash_label: str | None  # None: the hash is a version's
    states: tuple[str, str] | None
    facts: list[tuple[str, str]] = field(default_factory=list)


def trail_rows(
    events: list[AuditEvent], agreement: Agreement, versions: dict[str, list[int]]
) -> list[TrailRow]:
    return [_row(event, agreement, versions) for event in events]


def _row(event: AuditEvent, agreement: Agreement, versions: dict[str, list[int]]) -> TrailRow:
    names = getattr(event, "actor_names", None)  # None once erased
    title = names.title if names else ""
    role = _label(Role, event.actor_role) if event.actor_role else ""
    organisation = event.actor_organisation.name if event.actor_organisation else ""
    return TrailRow(
        event=event,
        what=action_label(event),
        name=names.name if names else _("(namnet är borttaget)"),
        title=title,
        on_behalf_of=names.on_behalf_of_name if names else "",
        role=role if role != title else "",
        organisation=organisation,
        channel=_label(Channel, event.channel),
        versions=versions.get(event.version_hash, []) if event.version_hash else [],
        hash_label=hash_label(event),
        states=states_of(event),
        facts=event_facts(event, agreement),
    )


# -- the e-mails ----------------------------------------------------------------------


# What kind of e-mail a row is, in words (the auditor sees no template names).
EMAIL_KINDS = {
    "workflows/email/version_submitted": gettext_lazy("Ny version att läsa"),
    "workflows/email/version_approved": gettext_lazy("En version godkändes"),
    "workflows/email/joint_proposal": gettext_lazy("Gemensamt förslag"),
    "workflows/email/task_link": gettext_lazy("Länk för beslut eller underskrift"),
    "workflows/email/decision_recorded": gettext_lazy("Beslutet registrerades"),
    "workflows/email/decision_step_recorded": gettext_lazy("Justering, anslag eller överklagande"),
    "workflows/email/decision_quashed": gettext_lazy("Kommunens beslut upphävdes"),
    "workflows/email/record_corrected": gettext_lazy("Rättelse av ett beslut eller en underskrift"),
    "workflows/email/notice_given": gettext_lazy("Överenskommelsen sades upp med uppsägningstid"),
    "workflows/email/decision_step_reminder": gettext_lazy("Påminnelse om anslag eller laga kraft"),
    "workflows/email/signing_opened": gettext_lazy("Går till underskrift"),
    "workflows/email/signature_added": gettext_lazy("Underskriften registrerades"),
    "workflows/email/agreement_signed": gettext_lazy("Undertecknad av båda parter"),
    "workflows/email/entered_into_force": gettext_lazy("Överenskommelsen började gälla"),
    "workflows/email/task_escalated": gettext_lazy("En uppgift har väntat länge"),
    "workflows/email/link_withdrawn": gettext_lazy("En länk gäller inte längre"),
    "workflows/email/email_failed": gettext_lazy("Ett e-postmeddelande kom inte fram"),
    "workflows/email/revision_opened": gettext_lazy("En revidering påbörjades"),
    "workflows/email/agreement_terminated": gettext_lazy("Överenskommelsen sades upp"),
    "workflows/email/agreement_expired": gettext_lazy("Perioden tog slut"),
    "workflows/email/agreement_registered": gettext_lazy("Registrerad i efterhand"),
    "workflows/email/expiry_warning": gettext_lazy("Perioden slutar snart"),
    "workflows/email/followup_submitted": gettext_lazy("Uppföljningsrapporten lämnades in"),
    "workflows/email/followup_reminder": gettext_lazy("Påminnelse om uppföljningsrapport"),
    "workflows/email/followup_overdue": gettext_lazy("Uppföljningsrapporten är försenad"),
    "workflows/email/followup_revision_prompt": gettext_lazy("Årlig fråga om revidering"),
    "promises/email/changed": gettext_lazy("Medborgarlöftena ändrades"),
    "promises/email/approved": gettext_lazy("Medborgarlöftena godkändes av en skribent"),
    "promises/email/proposed": gettext_lazy("Medborgarlöftena gick till beslut"),
    "promises/email/task_link": gettext_lazy("Länk för beslut och underskrift av löften"),
    "promises/email/answered": gettext_lazy("Svar om medborgarlöftena"),
    "promises/email/published": gettext_lazy("Medborgarlöftena publicerades"),
    "promises/email/followed_up": gettext_lazy("Ett medborgarlöfte följdes upp"),
    "promises/email/reported": gettext_lazy("Årsrapport om medborgarlöftena"),
    "promises/email/withdrawn": gettext_lazy("Medborgarlöftenas omgång avbröts"),
    "promises/email/escalated": gettext_lazy("En uppgift om medborgarlöften har väntat länge"),
    "promises/email/anmalan_task": gettext_lazy("Anmäl delegationsbeslutet om medborgarlöften"),
    "promises/email/delegation_step": gettext_lazy("Delegationsbeslutet om medborgarlöften"),
}


@dataclass
class EmailRow:
    email: OutboxEmail
    subject: str
    kind: str
    status: str
    delivery: str


def email_rows(emails: list[OutboxEmail]) -> list[EmailRow]:
    return [
        EmailRow(
            email=email,
            subject=email_subject(email),
            kind=str(EMAIL_KINDS.get(email.template, _("E-post"))),
            status=_label(Status, email.status),
            delivery=_label(DeliveryStatus, email.delivery_status),
        )
        for email in emails
    ]


def email_subject(email: OutboxEmail) -> str:
    """The subject as it was sent; one not sent yet is rendered from the row's
    template and context (without what is read only at sending)."""
    if email.subject:
        return email.subject
    try:
        names = template_names(email.template, email.language, "subject.txt")
        template = select_template(names)
    except TemplateDoesNotExist:
        return ""
    context = {
        **email.context,
        "to_name": email.to_name,
        "to_email": email.to_email,
        "site_url": settings.SITE_URL,
    }
    with translation.override(email.language):
        subject = template.template.render(Context(context, autoescape=False))
    return " ".join(subject.split())
