"""Writing and verifying the decision trail.

``event_record`` must run inside the transaction that makes the change, while the
caller holds the agreement's row lock: that lock is what serialises the chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import override

from ..bundle_verify import Failure, check_records
from ..models import Agreement, AuditEvent, EventActor
from ..models.trail import GENESIS_HASH
from ..trail_actions import spec
from ..trail_records import records_of
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
) -> AuditEvent:
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
    Agreement.objects.filter(pk=agreement.pk).update(trail_head=event.hash, trail_length=event.seq)
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


def chain_verify(agreement_id: int) -> ChainReport:
    """Recompute one agreement's chain: numbering, links, every event's own hash,
    and the head recorded on the agreement (which catches events cut off the end);
    then every record the chain vouches for against its event (``check_records``)."""
    prev, count, event, fields = GENESIS_HASH, 0, None, []
    events = AuditEvent.objects.filter(agreement_id=agreement_id).order_by("seq")
    recorded = Agreement.objects.values("trail_head", "trail_length").get(pk=agreement_id)
    for expected_seq, event in enumerate(events.iterator(chunk_size=500), start=1):
        count += 1
        problem = ""
        if event.seq != expected_seq:
            problem = f"nummer {event.seq}, väntade {expected_seq} (händelse saknas eller infogad)"
        elif event.prev_hash != prev:
            problem = "länken till föregående händelse stämmer inte (borttagen eller omordnad)"
        elif event.compute_hash() != event.hash:
            problem = "innehållet stämmer inte med händelsens hash (ändrad)"
        if problem:
            return ChainReport(False, count, prev, problem, event)
        prev = event.hash
        fields.append(event.hashed_fields())
    if count != recorded["trail_length"] or prev != (recorded["trail_head"] or GENESIS_HASH):
        problem = (
            f"kedjan slutar vid nummer {count} men överenskommelsen anger "
            f"{recorded['trail_length']} händelser (händelser saknas i slutet)"
        )
        return ChainReport(False, count, prev, problem, None)
    records, contents, documents = records_of(agreement_id)
    try:
        check_records(records, fields, contents, documents)
    except Failure as failure:
        return ChainReport(False, count, prev, str(failure).removeprefix("FAIL "), None)
    return ChainReport(True, count, prev)


def trail_root(heads: list[tuple[int, str]]) -> str:
    """One hash over every agreement's chain head, in agreement order."""
    lines = "".join(f"{agreement_id}:{head}\n" for agreement_id, head in sorted(heads))
    return hashlib.sha256(lines.encode()).hexdigest()
