"""Export one agreement's decision trail as a bundle an auditor can check offline, or
as an archive package (SIP) for an e-archive."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows import bundle_verify
from workflows.export import ExportError, bundle_write, sip_write
from workflows.export.sip import DATA


class Command(BaseCommand):
    help = (
        "Exporterar överenskommelsen som PDF, händelser, manifest och kontrollprogram. / "
        "Exports the agreement as a PDF, its events, a manifest and a verifier."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        # Django's own --version (its version number) gives way to the agreement's.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("agreement", type=int, help="Överenskommelsens id. / Agreement id.")
        parser.add_argument(
            "--out", required=True, type=Path, help="Mappen att skriva till. / Output folder."
        )
        parser.add_argument(
            "--version",
            dest="version_number",
            metavar="N",
            type=int,
            help="Versionens nummer (annars den gällande). / Version number (default: in force).",
        )
        parser.add_argument(
            "--format",
            dest="export_format",
            choices=["bundle", "sip"],
            default="bundle",
            help=(
                "bundle: mappen med verify.py (standard); sip: arkivpaket (E-ARK SIP) med "
                "METS.xml. / bundle: the folder with verify.py (default); sip: an archive "
                "package (E-ARK SIP) with METS.xml."
            ),
        )

    def handle(
        self,
        *args,
        agreement: int,
        out: Path,
        version_number: int | None,
        export_format: str,
        **options,
    ):
        try:
            if export_format == "sip":
                self.sip(agreement, out, version_number)
                return
            bundle = bundle_write(agreement, out, version_number=version_number)
        except ExportError as error:
            raise CommandError(str(error)) from None
        for name in [*bundle.files, "manifest.json"]:
            self.stdout.write(str(bundle.folder / name))
        self.stdout.write(
            f"OK {bundle.count} events, head {bundle.head} "
            f"(agreement {bundle.agreement_id}, version {bundle.version_number})"
        )

    def sip(self, agreement: int, out: Path, version_number: int | None) -> None:
        package = sip_write(agreement, out, version_number=version_number)
        # The same figures as the bundle's OK line, from the bundle inside the package.
        manifest = json.loads((package / DATA / bundle_verify.MANIFEST).read_text(encoding="utf-8"))
        self.stdout.write(str(package))
        self.stdout.write(
            f"OK {manifest['count']} events, head {manifest['head']} "
            f"(agreement {manifest['agreement']}, package {package.name})"
        )
