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

This file is workflows/bundle_verify.py in Samverkan, copied byte for byte into
every bundle; `manage.py verify_trail --bundle DIR` runs the same code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

GENESIS_HASH = "0" * 64
FORMAT = "samverkan-trail-bundle/1"
MANIFEST, EVENTS = "manifest.json", "events.jsonl"
NOT_HASHED = ("hash", "actor_names")
MANIFEST_KEYS = {"format", "agreement", "count", "head", "files"}


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
    if not isinstance(manifest, dict) or set(manifest) != MANIFEST_KEYS:
        raise Failure(
            f"FAIL manifest: fälten ska vara / the fields must be {sorted(MANIFEST_KEYS)}"
        )
    if manifest["format"] != FORMAT or not isinstance(manifest["files"], dict):
        raise Failure(f"FAIL manifest: okänt format / unknown format {manifest['format']!r}")
    return manifest


def check_events(folder: Path, manifest: dict) -> tuple[int, str]:
    """Walk the chain; return (count, head) or raise at the first bad event."""
    prev, count = GENESIS_HASH, 0
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
            continue
        raise Failure(f"FAIL event seq {seq}: {problem}")
    return count, prev


def verify_bundle(folder) -> str:
    """The line to print for the bundle in ``folder``: "OK ..." or "FAIL ..."."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
        if EVENTS not in manifest["files"]:
            raise Failure(f"FAIL manifest: {EVENTS} saknas i listan / is not listed")
        count, head = check_events(folder, manifest)
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
    except Failure as failure:
        return str(failure)
    except OSError as error:
        return f"FAIL file {Path(error.filename or '?').name}: kan inte läsas / cannot be read"
    except ValueError as error:
        return f"FAIL manifest: ogiltigt värde / invalid value ({error})"
    return f"OK {count} events, head {head}"


def main(argv: list) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    line = verify_bundle(folder)
    print(line)
    return 0 if line.startswith("OK ") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
