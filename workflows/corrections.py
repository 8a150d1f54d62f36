"""Rättelse: which recorded facts may be corrected, and records read with their
corrections applied.

A decision or a signature is never overwritten (its row and its trail event stay as
recorded). The pages, the PDF, the export and the verifiers read it through
``corrected`` here, so everything shows the newest corrected value and says that it
was corrected; ``services/corrections.py`` records a correction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from .models import CorrectedRecord, Correction, Decision, Signature, Track

MODELS: dict[str, type[models.Model]] = {
    CorrectedRecord.DECISION: Decision,
    CorrectedRecord.SIGNATURE: Signature,
}

DATE_FIELDS = frozenset({"meeting_date", "signed_on"})
# Fields a correction may not leave empty.
REQUIRED = frozenset({"meeting_date", "diarienummer", "decided_by", "place", "signed_on"})


def record_kind(record: models.Model) -> str:
    return CorrectedRecord.DECISION if isinstance(record, Decision) else CorrectedRecord.SIGNATURE


def fields_for(record: models.Model) -> tuple[str, ...]:
    """What may be corrected on this record: the facts a person typed, never the
    outcome, the body or who signed (those are a new decision, not a correction)."""
    if isinstance(record, Signature):
        return ("place", "signed_on")
    if record.track == Track.POLICE:
        return ("meeting_date", "diarienummer", "decided_by", "presenter")
    return ("meeting_date", "paragraph", "diarienummer")


# The facts in words, for the form, the trail and the e-mail.
FIELD_WORDS = {
    "meeting_date": gettext_lazy("beslutsdatum"),
    "paragraph": gettext_lazy("paragraf (§)"),
    "diarienummer": gettext_lazy("diarienummer"),
    "decided_by": gettext_lazy("beslutsfattare"),
    "presenter": gettext_lazy("föredragande"),
    "place": gettext_lazy("ort"),
    "signed_on": gettext_lazy("datum för underskriften"),
}


def as_text(value: Any) -> str:
    """A value as the trail and the export write it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def from_text(field: str, text: str) -> Any:
    return datetime.date.fromisoformat(text) if field in DATE_FIELDS and text else text


def corrections_of(kind: str, ids: Iterable[int]) -> dict[int, list[Correction]]:
    found: dict[int, list[Correction]] = defaultdict(list)
    ids = list(ids)
    if ids:
        rows = Correction.objects.filter(record=kind, record_id__in=ids).select_related(
            "corrected_by"
        )
        for correction in rows.order_by("pk"):
            found[correction.record_id].append(correction)
    return found


def corrected(records: list, kind: str | None = None) -> list:
    """The records (decisions or signatures, one kind) with their corrections applied
    in memory, in order; each gets ``corrections`` (oldest first) and
    ``corrected_fields``. One query for the lot."""
    if not records:
        return records
    kind = kind or record_kind(records[0])
    by_record = corrections_of(kind, (record.pk for record in records))
    for record in records:
        record.corrections = by_record.get(record.pk, [])
        record.corrected_fields = set()
        for correction in record.corrections:
            setattr(record, correction.field, from_text(correction.field, correction.new_value))
            record.corrected_fields.add(correction.field)
    return records
