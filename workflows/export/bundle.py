"""Writing a bundle: read one consistent snapshot, write the files, check the result.

The snapshot is read while holding the agreement's row lock, the lock every
service takes before it writes an event, so no event can slip in between
checking the chain and reading it. The PDF is rendered after the lock is released.
Before a bundle is handed out, the bundle's own verifier checks it: an export
never hands out something that would fail.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .. import bundle_verify, selectors
from ..models import Agreement, AuditEvent, Decision, Signature, Version
from ..services.trail import chain_verify
from ..trail_records import records_of, version_file

VERIFIER = "verify.py"
README = "README.txt"


class ExportError(Exception):
    """The agreement cannot be exported as asked (the message says why). ``status``
    is 404 when what was asked for does not exist, 409 when the trail does not verify."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Snapshot:
    """Everything a bundle shows, read under the agreement's row lock."""

    agreement: Agreement
    version: Version
    versions: list[Version]
    decisions: list[Decision]
    signatures: list[Signature]
    events: list[AuditEvent]
    # What the trail vouches for (trail_records.records_of): the verifiers check each.
    records: dict[str, list] = field(default_factory=dict)
    contents: dict[int, bytes] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)
    exported_at: Any = field(default_factory=timezone.now)

    @property
    def head(self) -> str:
        return self.events[-1].hash if self.events else bundle_verify.GENESIS_HASH


@dataclass
class Bundle:
    folder: Path
    agreement_id: int
    version_number: int
    count: int
    head: str
    files: dict[str, str]

    @property
    def name(self) -> str:
        return f"beslutsspar-{self.agreement_id}-v{self.version_number}"


def names_of(event: AuditEvent | None) -> dict[str, str] | None:
    """The names beside the chain as they were (None if erased or never written)."""
    try:
        names = event.actor_names if event is not None else None
    except AuditEvent.actor_names.RelatedObjectDoesNotExist:
        return None
    if names is None:
        return None
    return {"name": names.name, "title": names.title, "on_behalf_of": names.on_behalf_of_name}


def snapshot_read(agreement_id: int, version_number: int | None = None) -> Snapshot:
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().filter(pk=agreement_id)
        if not locked.values_list("pk", flat=True).first():
            raise ExportError(f"Det finns ingen överenskommelse med id {agreement_id}.", 404)
        report = chain_verify(agreement_id)
        if not report.ok:
            raise ExportError(
                "Beslutsspåret går inte att verifiera och exporteras inte: "
                + report.describe(agreement_id)
            )
        agreement = selectors.agreement_by_id(agreement_id)
        versions = list(agreement.versions.select_related("author").order_by("number"))
        if version_number is not None:
            version = next((v for v in versions if v.number == version_number), None)
            if version is None:
                raise ExportError(f"Överenskommelsen har ingen version {version_number}.", 404)
        else:
            chosen = agreement.version_in_force_id
            version = next((v for v in versions if v.pk == chosen), None) or versions[-1]
        events = list(selectors.trail_of(agreement))
        records, contents, documents = records_of(agreement_id)
        snapshot = Snapshot(
            agreement=agreement,
            records=records,
            contents=contents,
            documents=documents,
            version=version,
            versions=versions,
            decisions=selectors.decisions_of(agreement),
            signatures=selectors.signatures_of(agreement),
            events=events,
        )
    if snapshot.head != report.head or len(events) != report.count:
        raise ExportError("Beslutsspåret ändrades under exporten; försök igen.")
    return snapshot


def events_jsonl(events: list[AuditEvent]) -> bytes:
    """One event per line: its hashed fields, its hash, and the names beside the
    chain under "actor_names" (not hashed, so they can be erased)."""
    lines = []
    for event in events:
        line = {**event.hashed_fields(), "hash": event.hash, "actor_names": names_of(event)}
        lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines).encode("utf-8")


def bundle_write(
    agreement_id: int, out: Path | str, *, version_number: int | None = None
) -> Bundle:
    """Write the bundle's files into the folder ``out`` (created if missing; files of
    the same names are replaced) and return what was written."""
    from .pdf import pdf_name, pdf_render

    snapshot = snapshot_read(agreement_id, version_number)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with translation.override("sv"):
        contents = {
            pdf_name(snapshot): pdf_render(snapshot),
            "events.jsonl": events_jsonl(snapshot.events),
            VERIFIER: Path(bundle_verify.__file__).read_bytes(),
            bundle_verify.RECORDS: json.dumps(
                snapshot.records, ensure_ascii=False, indent=1, sort_keys=True
            ).encode("utf-8"),
            **{version_file(n): data for n, data in snapshot.contents.items()},
            **snapshot.documents,
            README: render_to_string(
                "workflows/export/README.txt",
                {"s": snapshot, "pdf": pdf_name(snapshot), "count": len(snapshot.events)},
            ).encode("utf-8"),
        }
    files = {}
    for name, data in sorted(contents.items()):
        (folder / name).write_bytes(data)
        files[name] = bundle_verify.file_sha256(folder / name)
    manifest = {
        "format": bundle_verify.FORMAT,
        "format_version": bundle_verify.FORMAT_VERSION,
        "exported_at": snapshot.exported_at.isoformat(timespec="seconds"),
        "agreement": snapshot.agreement.pk,
        "count": len(snapshot.events),
        "head": snapshot.head,
        "files": files,
    }
    (folder / bundle_verify.MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    result = bundle_verify.verify_bundle(folder)
    if not result.startswith("OK "):
        raise ExportError(f"Den exporterade mappen klarar inte sin egen kontroll: {result}")
    return Bundle(
        folder=folder,
        agreement_id=snapshot.agreement.pk,
        version_number=snapshot.version.number,
        count=len(snapshot.events),
        head=snapshot.head,
        files=files,
    )


def bundle_zip(agreement_id: int, *, version_number: int | None = None) -> tuple[str, bytes]:
    """The bundle as a zip of one folder: (file name, bytes)."""
    tmp = Path(tempfile.mkdtemp(prefix="samverkan-export-"))
    try:
        bundle = bundle_write(agreement_id, tmp / "bundle", version_number=version_number)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in [*bundle.files, bundle_verify.MANIFEST]:
                archive.write(bundle.folder / name, f"{bundle.name}/{name}")
        return f"{bundle.name}.zip", buffer.getvalue()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
