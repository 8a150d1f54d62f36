"""Who is told what, for each event in the trail.

The services call these inside their transaction; notifications/ writes the
outbox rows there and sends after commit. One key per event and recipient
keeps a retried transition from mailing anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from notifications.services import email_enqueue

from ..models import AuditEvent, Person, Version
from .actors import drafters


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(event: AuditEvent, template: str, people: list[Person], context: dict) -> None:
    for person in people:
        email_enqueue(
            to_email=person.email,
            to_name=person.name,
            language=person.language,
            template=f"workflows/email/{template}",
            context=context,
            key=f"event:{event.pk}:{template}:{person.pk}",
            object_type="agreement",
            object_id=str(event.agreement_id),
        )


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
