"""Part 3: verify_trail over every agreement, against a bare loop in the same run.

Run by ``python -m bench`` after parts 1 and 2, on the same database and its events.
The bare loop fetches the same columns and chains SHA-256 over them with nothing
else; the verifier also checks numbering, links, heads and (with records) every
version text, decision, signature and answer. The check with records is set beside
a bare loop over the same rows: the events and every record row it reads, each
fetched as plain values and hashed. The per-agreement walk over model objects, which
verify_trail used before, is measured too for comparison.

Each is run ``ROUNDS`` times, interleaved, and its best run kept: a single pass over
a few thousand events takes tens of milliseconds, and one pause of the machine would
decide a ratio. Prints one JSON object on stdout.
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


# The tables verify_trail reads records from (workflows/trail_records.records_for).
RECORD_MODELS = (
    "workflows.Version", "workflows.Decision", "workflows.Signature", "workflows.Correction",
    "workflows.FollowUpReport", "workflows.DecisionStep", "workflows.Registration",
    "workflows.SealedRecord", "promises.PromiseAnswer",
)  # fmt: skip


def record_rows() -> None:
    """Every row the check with records reads besides the events, as plain values,
    each hashed: the rows' share of the bare floor."""
    from django.apps import apps

    for label in RECORD_MODELS:
        model = apps.get_model(label)
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by("pk").values_list(*columns)
        for row in rows.iterator(chunk_size=2000):
            payload = json.dumps(row, ensure_ascii=False, default=str, separators=(",", ":"))
            hashlib.sha256(payload.encode("utf-8")).digest()


def bare_rows() -> int:
    count = bare_loop()
    record_rows()
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


ROUNDS = 5


def main() -> None:
    result = {"vendor": connection.vendor}
    runs = {
        "bare": bare_loop,
        "chain": lambda: streamed(records=False),
        "bare_rows": bare_rows,
        "full": lambda: streamed(records=True),
    }
    best: dict[str, tuple[int, float]] = {}
    for _round in range(ROUNDS):
        for name, call in runs.items():
            count, seconds = timed(call)
            if name not in best or seconds < best[name][1]:
                best[name] = (count, seconds)
    best["objects"] = timed(model_objects)  # slow, and only for comparison: once
    for name, (count, seconds) in best.items():
        result[name] = {"events": count, "per_second": count / seconds, "seconds": seconds}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
