"""Who signs: a signature is made by a person identified at that moment (issue 14).

Without an identity provider configured (the embedded default), the signatory
re-enters their own Samverkan password on the signing page; a wrong password
counts as a failed login (project/login_throttle.py). The identification says how
the person was identified, and the signature and its trail event keep it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from project.login_throttle import password_attempt

from ..models import IdentifiedBy, IdentityEvent, Person, PersonIdentity
from ..models.trail import Channel
from .errors import DomainError, NotPermitted

SAMVERKAN = "Samverkan"


class NotIdentified(DomainError):
    status_code = 403


@dataclass(frozen=True)
class Identification:
    """The person proved to be at the keyboard, and how."""

    person_id: int
    method: str
    provider: str
    subject: str
    at: datetime.datetime
    acr: str = ""
    amr: tuple[str, ...] = field(default=())

    def fields(self) -> dict:
        """The ``Identified`` model fields."""
        return {
            "identified_by": self.method,
            "identity_provider": self.provider,
            "identity_acr": self.acr,
            "identity_amr": " ".join(self.amr),
            "identified_at": self.at,
            "identity_subject": self.subject,
        }

    def as_cookie(self) -> dict:
        """JSON for the signed cookie that carries it from the provider's callback to
        the signing page (views/signing.py)."""
        return {**asdict(self), "at": self.at.isoformat(), "amr": list(self.amr)}

    @classmethod
    def from_cookie(cls, found: dict) -> Identification:
        at = datetime.datetime.fromisoformat(found["at"])
        return cls(**{**found, "at": at, "amr": tuple(found["amr"])})


def by_password(request: HttpRequest, person: Person, password: str) -> Identification:
    """The person's own password, asked for again on the signing page."""
    user = person.user
    if not person.has_password:
        raise NotIdentified(
            _("Du har inget lösenord i Samverkan. Välj ett först; ingenting registrerades.")
        )

    def right() -> bool:
        found = authenticate(request, username=user.get_username(), password=password)
        return found is not None and found.pk == user.pk

    verdict = password_attempt(request, user.get_username(), right) if password else False
    if verdict is None:
        raise NotIdentified(
            _("För många fel lösenord. Försök igen om en stund; ingenting registrerades.")
        )
    if not verdict:
        raise NotIdentified(_("Lösenordet stämmer inte. Ingenting registrerades."))
    return Identification(
        person_id=person.pk,
        method=IdentifiedBy.PASSWORD,
        provider=SAMVERKAN,
        subject=f"user:{user.pk}",
        at=timezone.now(),
        amr=("pwd",),
    )


def by_command(person: Person) -> Identification:
    """The demo loader's signatures (channel "command"): nobody is at a keyboard, and
    the record says so."""
    return Identification(
        person_id=person.pk,
        method=IdentifiedBy.COMMAND,
        provider=SAMVERKAN,
        subject="",
        at=timezone.now(),
    )


def check_signatory(identification: Identification, person: Person, channel: str) -> None:
    """The identified person must be the one who signs (the task's person or their
    registered substitute acting as themselves)."""
    if identification.method == IdentifiedBy.COMMAND and channel != Channel.COMMAND:
        raise NotIdentified(_("Underskriften kräver att du identifierar dig."))
    if identification.person_id != person.pk:
        raise NotPermitted(
            _(
                "Du identifierade dig som en annan person än den som undertecknar. "
                "Ingenting registrerades."
            )
        )


def binding_fields(identity: str) -> dict[str, str]:
    """A ``PersonIdentity``'s fields for an identity written ``sub:…`` (the provider's
    subject identifier) or ``pnr-hmac:…`` (the keyed HMAC of the number)."""
    kind, _sep, value = identity.partition(":")
    return {
        "subject": value if kind == "sub" else "",
        "number_hmac": value if kind == "pnr-hmac" else "",
    }


@transaction.atomic
def bind(person: Person, issuer: str, identity: str, bound_by: int) -> PersonIdentity:
    """Bind ``person`` to an e-identity (``sub:…`` or ``pnr-hmac:…``) and record it in
    the identity trail, hash-chained to the event before; ``bound_by`` is the id of
    the account that did it."""
    binding = PersonIdentity.objects.create(
        person=person, issuer=issuer, **binding_fields(identity)
    )
    last = IdentityEvent.objects.select_for_update().order_by("-seq").first()
    event = IdentityEvent(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        person=person,
        bound_by=bound_by,
        issuer=issuer,
        identity=identity,
        prev_hash=last.hash if last else "",
    )
    event.hash = _event_hash(event)
    event.save()
    return binding


def _event_hash(event: IdentityEvent) -> str:
    body = json.dumps(event.payload(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{event.prev_hash}{body}".encode()).hexdigest()


def identity_trail_verify() -> tuple[int, str]:
    """The identity trail's length, and "" or the first event that does not match."""
    prev = ""
    count = 0
    for count, event in enumerate(IdentityEvent.objects.order_by("seq").iterator(), start=1):
        if event.seq != count or event.prev_hash != prev or event.hash != _event_hash(event):
            return count, _("kopplingshändelse %(seq)d stämmer inte") % {"seq": event.seq}
        prev = event.hash
    return count, ""
