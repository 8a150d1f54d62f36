"""What the trail vouches for, read from the database in the shape the bundle carries.

``verify_trail`` and the export both use these, and ``bundle_verify.check_records``
compares them with the events: a version's text, a decision's §, diarienummer or
date, a signature's place or date, a submitted report, or a medborgarlöften answer
changed after the fact no longer equals what its hashed event says. Decisions and
signatures are given with their rättelser applied; each correction has its event.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import F, TextField
from django.db.models.functions import Cast

from .corrections import corrected
from .models import (
    Decision,
    DecisionStep,
    FollowUpReport,
    Registration,
    ReportState,
    SealedRecord,
    Signature,
    Version,
)

# Other kinds of record a package adds (medborgarlöften answers): each is called
# with agreement ids and returns (records key, {agreement id: rows}). Declared by
# ``promises.registry.register``.
RECORD_SOURCES: list[Callable[[list[int]], tuple[str, dict[int, list[dict[str, Any]]]]]] = []


def _day(value) -> str | None:
    return value.isoformat() if value else None


def decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "version_hash": decision.version_hash,
        "track": decision.track,
        "body": decision.body,
        "outcome": decision.outcome,
        "meeting_date": _day(decision.meeting_date),
        "paragraph": decision.paragraph,
        "diarienummer": decision.diarienummer,
        "note": decision.note,
        "next_meeting_date": _day(decision.next_meeting_date),
        # The Police's line decision only; absent, so older rows keep their digests.
        **{
            key: value
            for key, value in (
                ("decided_by", decision.decided_by),
                ("presenter", decision.presenter),
                ("delegation_point", decision.delegation_point),
            )
            if value
        },
    }


def signature_row(signature: Signature) -> dict[str, Any]:
    return {
        "id": signature.pk,
        "version_hash": signature.version_hash,
        "role": signature.role,
        "person": signature.person_id,
        "place": signature.place,
        "signed_on": _day(signature.signed_on),
        # How the signatory was identified (issue 14); absent on older rows and on
        # signatures registered afterwards, so their digests stay as they were.
        **(identification_row(signature) if signature.identified_by else {}),
    }


def identification_row(record) -> dict[str, Any]:
    """An ``Identified`` record's identification, as the trail event keeps it."""
    return {
        "identified_by": record.identified_by,
        "identity_provider": record.identity_provider,
        "acr": record.identity_acr,
        "amr": record.identity_amr.split(),
        "auth_time": record.identified_at.isoformat(),
        "identity": record.identity_subject,
    }


def _as_stored(stored: str, content_hash: str) -> bytes:
    """A version's text as stored (its JSON column's text), in the canonical JSON form.
    ``Version.save`` keeps only normalised content, so this equals
    ``content.canonical_json`` for every row the services wrote; a row changed
    afterwards is not normalised back into shape here, so any change shows.

    orjson gives the same bytes as the standard library for the strings, lists and
    objects a version holds, several times faster; where its answer does not match
    the recorded hash (a changed row, or JSON it reads otherwise), the standard
    library's answer is the one the verifier checks."""
    try:
        fast = orjson.dumps(orjson.loads(stored), option=orjson.OPT_SORT_KEYS)
        if hashlib.sha256(fast).hexdigest() == content_hash:
            return fast
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    content = json.loads(stored)
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def version_file(number: int) -> str:
    return f"version-{number}.json"


def document_file(step_id: int) -> str:
    return f"beslutsdokument-{step_id}.pdf"


def step_row(step: DecisionStep) -> dict[str, Any]:
    """A step after the decision as the trail vouches for it. The document's SHA-256
    is computed from the stored bytes, so a changed document no longer matches."""
    document = bytes(step.document or b"")
    return {
        "id": step.pk,
        "decision": step.decision_id,
        "kind": step.kind,
        "on": _day(step.on),
        "names": step.names,
        # Only an anmälan has one, so other rows read as before.
        **({"paragraph": step.paragraph} if step.paragraph else {}),
        "url": step.url,
        "case_number": step.case_number,
        "appeal_outcome": step.appeal_outcome,
        "note": step.note,
        "document_sha256": hashlib.sha256(document).hexdigest() if document else "",
        "file": document_file(step.pk) if document else "",
    }


