"""Medborgarlöften decided and signed before the product, registered afterwards.

Like an agreement registered afterwards (workflows/services/registration.py): the
promises as the document gives them, the two signatures as found (a missing fact
stays empty), the document kept as uploaded, and the set published through its
own declared entry edge, marked "registrerade i efterhand" wherever it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.bundle_verify import record_digest
from workflows.models import Person, Registration, SignatoryRole
from workflows.services.common import agreement_lock
from workflows.services.errors import DomainError
from workflows.services.registration import (
    RegisteredSignature,
    Upload,
    document_keep,
    fact,
    refuse_future,
)
from workflows.trail_records import registration_row

from .. import content as content_rules
from ..lifecycle import PROMISE_SET
from ..models import Promise, PromiseSet
from .common import as_drafter, take_set
from .drafting import PROMISE_AGREEMENT_KINDS, _check_years, _valid


@transaction.atomic
def promise_set_register(
    *,
    agreement_id: int,
    first_year: int,
    last_year: int,
    promises: Sequence[dict[str, Any]],
    signatures: list[RegisteredSignature],
    registrar: Person,
    channel: str,
    background: str = "",
    document: Upload | None = None,
) -> PromiseSet:
    agreement = agreement_lock(agreement_id)
    actor = as_drafter(registrar, agreement, channel)
    if agreement.kind not in PROMISE_AGREEMENT_KINDS:
        raise DomainError(
            _("Medborgarlöften hör till den operativa överenskommelsen, inte till en strategisk.")
        )
    if agreement.version_in_force_id is None:
        raise DomainError(
            _(
                "Överenskommelsen är inte undertecknad än: löften som redan är beslutade "
                "hör till en undertecknad överenskommelse. Registrera den först."
            )
        )
    # History: the agreement may have ended since; the years must still be its.
    _check_years(agreement, first_year, last_year)
    if sorted(s.role for s in signatures) != sorted(SignatoryRole.values):
        raise DomainError(
            _(
                "Medborgarlöften som registreras i efterhand är beslutade och undertecknade "
                "av kommunstyrelsens ordförande och lokalpolisområdeschefen."
            )
        )
    refuse_future([s.signed_on for s in signatures])
    content = _valid(
        {
            "first_year": first_year,
            "last_year": last_year,
            "background": background,
            "promises": list(promises),
        }
    )
    if not content["promises"]:
        raise DomainError(_("Texten har inga löften att registrera."))
    promise_set = PromiseSet.objects.create(
        agreement=agreement,
        first_year=first_year,
        last_year=last_year,
        background=content["background"],
        content_hash=content_rules.content_hash(content),
        state=PROMISE_SET.edge("register").target,
        published_at=timezone.now(),
    )
    # Created whole, in one statement: the set is published from the start, and a
    # published set's promises cannot be saved one by one.
    Promise.objects.bulk_create(
        Promise(promise_set=promise_set, position=position, **item)
        for position, item in enumerate(content["promises"], start=1)
    )
    registration = Registration.objects.create(
        agreement=agreement,
        promise_set_id=promise_set.pk,
        content_hash=promise_set.content_hash,
        document=document_keep(document) if document is not None else None,
        facts={"decisions": [], "signatures": [fact(s) for s in signatures]},
        registered_by=registrar,
    )
    row = registration_row(registration)
    take_set(
        agreement,
        promise_set,
        "register",
        actor,
        edge=PROMISE_SET.edge("register"),
        obj=registration,
        subject=promise_set,
        details={
            "period": promise_set.period,
            "promises": len(content["promises"]),
            "registered_signatures": row["signatures"],
            "document_name": row["document_name"],
            "document_sha256": row["document_sha256"],
            "row": record_digest(row),
        },
    )
    return promise_set
