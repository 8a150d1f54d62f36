"""Registering an agreement that was decided, and perhaps signed, outside the product.

A kommun with an agreement in force brings it in as it is: the text becomes
version 1, the decisions and signatures are recorded as the source document gives
them (what it does not give stays empty), and the document itself is kept as
uploaded. The agreement enters the lifecycle through the declared entry edge its
facts and today's date choose (``register_*`` in agreement_lifecycle.py): decided
but not signed opens signing, signed waits for its start date, in force, or expired.

Rules meant for decisions taken in the product (not before the joint proposal)
do not apply to history; rules of consistency do: nothing dated in the future,
no signature before a decision or after the period, a period that ends after it
starts.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..agreement_lifecycle import AGREEMENT
from ..bundle_verify import record_digest
from ..models import (
    Agreement,
    AgreementKind,
    Body,
    Person,
    Registration,
    SignatoryRole,
    SourceDocument,
    Track,
    Version,
)
from ..models.agreements import DEFAULT_BODY
from ..statemachine import Edge
from ..trail_records import registration_row
from . import rounds
from .actors import today
from .common import as_drafter
from .drafting import agreement_details, refuse_bad_basics, refuse_overlap, valid_content
from .errors import DomainError
from .transitions import take


@dataclass(frozen=True)
class RegisteredDecision:
    track: str  # Track
    body: str  # Body: ks or kf for the kommun, lpo for the Police
    decided_on: datetime.date | None = None
    paragraph: str = ""
    diarienummer: str = ""


@dataclass(frozen=True)
class RegisteredSignature:
    role: str  # SignatoryRole
    name: str = ""
    title: str = ""
    place: str = ""
    signed_on: datetime.date | None = None


@dataclass(frozen=True)
class Upload:
    """The source document as uploaded."""

    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def fact(record) -> dict:
    """A decision or signature as stored: strings, dates as YYYY-MM-DD, "" if missing."""
    return {
        key: (value.isoformat() if isinstance(value, datetime.date) else (value or "").strip())
        for key, value in asdict(record).items()
    }


_POLICE_WORDS = ("polis", "lokalpolisområde", "lpo")


def facts_from(parsed, deciding_body: str) -> tuple[list, list]:
    """The decisions and signatures an imported text gives (``importer.ImportResult``):
    the kommun's decision where the text quotes it, the Police's as missing, and a
    signatory with a police title as the LPO-chef's signature. Unsigned when the text
    has no signature block."""
    decision = parsed.decision
    decisions = [
        RegisteredDecision(
            Track.MUNICIPAL,
            decision.body if decision else deciding_body,
            decision.date if decision else None,
            decision.paragraph if decision else "",
            decision.diarienummer if decision else "",
        ),
        RegisteredDecision(Track.POLICE, Body.LPO),
    ]
    if not (parsed.signatories or parsed.signed_on):
        return decisions, []
    signed = {}
    for signatory in parsed.signatories:
        police = any(word in signatory.title.lower() for word in _POLICE_WORDS)
        role = SignatoryRole.LPO_CHEF if police else SignatoryRole.KS_ORDFORANDE
        # A third name (a witness, a second kommun) is left to the registrar.
        signed.setdefault(role, (signatory.name, signatory.title))
    signatures = [
        RegisteredSignature(
            role,
            *signed.get(role, ("", "")),
            parsed.signed_place or "",
            parsed.signed_on,
        )
        for role in SignatoryRole.values
    ]
    return decisions, signatures


def refuse_future(days: list) -> None:
    if any(day and day > today() for day in days):
        raise DomainError(_("Ett beslut eller en underskrift kan inte vara daterad i framtiden."))


def refuse_contradictions(
    period_start: datetime.date,
    period_end: datetime.date,
    decisions: list[RegisteredDecision],
    signatures: list[RegisteredSignature],
) -> None:
    """DomainError naming the first fact that contradicts another."""
    if sorted(d.track for d in decisions) != sorted(Track.values):
        raise DomainError(_("Ange beslutet för båda parter: kommunens och Polisens."))
    for decision in decisions:
        allowed = (Body.LPO,) if decision.track == Track.POLICE else (Body.KS, Body.KF)
        if decision.body not in allowed:
            raise DomainError(_("Beslutande organ passar inte parten."))
    if signatures and sorted(s.role for s in signatures) != sorted(SignatoryRole.values):
        raise DomainError(
            _("En undertecknad överenskommelse har två underskrifter: kommunens och Polisens.")
        )
    if period_end < period_start:
        raise DomainError(_("Perioden måste sluta efter att den börjar."))
    decided = [d.decided_on for d in decisions if d.decided_on]
    signed = [s.signed_on for s in signatures if s.signed_on]
    refuse_future(decided + signed)
    if decided and signed and min(signed) < max(decided):
        raise DomainError(
            _("Underskriften (%(signed)s) är daterad före beslutet (%(decided)s).")
            % {"signed": min(signed).isoformat(), "decided": max(decided).isoformat()}
        )
    if signed and max(signed) > period_end:
        raise DomainError(
            _("Underskriften (%(signed)s) är daterad efter att perioden slutade (%(end)s).")
            % {"signed": max(signed).isoformat(), "end": period_end.isoformat()}
        )


def entry_edge(agreement: Agreement, signed: bool) -> Edge:
    """The declared entry edge for the facts and today's date."""
    names = (
        ("register_signed", "register_in_force", "register_expired")
        if signed
        else ("register_decided",)
    )
    for name in names:
        edge = AGREEMENT.edge(name)
        if edge.guard(agreement):
            return edge
    raise DomainError(
        _(
            "Perioden slutade %(date)s. En överenskommelse som aldrig undertecknades kan "
            "inte börja gälla; registrera den inte, utan börja en ny."
        )
        % {"date": agreement.period_end.isoformat()}
    )


