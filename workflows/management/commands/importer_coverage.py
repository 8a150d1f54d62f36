"""Print how well the importer reads the test texts: per field, how many texts it got
right, left missing, got wrong, or rightly left empty."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows import importer_coverage as coverage


class Command(BaseCommand):
    help = (
        "Visar importerarens träffsäkerhet på testtexterna (rätt / saknas / fel). "
        "/ Prints the importer's coverage over the test texts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(Path(settings.BASE_DIR) / "tests" / "importer_texts"),
            help="Mapp med texter och deras .json. / Folder of texts with their .json.",
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="Visa varje fel och varje saknat fält. / Show every wrong and missing field.",
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"Mappen finns inte: {directory} / No such folder.")
        texts = coverage.texts(directory)
        if not texts:
            raise CommandError(f"Inga texter med .json i {directory} / No texts with .json.")
        marks = [mark for path, expected in texts for mark in coverage.marks_for(path, expected)]
        self.stdout.write(f"{len(texts)} texter i {directory}\n")
        self.stdout.write(coverage.table(marks))
        if options["details"]:
            for mark in marks:
                if mark.outcome in (coverage.WRONG, coverage.MISSING):
                    self.stdout.write(f"{mark.text}  {mark.field}  {mark.outcome}: {mark.detail}")
