"""Write the chain heads to a file kept outside the database (a web folder, another
machine, an archive), so that ``verify_trail --against FILE`` can later show that
the trail was not rewritten since. Run it on a schedule (cron, or Celery beat)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from workflows.models import Agreement
from workflows.services.trail import trail_root


class Command(BaseCommand):
    help = "Skriv beslutsspårens huvuden till en fil. / Write the trail heads to a file."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Filen att skriva. / The file.")

    def handle(self, *args, out: str, **options):
        rows = Agreement.objects.order_by("pk").values_list("pk", "trail_head", "trail_length")
        heads = {str(pk): head for pk, head, length in rows if length}
        published = {
            "at": timezone.now().isoformat(timespec="seconds"),
            "root": trail_root([(int(pk), head) for pk, head in heads.items()]),
            "count": sum(length for _pk, _head, length in rows),
            "heads": heads,
        }
        Path(out).write_text(json.dumps(published, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"Skrev {out}: {len(heads)} kedjor, rot {published['root']}")