def document_keep(upload: Upload) -> SourceDocument:
    """The document's row by its SHA-256: the same bytes are stored once, as uploaded,
    when they are read for review (an unfinished registration leaves it unused)."""
    document, _created = SourceDocument.objects.get_or_create(
        sha256=upload.sha256,
        defaults={
            "name": upload.name[:200],
            "content_type": upload.content_type[:100],
            "size": len(upload.data),
            "data": upload.data,
        },
    )
    return document


@transaction.atomic
def agreement_register(
    *,
    kommun,
    lokalpolisomrade,
    kind: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    content: dict,
    decisions: list[RegisteredDecision],
    signatures: list[RegisteredSignature],
    registrar: Person,
    channel: str,
    document: Upload | None = None,
    follow_up_cadence: str = "yearly",
    deciding_body: str | None = None,
    duplicate_reason: str = "",
) -> Agreement:
    """Bring in an agreement decided outside the product, in the state its facts give."""
    refuse_bad_basics(kommun, lokalpolisomrade, period_start, period_end, title)
    refuse_contradictions(period_start, period_end, decisions, signatures)
    overlap = refuse_overlap(
        kommun, lokalpolisomrade, kind, period_start, period_end, duplicate_reason
    )
    content = valid_content(content)
    fields = {
        "kommun": kommun,
        "lokalpolisomrade": lokalpolisomrade,
        "kind": kind,
        "deciding_body": deciding_body or DEFAULT_BODY[AgreementKind(kind)],
        "title": title.strip(),
        "period_start": period_start,
        "period_end": period_end,
        "follow_up_cadence": follow_up_cadence,
        "follow_up_from": today(),
    }
    edge = entry_edge(Agreement(**fields), signed=bool(signatures))
    agreement = Agreement.objects.create(state=edge.target, **fields)
    actor = as_drafter(registrar, agreement, channel)
    version = Version.objects.create(
        agreement=agreement,
        number=1,
        content=content,
        change_note=_("Registrerad i efterhand."),
        author=registrar,
    )
    registration = Registration.objects.create(
        agreement=agreement,
        version=version,
        content_hash=version.content_hash,
        document=document_keep(document) if document is not None else None,
        facts={
            "decisions": [fact(d) for d in decisions],
            "signatures": [fact(s) for s in signatures],
        },
        registered_by=registrar,
    )
    row = registration_row(registration)
    if signatures:
        agreement.version_in_force = version
    take(
        agreement,
        "register",
        actor,
        edge=edge,
        obj=registration,
        subject=agreement,
        version_hash=version.content_hash,
        fields=("version_in_force",) if signatures else (),
        details={
            **agreement_details(agreement),
            "follow_up_cadence": agreement.follow_up_cadence,
            "follow_up_from": agreement.follow_up_from.isoformat(),
            "number": version.number,
            "registered_decisions": row["decisions"],
            "registered_signatures": row["signatures"],
            "document_name": row["document_name"],
            "document_sha256": row["document_sha256"],
            "row": record_digest(row),
            **overlap,
        },
    )
    if not signatures:
        rounds.signing_round_start(agreement)
    return agreement


def registered_decision_days(version: Version) -> list[datetime.date]:
    """The decision dates a registration gives for this text (none for other texts)."""
    registration = Registration.objects.filter(version=version).first()
    if registration is None:
        return []
    return [
        datetime.date.fromisoformat(fact["decided_on"])
        for fact in registration.facts.get("decisions", [])
        if fact.get("decided_on")
    ]
