"""Recompute every agreement's hash chain and every record it vouches for, and report
the first thing that does not match.

With ``--bundle DIR`` it checks an exported bundle instead, with the code the bundle
carries as verify.py (``workflows/bundle_verify.py``), so the two always agree.
With ``--against HEAD|FILE`` it also compares the chain with a head kept outside
the database: a head from the e-mail sent at signing, an earlier export's
manifest.json, or a file written by ``publish_trail_head``.
"""

import json
import re
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows import bundle_verify
from workflows.models import AuditEvent
from workflows.services.identity import identity_trail_verify
from workflows.services.trail import chain_verify, chains_verify, trail_root

HEX = re.compile(r"\b[0-9a-f]{64}\b")


class Command(BaseCommand):
    help = "Kontrollerar beslutsspårets hashkedjor. / Verifies the decision trail's hash chains."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agreement", type=int, help="Bara denna överenskommelse (id). / Only this agreement."
        )
        parser.add_argument(
            "--bundle",
            metavar="DIR",
            help="Kontrollera en exporterad mapp (export_trail). / Check an exported bundle.",
        )
        parser.add_argument(
            "--against",
            metavar="HEAD|FILE",
            help="Jämför med ett huvud som förvaras utanför databasen. / Compare with a head "
            "kept outside the database (hex, manifest.json or a publish_trail_head file).",
        )

    def handle(self, *args, agreement=None, bundle=None, against=None, **options):
        if bundle:
            line = bundle_verify.verify_bundle(bundle)
            if not line.startswith("OK "):
                raise CommandError(line)
            self.stdout.write(line)
            return
        started = time.perf_counter()
        reports = [(agreement, chain_verify(agreement))] if agreement else chains_verify()
        total, heads = 0, []
        for agreement_id, report in reports:
            if not report.ok:
                raise CommandError(report.describe(agreement_id))
            total += report.count
            heads.append((agreement_id, report.head))
        head = heads[0][1] if agreement else trail_root(heads)
        self.stdout.write(f"OK {total} events, head {head}")
        seconds = time.perf_counter() - started
        if options["verbosity"] > 1:  # the figure for bin/bench; the first line stays the verdict
            self.stdout.write(f"{total / seconds:.0f} events/s ({seconds:.2f} s)")
        if not agreement:  # the e-ID bindings' own chain (issue 14)
            bindings, problem = identity_trail_verify()
            if problem:
                raise CommandError(f"e-legitimationer / e-ID bindings: {problem}")
            self.stdout.write(f"OK {bindings} e-ID bindings")
        if against:
            for line in compare(against, dict(heads), head, agreement):
                self.stdout.write(line)


def compare(against: str, heads: dict[int, str], head: str, agreement: int | None) -> list[str]:
    """Lines saying how each head kept outside matches the chain; CommandError if one
    appears nowhere in it (the trail was rewritten since that head was taken)."""
    kept = _kept_heads(against, agreement)
    lines = []
    for agreement_id, expected in kept:
        current = heads.get(agreement_id) if agreement_id is not None else head
        if expected == current:
            lines.append(f"OK {_whose(agreement_id)}: samma huvud / same head {expected}")
            continue
        found = AuditEvent.objects.filter(hash=expected)
        if agreement_id is not None:
            found = found.filter(agreement_id=agreement_id)
        event = found.values_list("agreement_id", "seq").first()
        if event is None:
            raise CommandError(
                f"FAIL {_whose(agreement_id)}: huvudet {expected} finns inte i kedjan; "
                f"spåret har skrivits om / the head is not in the chain: the trail was rewritten"
            )
        lines.append(
            f"OK {_whose(event[0])}: huvudet finns i kedjan som händelse {event[1]}; kedjan "
            f"har vuxit sedan / the head is event {event[1]}, the chain has grown since"
        )
    return lines


def _whose(agreement_id: int | None) -> str:
    return f"agreement {agreement_id}" if agreement_id is not None else "root"


def _kept_heads(against: str, agreement: int | None) -> list[tuple[int | None, str]]:
    if HEX.fullmatch(against):
        return [(agreement, against)]
    path = Path(against)
    if not path.is_file():
        raise CommandError(f"--against: varken ett huvud (64 hex) eller en fil: {against}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and "agreement" in data and "head" in data:  # a manifest
        return [(int(data["agreement"]), data["head"])]
    if isinstance(data, dict) and "heads" in data:  # publish_trail_head
        kept = [(int(pk), value) for pk, value in data["heads"].items()]
        return [item for item in kept if agreement is None or item[0] == agreement]
    found = HEX.findall(text)
    if not found:
        raise CommandError(f"--against: inget huvud (64 hex) i {against}")
    return [(agreement, found[0])]
