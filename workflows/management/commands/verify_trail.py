"""Recompute every agreement's hash chain and report the first broken event.

With ``--bundle DIR`` it checks an exported bundle instead, with the code the bundle
carries as verify.py (``workflows/bundle_verify.py``), so the two always agree.
"""

from django.core.management.base import BaseCommand, CommandError

from workflows import bundle_verify
from workflows.models import Agreement
from workflows.services.trail import chain_verify, trail_root


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

    def handle(self, *args, agreement: int | None = None, bundle: str | None = None, **options):
        if bundle:
            line = bundle_verify.verify_bundle(bundle)
            if not line.startswith("OK "):
                raise CommandError(line)
            self.stdout.write(line)
            return
        ids = (
            [agreement]
            if agreement
            else list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
        )
        total, heads = 0, []
        for agreement_id in ids:
            report = chain_verify(agreement_id)
            if not report.ok:
                raise CommandError(report.describe(agreement_id))
            total += report.count
            heads.append((agreement_id, report.head))
        head = heads[0][1] if agreement else trail_root(heads)
        self.stdout.write(f"OK {total} events, head {head}")
