"""Part 3: verify_trail over every agreement, against a bare loop in the same run.

Run by ``python -m bench`` after parts 1 and 2, on the same database and its events.
The bare loop fetches the same columns and chains SHA-256 over them with nothing
else; the verifier also checks numbering, links, heads and (with records) every
version text, decision, signature and answer. The per-agreement walk over model
objects, which verify_trail used before, is measured too for comparison. Prints one
JSON object on stdout.
"""

from __future__ import annotations

import hashlib
import json
import time

import django

django.setup()  # before the project's models are imported

from django.db import connection  # noqa: E402


def bare_loop() -> int:
    from workflows.services.trail import _event_rows

    digest = hashlib.sha256()
    count = 0
    for fields, _stored in _event_rows():
        payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest.update(hashlib.sha256(payload.encode("utf-8")).digest())
        count += 1
    return count


def streamed(records: bool) -> int:
    from workflows.services.trail import chains_verify

    total = 0
    for agreement_id, report in chains_verify(records=records):
        assert report.ok, report.describe(agreement_id)
        total += report.count
    return total


def model_objects() -> int:
    """One agreement at a time over full AuditEvent objects (the chain only)."""
    from workflows.models import Agreement, AuditEvent

    total = 0
    for agreement_id in Agreement.objects.order_by("pk").values_list("pk", flat=True):
        events = AuditEvent.objects.filter(agreement_id=agreement_id).order_by("seq")
        for event in events.iterator(chunk_size=500):
            assert event.compute_hash() == event.hash
            total += 1
    return total


def timed(call) -> tuple[int, float]:
    t0 = time.perf_counter()
    count = call()
    return count, time.perf_counter() - t0


def main() -> None:
    result = {"vendor": connection.vendor}
    for name, call in (
        ("bare", bare_loop),
        ("chain", lambda: streamed(records=False)),
        ("full", lambda: streamed(records=True)),
        ("objects", model_objects),
        ("bare_again", bare_loop),  # the machine may have changed pace meanwhile
    ):
        count, seconds = timed(call)
        result[name] = {"events": count, "per_second": count / seconds, "seconds": seconds}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
