"""Writing and verifying the decision trail.

``event_record`` must run inside the transaction that makes the change, while the
caller holds the agreement's row lock: that lock is what serialises the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import override

from ..bundle_verify import Failure, check_records, event_hash
from ..models import Agreement, AuditEvent, EventActor
from ..models.trail import GENESIS_HASH
from ..trail_actions import spec
from ..trail_records import Vouched, records_for, records_of
from .actors import Actor


def event_record(
    *,
    agreement: Agreement,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    version_hash: str = "",
    details: dict[str, Any] | None = None,
    saved_with_head: tuple[str, ...] = (),
) -> AuditEvent:
    """Append one event to the agreement's chain and move its head; the agreement's
    columns named in ``saved_with_head`` (its new state) are saved in the same UPDATE."""
    if spec(action) is None:
        # An event the auditor's pages have no words for is a programming error.
        raise ValueError(f"undeclared trail action {action!r}: declare it in trail_actions")
    event = AuditEvent(
        agreement=agreement,
        seq=agreement.trail_length + 1,
        at=timezone.now(),
        actor=actor.person,
        actor_role=actor.role,
        actor_organisation=actor.assignment.organisation if actor.assignment else None,
        on_behalf_of=actor.on_behalf_of,
        channel=actor.channel,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "agreement",
        object_id=str(obj.pk if obj is not None else agreement.pk),
        from_state=from_state,
        to_state=to_state,
        version_hash=version_hash,
        details=details or {},
        prev_hash=agreement.trail_head or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    agreement.trail_head, agreement.trail_length = event.hash, event.seq
    if saved_with_head:
        agreement.save(update_fields=["trail_head", "trail_length", *saved_with_head])
    else:
        Agreement.objects.filter(pk=agreement.pk).update(
            trail_head=event.hash, trail_length=event.seq
        )
    with override(settings.LANGUAGE_CODE):  # the record is Swedish
        title = actor.title
    EventActor.objects.create(
        event=event,
        name=actor.name,
        title=title,
        on_behalf_of_name=actor.on_behalf_of.name if actor.on_behalf_of else "",
    )
    return event


@dataclass
class ChainReport:
    ok: bool
    count: int
    head: str
    problem: str = ""
    bad_event: AuditEvent | None = None

    def describe(self, agreement_id: int) -> str:
        where = f"agreement {agreement_id}"
        if self.bad_event is not None:
            where += f" event seq {self.bad_event.seq} ({self.bad_event.action})"
        return f"FAIL {where}: {self.problem}"


# An event's hashed fields by their column names, in ``AuditEvent.hashed_fields``'s
# order: verification reads rows as plain tuples, never as model objects.
HASHED = (
    ("agreement", "agreement_id"), ("seq", "seq"), ("at", "at"), ("actor", "actor_id"),
    ("actor_role", "actor_role"), ("actor_organisation", "actor_organisation_id"),
    ("on_behalf_of", "on_behalf_of_id"), ("channel", "channel"), ("action", "action"),
    ("object_type", "object_type"), ("object_id", "object_id"),
    ("from_state", "from_state"), ("to_state", "to_state"),
    ("version_hash", "version_hash"), ("details", "details"), ("prev_hash", "prev_hash"),
)  # fmt: skip
_COLUMNS = [column for _key, column in HASHED] + ["hash"]
_AT = 2  # the position of ``at``: a datetime, hashed in UTC with microseconds


def _event_rows(**filters):
    """The events as (hashed fields, stored hash), in chain order, streamed."""
    rows = (
        AuditEvent.objects.filter(**filters)
        .order_by("agreement_id", "seq")
        .values_list(*_COLUMNS)
        .iterator(chunk_size=2000)
    )
    keys = [key for key, _column in HASHED]
    for row in rows:
        fields = dict(zip(keys, row[:-1], strict=True))
        fields["at"] = row[_AT].astimezone(UTC).isoformat(timespec="microseconds")
        yield fields, row[-1]


def _walk(agreement_id: int, rows, recorded: dict, vouched: Vouched | None) -> ChainReport:
    """One agreement's chain: numbering, links, each event's own hash, the head and
    length recorded on the agreement (events cut off the end), then every record the
    chain vouches for (``check_records``; ``vouched`` None: the chain alone)."""
    prev, count, events = GENESIS_HASH, 0, []
    for expected_seq, (fields, stored) in enumerate(rows, start=1):
        count += 1
        seq, problem = fields["seq"], ""
        if seq != expected_seq:
            problem = f"nummer {seq}, väntade {expected_seq} (händelse saknas eller infogad)"
        elif fields["prev_hash"] != prev:
            problem = "länken till föregående händelse stämmer inte (borttagen eller omordnad)"
        elif event_hash(fields) != stored:
            problem = "innehållet stämmer inte med händelsens hash (ändrad)"
        if problem:
            bad = AuditEvent.objects.get(agreement_id=agreement_id, seq=seq)
            return ChainReport(False, count, prev, problem, bad)
        prev = stored
        events.append(fields)
    if count != recorded["trail_length"] or prev != (recorded["trail_head"] or GENESIS_HASH):
        problem = (
            f"kedjan slutar vid nummer {count} men överenskommelsen anger "
            f"{recorded['trail_length']} händelser (händelser saknas i slutet)"
        )
        return ChainReport(False, count, prev, problem, None)
    if vouched is not None:
        records, contents, documents = vouched
        try:
            check_records(records, events, contents, documents)
        except Failure as failure:
            return ChainReport(False, count, prev, str(failure).removeprefix("FAIL "), None)
    return ChainReport(True, count, prev)


def chain_verify(agreement_id: int) -> ChainReport:
    """Recompute one agreement's chain and the records it vouches for."""
    recorded = Agreement.objects.values("trail_head", "trail_length").get(pk=agreement_id)
    rows = _event_rows(agreement_id=agreement_id)
    return _walk(agreement_id, rows, recorded, records_of(agreement_id))


BATCH = 500  # agreements whose records are read together


def chains_verify(records: bool = True) -> Iterator[tuple[int, ChainReport]]:
    """Every agreement's chain in one ordered pass over all events, the records of
    ``BATCH`` agreements read at a time (``records`` False: the chains alone).
    Agreements without events are checked too."""
    recorded = {
        row["pk"]: row
        for row in Agreement.objects.values("pk", "trail_head", "trail_length").order_by("pk")
    }
    walked: set[int] = set()
    batch: list[tuple[int, list]] = []
    grouped = groupby(_event_rows(), key=lambda pair: pair[0]["agreement"])
    for agreement_id, rows in grouped:
        walked.add(agreement_id)
        batch.append((agreement_id, list(rows)))
        if len(batch) == BATCH:
            yield from _walk_batch(batch, recorded, records)
            batch = []
    batch += [(pk, []) for pk in sorted(set(recorded) - walked)]
    for start in range(0, len(batch), BATCH):
        yield from _walk_batch(batch[start : start + BATCH], recorded, records)


def _walk_batch(batch, recorded: dict, records: bool) -> Iterator[tuple[int, ChainReport]]:
    vouched = records_for([pk for pk, _rows in batch]) if records else {}
    for agreement_id, rows in batch:
        yield (
            agreement_id,
            _walk(agreement_id, rows, recorded[agreement_id], vouched.get(agreement_id)),
        )


def trail_root(heads: list[tuple[int, str]]) -> str:
    """One hash over every agreement's chain head, in agreement order."""
    lines = "".join(f"{agreement_id}:{head}\n" for agreement_id, head in sorted(heads))
    return hashlib.sha256(lines.encode()).hexdigest()
