"""Recompute every agreement's hash chain and report the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from workflows.models import Agreement
from workflows.services.trail import chain_verify, trail_root


class Command(BaseCommand):
    help = "Kontrollerar beslutsspårets hashkedjor. / Verifies the decision trail's hash chains."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agreement", type=int, help="Bara denna överenskommelse (id). / Only this agreement."
        )

    def handle(self, *args, agreement: int | None = None, **options):
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
