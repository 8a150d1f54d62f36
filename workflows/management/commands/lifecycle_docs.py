"""Write docs/lifecycle.md from the declared lifecycles."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from workflows.lifecycle_docs import render


class Command(BaseCommand):
    help = "Skriv docs/lifecycle.md från de deklarerade livscyklerna."

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR) / "docs" / "lifecycle.md"
        parser.add_argument("--out", default=str(default), help="Filen att skriva.")

    def handle(self, *args, out: str, **options):
        Path(out).write_text(render(), encoding="utf-8")
        self.stdout.write(f"Skrev {out}")
