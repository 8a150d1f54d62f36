"""Steps every transition service starts with: lock the agreement, check the drafter."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Agreement, Person
from .actors import Actor, drafter_role
from .errors import NotPermitted


def paragraph_of(text: str) -> str:
    """A protocol's § as typed ("§ 42", " 42 ") without the sign: "42"."""
    return text.strip().lstrip("§").strip()


def agreement_lock(agreement_id: int | None = None, **of) -> Agreement:
    """The agreement row, locked until the transaction ends: this serialises every
    transition of one agreement, and with it the agreement's trail. The two parties
    come with it (their names are in most of a transition's e-mails), unlocked.
    ``of``: found through what it holds instead, e.g. ``versions=version_id``."""
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("kommun", "lokalpolisomrade")
        .get(**({"pk": agreement_id} if agreement_id is not None else of))
    )


def as_drafter(person: Person, agreement: Agreement, channel: str, refusal: str = "") -> Actor:
    """The person acting as one of the agreement's drafters, or NotPermitted."""
    assignment = drafter_role(person, agreement)
    if assignment is None:
        raise NotPermitted(
            refusal
            or _("Bara överenskommelsens kommunpolis och trygghetssamordnare kan göra detta.")
        )
    return Actor(person=person, channel=channel, assignment=assignment)