_EXTENSIONS = {"application/pdf": ".pdf", "text/markdown": ".md", "text/plain": ".txt"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def source_file(sha256: str, content_type: str) -> str:
    """The source document's name in a bundle, by its content (so it never collides)."""
    extension = ".docx" if content_type == _DOCX else _EXTENSIONS.get(content_type, ".bin")
    return f"kalldokument-{sha256[:16]}{extension}"


def registration_row(registration: Registration) -> dict[str, Any]:
    """An agreement registered afterwards, as its event vouches for it; the
    document's SHA-256 is computed from the stored bytes."""
    document = registration.document
    data = bytes(document.data) if document is not None else b""
    return {
        "id": registration.pk,
        "version_hash": registration.content_hash,
        # A medborgarlöften set's registration names its set; an agreement's does not.
        **({"set": registration.promise_set_id} if registration.promise_set_id else {}),
        "decisions": registration.facts.get("decisions", []),
        "signatures": registration.facts.get("signatures", []),
        "document_name": document.name if document is not None else "",
        "document_sha256": hashlib.sha256(data).hexdigest() if document is not None else "",
        "file": source_file(document.sha256, document.content_type) if document else "",
    }


def sealed_row(record: SealedRecord) -> dict[str, Any]:
    """A signed version's sealed PDF/A; its SHA-256 is computed from the stored bytes."""
    return {
        "id": record.pk,
        "version_hash": record.version_hash,
        "document_sha256": hashlib.sha256(bytes(record.pdf)).hexdigest(),
        "file": record.file_name,
    }


# (records, each version's canonical content by number, each document's bytes by
# its file name in a bundle)
Vouched = tuple[dict[str, list], dict[int, bytes], dict[str, bytes]]


def records_of(agreement_id: int) -> Vouched:
    """What the trail vouches for in one agreement (``Vouched``)."""
    return records_for([agreement_id])[agreement_id]


def _scope(agreement_ids: list[int]) -> dict[str, Any]:
    """verify_trail's batches are runs of neighbouring ids: a range is cheaper to build
    and to run than a list of hundreds of ids. Records of agreements in the range but
    not asked for are read and left out of the answer."""
    low, high = min(agreement_ids, default=0), max(agreement_ids, default=0)
    if high - low < 2 * len(agreement_ids):
        return {"agreement_id__gte": low, "agreement_id__lte": high}
    return {"agreement_id__in": agreement_ids}


RECORD_KINDS = (
    "versions", "decisions", "signatures", "reports", "decision_steps", "registrations", "seals",
)  # fmt: skip


def _vouched_empty() -> Vouched:
    return ({kind: [] for kind in RECORD_KINDS}, {}, {})


def records_for(agreement_ids: list[int]) -> dict[int, Vouched]:
    """The same for many agreements at once: one query per kind of record, however
    many agreements (verify_trail walks every agreement in batches)."""
    scope = _scope(agreement_ids)
    found: defaultdict[int, Vouched] = defaultdict(_vouched_empty)
    # The column's text, not Django's decoded JSON: _as_stored parses it faster.
    versions = Version.objects.filter(**scope).values_list(
        "agreement_id", "number", Cast("content", TextField()), "content_hash"
    )
    for agreement_id, number, stored, content_hash in versions.order_by("agreement_id", "number"):
        records, contents, _documents = found[agreement_id]
        contents[number] = _as_stored(stored, content_hash)
        records["versions"].append(
            {"number": number, "content_hash": content_hash, "file": version_file(number)}
        )
    # As corrected: the verifier checks each correction against its event.
    for key, model, row in (
        ("decisions", Decision, decision_row),
        ("signatures", Signature, signature_row),
    ):
        rows = corrected(list(model.objects.filter(**scope).order_by("pk")))
        for record in rows:
            found[record.agreement_id][0][key].append(row(record))
    reports = FollowUpReport.objects.filter(**scope, state=ReportState.SUBMITTED)
    for r in reports.select_related("version").order_by("agreement_id", "due_date"):
        found[r.agreement_id][0]["reports"].append(
            {
                "id": r.pk,
                "due_date": r.due_date.isoformat(),
                "content_hash": r.content_hash,
                "content": r.hashed_content(),
            }
        )
    for step in DecisionStep.objects.filter(**scope).order_by("pk"):
        records, _contents, documents = found[step.agreement_id]
        records["decision_steps"].append(step_row(step))
        if step.document:
            documents[document_file(step.pk)] = bytes(step.document)
    registrations = Registration.objects.filter(**scope)
    for registration in registrations.select_related("document").order_by("pk"):
        records, _contents, documents = found[registration.agreement_id]
        row = registration_row(registration)
        records["registrations"].append(row)
        if row["file"]:
            documents[row["file"]] = bytes(registration.document.data)
    seals = SealedRecord.objects.filter(**scope)
    for record in seals.annotate(version_hash=F("version__content_hash")).order_by("pk"):
        records, _contents, documents = found[record.agreement_id]
        records["seals"].append(sealed_row(record))
        documents[record.file_name] = bytes(record.pdf)
    for source in RECORD_SOURCES:
        key, by_agreement = source(agreement_ids)
        for agreement_id, rows in by_agreement.items():
            found[agreement_id][0].setdefault(key, []).extend(rows)
    return {pk: found[pk] for pk in agreement_ids}
