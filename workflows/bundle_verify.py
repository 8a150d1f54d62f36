"""Kontrollerar ett exporterat beslutsspår. / Verifies an exported decision trail.

    python3 verify.py            (in the bundle's folder / i paketets mapp)
    python3 verify.py FOLDER

Python 3.8 or later, standard library only. Prints "OK <n> events, head <hash>"
and exits 0, or the first problem ("FAIL event seq N: ...", "FAIL file X: ...")
and exits 1. Compare the head with the one on the certificate and in the e-mail
the signatories received when the agreement was signed.

The rules: events.jsonl holds one event per line, in chain order. An event's hash
is the SHA-256 of the JSON of every field on its line except "hash" and
"actor_names" (names and titles are kept outside the hash so personal data can be
erased), with sorted keys, no spaces and UTF-8 text. Numbers run 1, 2, 3, ...; each
event's prev_hash is the previous event's hash ("0" * 64 for the first); the last
hash and the count must be those in manifest.json, which also lists the SHA-256 of
every other file in the folder.

Format 2 also carries what the trail vouches for: each version's canonical
content (version-N.json, whose SHA-256 must be the version hash the events name)
and records.json (the decisions, signatures, follow-up reports and medborgarlöften
answers as stored), each of which must equal what its event says. The same
check runs on the database (``check_records``), so a version's text, a §, a
diarienummer, a place or a date changed after the fact is caught either way.
A decision or signature corrected afterwards (a rättelse, event "record_corrected")
holds the newest corrected value of each field; each correction's event names the
old and the new value, so the row as first recorded is checked against its own
event too, and any other change is still caught. A signed version's PDF/A
(records.json "seals") must have the SHA-256 its event "agreement_sealed" names;
where pyHanko is installed (pip install pyhanko), its seal is validated as well.

This file is workflows/bundle_verify.py in Samverkan, copied byte for byte into
every bundle; `manage.py verify_trail --bundle DIR` runs the same code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

GENESIS_HASH = "0" * 64
FORMAT_1, FORMAT = "samverkan-trail-bundle/1", "samverkan-trail-bundle/2"
FORMAT_VERSION = 2  # the major version this verifier reads (1 and 2)
MANIFEST, EVENTS, RECORDS = "manifest.json", "events.jsonl", "records.json"
NOT_HASHED = ("hash", "actor_names")
MANIFEST_KEYS = {"format", "agreement", "count", "head", "files"}
MANIFEST_KEYS_2 = MANIFEST_KEYS | {"format_version", "exported_at"}


class Failure(Exception):
    """The first problem found, as the line to print."""


def event_hash(fields: dict) -> str:
    """The same formula as AuditEvent.compute_hash in Samverkan."""
    hashed = {key: value for key, value in fields.items() if key not in NOT_HASHED}
    payload = json.dumps(hashed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Failure(f"FAIL manifest: kan inte läsas / cannot be read ({error})") from None
    if not isinstance(manifest, dict):
        raise Failure("FAIL manifest: inget JSON-objekt / not a JSON object")
    version = manifest.get("format_version", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise Failure(
            f"FAIL manifest: formatversion {version!r} är nyare än detta program "
            f"(läser {FORMAT_VERSION}); hämta verify.py från en nyare export / format "
            f"version {version!r} is newer than this verifier reads"
        )
    expected = (MANIFEST_KEYS, FORMAT_1) if version == 1 else (MANIFEST_KEYS_2, FORMAT)
    if set(manifest) != expected[0]:
        raise Failure(f"FAIL manifest: fälten ska vara / the fields must be {sorted(expected[0])}")
    if manifest["format"] != expected[1] or not isinstance(manifest["files"], dict):
        raise Failure(f"FAIL manifest: okänt format / unknown format {manifest['format']!r}")
    return manifest


def check_events(folder: Path, manifest: dict) -> tuple[int, str, list]:
    """Walk the chain; return (count, head, events) or raise at the first bad event."""
    prev, count, events = GENESIS_HASH, 0, []
    lines = (folder / EVENTS).read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line
    for expected, raw in enumerate(lines, start=1):
        count = expected
        try:
            event = json.loads(raw.decode("utf-8"))
        except ValueError:
            event = None
        if not isinstance(event, dict) or not isinstance(event.get("seq"), int):
            raise Failure(
                f"FAIL event seq {expected}: raden är inte en händelse i JSON / "
                f"line {expected} is not an event in JSON"
            )
        seq = event["seq"]
        if seq != expected:
            problem = (
                f"nummer {seq}, väntade {expected} (händelse saknas eller infogad) / "
                f"number {seq}, expected {expected} (event missing or inserted)"
            )
        elif event.get("prev_hash") != prev:
            problem = (
                "länken till föregående händelse stämmer inte (borttagen eller omordnad) / "
                "the link to the previous event does not match (removed or reordered)"
            )
        elif event_hash(event) != event.get("hash"):
            problem = (
                "innehållet stämmer inte med händelsens hash (ändrad) / "
                "the content does not match the event's hash (changed)"
            )
        elif event.get("agreement") != manifest["agreement"]:
            problem = (
                f"hör till överenskommelse {event.get('agreement')!r}, inte "
                f"{manifest['agreement']!r} / belongs to another agreement"
            )
        else:
            prev = event["hash"]
            events.append(event)
            continue
        raise Failure(f"FAIL event seq {seq}: {problem}")
    return count, prev, events


def verify_bundle(folder) -> str:
    """The line to print for the bundle in ``folder``: "OK ..." or "FAIL ..."."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
        if EVENTS not in manifest["files"]:
            raise Failure(f"FAIL manifest: {EVENTS} saknas i listan / is not listed")
        count, head, events = check_events(folder, manifest)
        if count != manifest["count"] or head != manifest["head"]:
            raise Failure(
                f"FAIL manifest: kedjan har {count} händelser med huvud {head}, manifestet "
                f"anger {manifest['count']} med huvud {manifest['head']} (händelser saknas i "
                f"slutet, eller manifestet ändrat) / the chain and the manifest disagree"
            )
        for name, expected in sorted(manifest["files"].items()):
            path = folder / name
            if Path(name).name != name or name == MANIFEST or not path.is_file():
                raise Failure(f"FAIL file {name}: saknas / is missing")
            if file_sha256(path) != expected:
                raise Failure(
                    f"FAIL file {name}: SHA-256 stämmer inte med manifestet (ändrad) / "
                    f"SHA-256 does not match the manifest (changed)"
                )
        if manifest.get("format_version", 1) >= 2:
            records = json.loads((folder / RECORDS).read_text(encoding="utf-8"))
            contents = {v["number"]: (folder / v["file"]).read_bytes() for v in records["versions"]}
            documents = {
                row["file"]: (folder / row["file"]).read_bytes()
                for key in ("decision_steps", "registrations", "seals")
                for row in records.get(key, [])
                if row.get("file")
            }
            check_records(records, events, contents, documents)
            for row in records.get("seals", []):
                check_seal(folder / row["file"])
    except Failure as failure:
        return str(failure)
    except OSError as error:
        return f"FAIL file {Path(error.filename or '?').name}: kan inte läsas / cannot be read"
    except ValueError as error:
        return f"FAIL manifest: ogiltigt värde / invalid value ({error})"
    return f"OK {count} events, head {head}"


