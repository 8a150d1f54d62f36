"""Rättelse of a recorded decision or signature: check, record, tell the parties.

The role that recorded the fact corrects it (for a decision, whoever may record the
track's decision; for a signature, the signatory's role), or an administrator of
that party. The correction is a new row and a trail event with the old value, the
new value, who and why; the recorded decision or signature is never changed.
"""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.utils.translation import gettext as _

from ..corrections import (
    DATE_FIELDS,
    MODELS,
    REQUIRED,
    as_text,
    corrected,
    fields_for,
    from_text,
    record_kind,
)
from ..models import (
    Agreement,
    Correction,
    Decision,
    Outcome,
    Person,
    Role,
    RoleAssignment,
    SignatoryRole,
    Signature,
    TaskKind,
    Track,
)
from .actors import Actor, party_ids, role_in_agreement, task_roles, today
from .common import agreement_lock, paragraph_of
from .decisions import _proposed_on
from .errors import DomainError, NotPermitted
from .transitions import take

# The task whose roles recorded each kind of fact.
_RECORDED_IN = {
    Track.MUNICIPAL: TaskKind.MUNICIPAL_DECISION,
    Track.POLICE: TaskKind.POLICE_DECISION,
    SignatoryRole.KS_ORDFORANDE: TaskKind.KS_SIGNATURE,
    SignatoryRole.LPO_CHEF: TaskKind.LPO_SIGNATURE,
}


def record_of(agreement: Agreement, kind: str, record_id: int) -> models.Model:
    """The decision or signature of this agreement, with its corrections applied."""
    model = MODELS.get(kind)
    record = (
        model.objects.filter(agreement=agreement, pk=record_id).select_related("version").first()
        if model
        else None
    )
    if record is None:
        raise DomainError(_("Det finns inget sådant beslut eller sådan underskrift."))
    return corrected([record], kind)[0]


def _correcting_roles(agreement: Agreement, record: models.Model) -> tuple[int, tuple]:
    """The party and the roles that may correct ``record``: the roles that recorded
    it, and that party's administrator."""
    key = record.track if isinstance(record, Decision) else record.role
    organisation, roles = task_roles(agreement, _RECORDED_IN[key])
    return organisation, (*roles, Role.ADMINISTRATOR)


def correctable(person: Person | None, agreement: Agreement, records: list) -> list:
    """Those of ``records`` the person may correct, for the pages' links: one query."""
    if person is None:
        return []
    held = set(
        RoleAssignment.objects.active_on(today())
        .filter(person=person, organisation_id__in=party_ids(agreement))
        .values_list("organisation_id", "role")
    )
    allowed = []
    for record in records:
        organisation, roles = _correcting_roles(agreement, record)
        if any((organisation, role) in held for role in roles):
            allowed.append(record)
    return allowed


def corrector(person: Person, agreement: Agreement, record: models.Model, channel: str) -> Actor:
    """The person, if they hold the role that recorded ``record`` or are an
    administrator at the same party; otherwise NotPermitted."""
    organisation, roles = _correcting_roles(agreement, record)
    assignment = role_in_agreement(person, agreement, roles)
    if assignment is None or assignment.organisation_id != organisation:
        raise NotPermitted(
            _(
                "Bara den roll som registrerade uppgiften, eller en administratör hos "
                "samma part, kan rätta den."
            )
        )
    return Actor(person=person, channel=channel, assignment=assignment)


@transaction.atomic
def correction_record(
    *,
    agreement_id: int,
    kind: str,
    record_id: int,
    field: str,
    value: str,
    reason: str,
    person: Person,
    channel: str,
) -> Correction:
    agreement = agreement_lock(agreement_id)
    record = record_of(agreement, kind, record_id)
    actor = corrector(person, agreement, record, channel)
    if field not in fields_for(record):
        raise DomainError(_("Den uppgiften kan inte rättas här."))
    if not reason.strip():
        raise DomainError(_("Skriv varför uppgiften rättas, till exempel vad protokollet säger."))
    new = _checked_value(agreement, record, field, value)
    old = as_text(getattr(record, field))
    if new == old:
        raise DomainError(_("Det rättade värdet är detsamma som det registrerade."))
    correction = Correction.objects.create(
        agreement=agreement,
        record=record_kind(record),
        record_id=record.pk,
        field=field,
        old_value=old,
        new_value=new,
        reason=reason.strip(),
        corrected_by=person,
    )
    take(
        agreement,
        "correct_record",
        actor,
        obj=correction,
        version_hash=record.version_hash,
        details={
            "number": record.version.number,
            "record": correction.record,
            "record_id": record.pk,
            "field": field,
            "old": old,
            "new": new,
            "reason": correction.reason,
        },
        notice={"record": record},
    )
    return correction


def _checked_value(agreement: Agreement, record, field: str, value: str) -> str:
    """The new value as text, or DomainError: the rules that held when the fact was
    recorded hold for its correction too."""
    text = paragraph_of(value or "") if field == "paragraph" else (value or "").strip()
    if not text and (
        field in REQUIRED or (field == "paragraph" and record.track == Track.MUNICIPAL)
    ):
        raise DomainError(_("Ange det rättade värdet."))
    limit = type(record)._meta.get_field(field).max_length
    if limit and len(text) > limit:
        raise DomainError(_("Värdet får vara högst %(n)d tecken.") % {"n": limit})
    if field not in DATE_FIELDS:
        return text
    try:
        day = from_text(field, text)
    except ValueError:
        raise DomainError(_("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2023-04-20.")) from None
    if day > today():
        raise DomainError(_("Datumet kan inte ligga i framtiden."))
    if isinstance(record, Decision):
        _check_decision_day(agreement, record, day)
    else:
        _check_signature_day(record, day)
    return day.isoformat()


def _check_decision_day(agreement: Agreement, decision: Decision, day: datetime.date) -> None:
    proposed_on = _proposed_on(agreement, decision.version)
    if day < proposed_on:
        raise DomainError(
            _("Beslutet kan inte vara fattat före det gemensamma förslaget (%(date)s).")
            % {"date": proposed_on.isoformat()}
        )
    first_step = decision.steps.order_by("on").values_list("on", flat=True).first()
    if first_step is not None and day > first_step:
        raise DomainError(
            _("Beslutet kan inte vara fattat efter det som redan registrerats på det (%(date)s).")
            % {"date": first_step.isoformat()}
        )
    if decision.outcome == Outcome.BIFALL:
        signatures = corrected(list(Signature.objects.filter(version=decision.version)))
        first_signed = min((s.signed_on for s in signatures), default=None)
        if first_signed is not None and day > first_signed:
            raise DomainError(
                _("Beslutet kan inte vara fattat efter underskriften (%(date)s).")
                % {"date": first_signed.isoformat()}
            )


def _check_signature_day(signature: Signature, day: datetime.date) -> None:
    bifall = corrected(
        list(Decision.objects.filter(version=signature.version, outcome=Outcome.BIFALL))
    )
    decided_on = max((d.meeting_date for d in bifall), default=None)
    if decided_on is not None and day < decided_on:
        raise DomainError(
            _("Underskriften kan inte vara daterad före beslutet (%(date)s).")
            % {"date": decided_on.isoformat()}
        )
