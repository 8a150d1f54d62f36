"""The decision trail as an auditor reads it: one row per event with who, when,
what, on which version, and the event's own details in words.

Everything shown as a fact comes from the hashed event itself (its actor ids,
role, channel, version hash and details), except the names and titles, which sit
beside the chain in ``EventActor`` as they were when the event happened.
"""

from __future__ import annotations

from collections.abc import Callable
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

from ..filters import kind_label
from ..models import (
    Agreement,
    AgreementKind,
    AgreementState,
    AuditEvent,
    Body,
    DecidingBody,
    Outcome,
    Role,
    SignatoryRole,
    TaskKind,
)
from ..models.trail import Channel
from . import display


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
        what=what(event),
        name=names.name if names else _("(namnet är borttaget)"),
        title=title,
        on_behalf_of=names.on_behalf_of_name if names else "",
        role=role if role != title else "",
        organisation=organisation,
        channel=_label(Channel, event.channel),
        versions=versions.get(event.version_hash, []) if event.version_hash else [],
        states=_states(event),
        facts=event_facts(event, agreement),
    )


def what(event: AuditEvent) -> str:
    """The sentence the agreement page uses, or the kind's name for a newer action."""
    if event.action in display.ACTION_LABELS:
        return display.action_label(event)
    return kind_label(event.action)


def _states(event: AuditEvent) -> tuple[str, str] | None:
    if not event.to_state or event.from_state == event.to_state:
        return None
    before = _label(AgreementState, event.from_state) if event.from_state else "–"
    return before, _label(AgreementState, event.to_state)


# -- the details of an event, in words ------------------------------------------------


def _date(value: Any) -> str:
    return str(value)  # stored as 2023-03-20 already


def _paragraph(value: Any) -> str:
    text = str(value).strip()
    return text if text.startswith("§") else f"§ {text}"


def _roles(value: Any) -> str:
    return ", ".join(_label(Role, role) for role in value or [])


def _joined(value: Any) -> str:
    return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _people(value: Any) -> str:
    from .display import person_names

    return ", ".join(person_names(value)) if isinstance(value, list) else str(value)


def _agreement_no(value: Any) -> str:
    return _("överenskommelse nr %(pk)s") % {"pk": value}


def _version_no(value: Any) -> str:
    return _("version %(number)s") % {"number": value}


# key in the event's details → (label, how to show the value). Shown in this order;
# keys not listed here (a newer kind of event) follow under their own names.
DETAILS: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "title": (gettext_lazy("Titel"), str),
    "kind": (gettext_lazy("Typ"), lambda v: _label(AgreementKind, v)),
    "deciding_body": (gettext_lazy("Beslutande organ"), lambda v: _label(DecidingBody, v)),
    "period_start": (gettext_lazy("Gäller från"), _date),
    "period_end": (gettext_lazy("Gäller till och med"), _date),
    "renewed_from": (gettext_lazy("Förnyelse av"), _agreement_no),
    "parent": (gettext_lazy("Bygger på"), _version_no),
    "change_note": (gettext_lazy("Ändringsnotering"), str),
    "voided_approvals": (gettext_lazy("Godkännanden som upphörde att gälla"), _roles),
    "body": (gettext_lazy("Beslutande organ"), lambda v: _label(Body, v)),
    "outcome": (gettext_lazy("Utfall"), lambda v: _label(Outcome, v)),
    "meeting_date": (gettext_lazy("Sammanträdesdatum"), _date),
    "paragraph": (gettext_lazy("Paragraf"), _paragraph),
    "diarienummer": (gettext_lazy("Diarienummer"), str),
    "note": (gettext_lazy("Anteckning"), str),
    "next_meeting_date": (gettext_lazy("Nytt sammanträdesdatum"), _date),
    "role": (gettext_lazy("Undertecknade som"), lambda v: _label(SignatoryRole, v)),
    "replaces": (gettext_lazy("Ersätter"), _version_no),
    "task": (gettext_lazy("Uppgift"), lambda v: _label(TaskKind, v)),
    "waiting_for": (gettext_lazy("Väntar på"), _people),
    "reason": (gettext_lazy("Skäl"), str),
    "ends_on": (gettext_lazy("Upphör"), _date),
    "days": (gettext_lazy("Dagar före periodens slut"), str),
    "renewal": (gettext_lazy("Förnyad som"), _agreement_no),
}

# Shown elsewhere in the row (the version column) or as one combined fact.
HIDDEN = {"number", "track", "place", "signed_on", "kommun", "lokalpolisomrade", "party"}


def event_facts(event: AuditEvent, agreement: Agreement) -> list[tuple[str, str]]:
    details = event.details or {}
    facts = []
    if details.get("place") or details.get("signed_on"):
        facts.append((_("Ort och datum"), _signed(details)))
    facts += _party_facts(details, agreement)
    for key, (label, shown) in DETAILS.items():
        if _present(details.get(key)):
            if key == "meeting_date" and details.get("track") == "police":
                label = _("Beslutsdatum")  # the LPO-chef decides without a meeting
            facts.append((str(label), shown(details[key])))
    for key, value in details.items():
        if key not in DETAILS and key not in HIDDEN and _present(value):
            facts.append((key, _joined(value)))
    return facts


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _signed(details: dict[str, Any]) -> str:
    return _("%(place)s den %(date)s") % {
        "place": details.get("place") or "–",
        "date": details.get("signed_on") or "–",
    }


def _party_facts(details: dict[str, Any], agreement: Agreement) -> list[tuple[str, str]]:
    """Organisation ids in the details, by the names of the agreement's parties."""
    names = {agreement.kommun_id: agreement.kommun.name}
    names[agreement.lokalpolisomrade_id] = agreement.lokalpolisomrade.name
    facts = []
    for key, label in (
        ("kommun", _("Kommun")),
        ("lokalpolisomrade", _("Lokalpolisområde")),
        ("party", _("Part")),
    ):
        if _present(details.get(key)):
            facts.append((label, names.get(details[key], str(details[key]))))
    return facts


# -- the e-mails ----------------------------------------------------------------------


@dataclass
class EmailRow:
    email: OutboxEmail
    subject: str
    status: str
    delivery: str


def email_rows(emails: list[OutboxEmail]) -> list[EmailRow]:
    return [
        EmailRow(
            email=email,
            subject=email_subject(email),
            status=_label(Status, email.status),
            delivery=_label(DeliveryStatus, email.delivery_status),
        )
        for email in emails
    ]


def email_subject(email: OutboxEmail) -> str:
    """The subject as it was sent (rendered again from the row's template and context)."""
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