# -- what the trail vouches for -------------------------------------------------------

# The fields of each kind of record that its event's details hold, by the same name.
DECISION_FIELDS = (
    "track", "body", "outcome", "meeting_date", "paragraph", "diarienummer", "note",
    "next_meeting_date", "decided_by", "presenter", "delegation_point",
)  # fmt: skip
# How a signatory was identified (issue 14), on signatures made since.
IDENTIFICATION_FIELDS = (
    "identified_by",
    "identity_provider",
    "acr",
    "amr",
    "auth_time",
    "identity",
)
SIGNATURE_FIELDS = ("role", "place", "signed_on", *IDENTIFICATION_FIELDS)
ANSWER_FIELDS = (
    "answer",
    "place",
    "signed_on",
    "reason",
    "delegation_point",
    *IDENTIFICATION_FIELDS,
)


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def record_digest(record: dict) -> str:
    """The SHA-256 of a decision's or signature's row as stored (without its id):
    newer events carry it as "row" in their details."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "id"})).hexdigest()


def _fail(kind: str, ident, problem: str):
    raise Failure(f"FAIL {kind} {ident}: {problem}")


def _same(kind: str, ident, record: dict, event: dict, fields) -> None:
    details = event.get("details") or {}
    for name in fields:
        if name in details and details[name] != record.get(name):
            _fail(
                kind,
                ident,
                f"{name} är {record.get(name)!r} men händelse {event['seq']} säger "
                f"{details[name]!r} (ändrad) / {name} differs from event {event['seq']}",
            )
    if "row" in details and details["row"] != record_digest(record):
        _fail(kind, ident, f"raden stämmer inte med händelse {event['seq']} / row changed")


# What a rättelse may change; the Police's named fields are left out of a row when empty.
CORRECTABLE = {
    "decision": ("meeting_date", "paragraph", "diarienummer", "decided_by", "presenter"),
    "signature": ("place", "signed_on"),
}
LEFT_OUT_WHEN_EMPTY = ("decided_by", "presenter")


def _as_recorded(kind: str, row: dict, corrections: list) -> dict:
    """The row as first recorded, from the row as it stands now and its corrections
    in the trail: each correction must start from the value before it, and the row
    must hold the newest corrected value of each field; raise Failure otherwise."""
    original, newest = dict(row), {}
    for event in corrections:
        details = event.get("details") or {}
        name = details.get("field")
        if name not in CORRECTABLE[kind]:
            _fail(kind, row["id"], f"händelse {event['seq']} rättar okänd uppgift / unknown field")
        if name in newest and details.get("old") != newest[name]:
            _fail(
                kind,
                row["id"],
                f"rättelsen i händelse {event['seq']} utgår inte från föregående värde / "
                f"the correction in event {event['seq']} does not follow the previous one",
            )
        if name not in newest:
            original[name] = details.get("old")
            if not original[name] and name in LEFT_OUT_WHEN_EMPTY:
                del original[name]
        newest[name] = details.get("new")
    for name, value in newest.items():
        if (row.get(name) or "") != (value or ""):
            _fail(
                kind,
                row["id"],
                f"{name} är {row.get(name)!r} men den senaste rättelsen säger {value!r} "
                f"(ändrad) / {name} differs from the newest correction",
            )
    return original


# A step after the decision: its row's keys and the words its event's details use.
STEP_FIELDS = {
    "kind": "step", "on": "on", "url": "url", "case_number": "case_number",
    "appeal_outcome": "appeal_outcome", "note": "note", "document_sha256": "document_sha256",
    "paragraph": "paragraph",
}  # fmt: skip


def _check_step(row: dict, event, documents: dict) -> None:
    """Events leave empty values out; the justerare and the court share ``names``."""
    if event is None:
        _fail("decision_step", row["id"], "saknas i beslutsspåret / not in the trail")
    details = event.get("details") or {}
    names_key = {"justering": "justerare", "appeal": "court"}.get(row["kind"])
    pairs = list(STEP_FIELDS.items()) + ([("names", names_key)] if names_key else [])
    for column, key in pairs:
        if (row.get(column) or "") != (details.get(key) or ""):
            _fail(
                "decision_step",
                row["id"],
                f"{column} stämmer inte med händelse {event['seq']} (ändrad) / "
                f"{column} differs from event {event['seq']}",
            )
    _check_document("decision_step", row, documents)


def _check_document(kind: str, row: dict, documents: dict) -> None:
    if row.get("file"):
        data = documents.get(row["file"], b"")
        if hashlib.sha256(data).hexdigest() != row.get("document_sha256"):
            _fail(kind, row["id"], "dokumentet är ändrat / the document was changed")


# What an agreement registered afterwards holds; its event's details use these names.
REGISTRATION_FIELDS = {
    "decisions": "registered_decisions",
    "signatures": "registered_signatures",
    "document_name": "document_name",
    "document_sha256": "document_sha256",
}


def _check_registration(row: dict, event, documents: dict) -> None:
    """The registered facts and the source document are what the event says."""
    if event is None:
        _fail("registration", row["id"], "saknas i beslutsspåret / not in the trail")
    details = event.get("details") or {}
    if event["version_hash"] != row["version_hash"]:
        _fail("registration", row["id"], "bunden till en annan version / bound to another version")
    for column, key in REGISTRATION_FIELDS.items():
        if (row.get(column) or "") != (details.get(key) or ""):
            _fail(
                "registration",
                row["id"],
                f"{column} stämmer inte med händelse {event['seq']} (ändrad) / "
                f"{column} differs from event {event['seq']}",
            )
    if "row" in details and details["row"] != record_digest(row):
        _fail("registration", row["id"], f"raden stämmer inte med händelse {event['seq']}")
    _check_document("registration", row, documents)


def check_records(records: dict, events: list, contents: dict, documents=None) -> None:
    """Every stored record equals what its event in the chain says; raise Failure."""
    by_object = {(e["object_type"], e["object_id"]): e for e in events}
    numbered = {v["number"]: v for v in records.get("versions", [])}
    for number, version in sorted(numbered.items()):
        if hashlib.sha256(contents[number]).hexdigest() != version["content_hash"]:
            _fail("version", number, "texten stämmer inte med sin SHA-256 (ändrad) / text changed")
    for event in events:
        # A registered agreement's version 1 came in with its registration.
        if event["action"] in ("version_submitted", "agreement_registered"):
            number = (event.get("details") or {}).get("number")
            version = numbered.get(number)
            if version is None or version["content_hash"] != event["version_hash"]:
                _fail(
                    "version",
                    number,
                    f"händelse {event['seq']} lämnade in en annan text (ändrad eller utbytt) / "
                    f"event {event['seq']} submitted another text",
                )
    corrections = {}
    for event in events:
        if event["action"] == "record_corrected":
            details = event.get("details") or {}
            key = (details.get("record"), details.get("record_id"))
            corrections.setdefault(key, []).append(event)
    for kind, fields, rows in (
        ("decision", DECISION_FIELDS, records.get("decisions", [])),
        ("signature", SIGNATURE_FIELDS, records.get("signatures", [])),
    ):
        for row in rows:
            row = _as_recorded(kind, row, corrections.get((kind, row["id"]), []))
            event = by_object.get((kind, str(row["id"])))
            if event is None:
                _fail(kind, row["id"], "saknas i beslutsspåret / not in the trail")
            if event["version_hash"] != row["version_hash"]:
                _fail(kind, row["id"], "bunden till en annan version / bound to another version")
            if kind == "signature" and event["actor"] != row["person"]:
                _fail(kind, row["id"], "en annan person än i spåret / another person")
            _same(kind, row["id"], row, event, fields)
    for row in records.get("decision_steps", []):
        _check_step(row, by_object.get(("decisionstep", str(row["id"]))), documents or {})
    for row in records.get("registrations", []):
        _check_registration(row, by_object.get(("registration", str(row["id"]))), documents or {})
    for row in records.get("seals", []):
        _check_sealed(row, by_object.get(("sealedrecord", str(row["id"]))), documents or {})
    for report in records.get("reports", []):
        event = by_object.get(("followupreport", str(report["id"])))
        digest = hashlib.sha256(canonical(report["content"])).hexdigest()
        if event is None or digest != report["content_hash"]:
            _fail("report", report["id"], "rapporten är ändrad / the report was changed")
        details = event.get("details") or {}
        if details.get("content_hash") != digest or details.get("due_date") != report["due_date"]:
            _fail("report", report["id"], "stämmer inte med spåret / differs from the trail")
    answered = {}
    for event in events:
        details = event.get("details") or {}
        if event["action"] in ("promises_signed", "promises_returned"):
            answered[(event["object_id"], details.get("round"), details.get("role"))] = event
    for answer in records.get("answers", []):
        key = (str(answer["set"]), answer["round"], answer["role"])
        event = answered.get(key)
        if event is None:
            _fail("answer", answer["id"], "saknas i beslutsspåret / not in the trail")
        if event["version_hash"] != answer["content_hash"] or event["actor"] != answer["person"]:
            _fail("answer", answer["id"], "stämmer inte med spåret / differs from the trail")
        _same("answer", answer["id"], answer, event, ANSWER_FIELDS)


def _check_sealed(row: dict, event, documents: dict) -> None:
    """A signed version's PDF/A is the file its event names, bound to that version."""
    if event is None:
        _fail("sealed", row["id"], "saknas i beslutsspåret / not in the trail")
    details = event.get("details") or {}
    if event["version_hash"] != row["version_hash"]:
        _fail("sealed", row["id"], "bunden till en annan version / bound to another version")
    if details.get("document_sha256") != row["document_sha256"]:
        _fail("sealed", row["id"], f"stämmer inte med händelse {event['seq']} (ändrad) / changed")
    _check_document("sealed", row, documents)


def check_seal(path: Path) -> None:
    """Where pyHanko is installed: every signature in the PDF is intact and covers the
    whole file (nothing appended after the seal). Elsewhere the file's SHA-256 in
    the manifest and in its trail event is the check."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        return
    # Whether the seal is intact; whom to trust is the reader's own choice.
    context = ValidationContext(trust_roots=[], allow_fetching=False)
    with path.open("rb") as handle:
        for signature in PdfFileReader(handle).embedded_signatures:
            status = validate_pdf_signature(signature, context)
            if not (status.intact and status.valid):
                raise Failure(f"FAIL file {path.name}: sigillet är brutet / the seal is broken")
            if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
                raise Failure(
                    f"FAIL file {path.name}: ändrad efter försegling / changed after sealing"
                )


def main(argv: list) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    line = verify_bundle(folder)
    print(line)
    return 0 if line.startswith("OK ") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
