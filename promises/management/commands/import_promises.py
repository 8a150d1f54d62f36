"""``manage.py import_promises PATH``: medborgarlöften from their text, as a set of
the agreement they belong to: found by kommun, lokalpolisområde and years (or
``--agreement ID``), refused clearly when there is none. With ``--register`` a
signed text is registered afterwards (published, marked so everywhere);
otherwise the promises start as a draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from promises.services.drafting import PROMISE_AGREEMENT_KINDS, promise_set_create
from promises.services.registration import promise_set_register
from promises.text_import import is_promises, promises_from
from workflows.management.commands.import_agreement import ImportRefused, author_for, read_document
from workflows.models import Agreement
from workflows.models.trail import Channel
from workflows.services.errors import DomainError
from workflows.services.registration import facts_from


def agreement_for(parsed, first_year: int, last_year: int, agreement_id: int | None) -> Agreement:
    if agreement_id is not None:
        agreement = Agreement.objects.filter(pk=agreement_id).first()
        if agreement is None:
            raise CommandError(f"Det finns ingen överenskommelse med id {agreement_id}.")
        return agreement
    found = list(
        Agreement.objects.filter(
            kommun__name=parsed.kommun,
            lokalpolisomrade__name=parsed.lokalpolisomrade,
            kind__in=PROMISE_AGREEMENT_KINDS,
            period_start__year__lte=first_year,
            period_end__year__gte=last_year,
        ).order_by("pk")
    )
    if len(found) == 1:
        return found[0]
    parties = f"{parsed.kommun or '?'} och {parsed.lokalpolisomrade or '?'}"
    if not found:
        raise CommandError(
            f"Hittar ingen operativ överenskommelse för {parties} som gäller "
            f"{first_year}–{last_year}. Medborgarlöften hör till en överenskommelse: "
            "importera eller registrera den först, eller ange --agreement ID."
        )
    listed = ", ".join(f"#{a.pk} {a.title}" for a in found)
    raise CommandError(f"Flera överenskommelser passar: {listed}. Ange --agreement ID.")


class Command(BaseCommand):
    help = (
        "Läser medborgarlöften (PDF, Word, text eller Markdown) till överenskommelsen de hör till."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--agreement", type=int, metavar="ID")
        parser.add_argument("--author", metavar="E-POST")
        parser.add_argument(
            "--register",
            action="store_true",
            help="Registrera i efterhand: löftena är redan beslutade och undertecknade.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {path}")
        parsed, document = read_document(path)
        if not is_promises(parsed):
            raise CommandError(
                "Texten är inga medborgarlöften: importera den med import_agreement."
            )
        text = promises_from(parsed)
        if text.first_year is None or not text.promises:
            raise CommandError("Texten saknar år eller löften.")
        agreement = agreement_for(parsed, text.first_year, text.last_year, options["agreement"])
        try:
            author = author_for(options["author"], agreement.kommun, agreement.lokalpolisomrade)
            if options["register"]:
                _decisions, signatures = facts_from(parsed, "ks")
                promise_set = promise_set_register(
                    agreement_id=agreement.pk,
                    first_year=text.first_year,
                    last_year=text.last_year,
                    background=text.background,
                    promises=text.promises,
                    signatures=signatures,
                    registrar=author,
                    channel=Channel.COMMAND,
                    document=document,
                )
            else:
                promise_set = promise_set_create(
                    agreement_id=agreement.pk,
                    first_year=text.first_year,
                    last_year=text.last_year,
                    background=text.background,
                    promises=text.promises,
                    author=author,
                    channel=Channel.COMMAND,
                )
        except ImportRefused as refusal:
            raise CommandError(refusal.message) from None
        except DomainError as error:
            raise CommandError(f"Kan inte läsa in löftena: {error.message}") from None
        verb = "Registrerade i efterhand" if options["register"] else "Skapade som utkast"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {promise_set.title} ({len(text.promises)} löften) till "
                f"#{agreement.pk} {agreement.title}."
            )
        )
