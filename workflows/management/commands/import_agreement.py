"""``manage.py import_agreement PATH``: read an existing agreement and create it.

The parsing is ``workflows.importer`` (no database). ``import_parsed`` below is the
one database path for an import, shared with ``load_demo``: it matches or creates
the two organisations, finds the author, refuses a duplicate, and creates the
agreement with version 1 through ``agreement_create`` (channel ``command``), so
the import is in the decision trail like any other creation.

Importing the same text twice is idempotent: the second run finds the agreement
with the same title, kommun and period and the same version-1 text, creates
nothing and says so. The same title, kommun and period with a *different* text
is refused: that is a new version of an existing agreement, not a new agreement.
"""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import F

from workflows import content as content_rules
from workflows.importer import ImportResult, kommun_name, parse, parse_file
from workflows.models import (
    Agreement,
    AgreementKind,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    RoleAssignment,
)
from workflows.models.agreements import DEFAULT_BODY
from workflows.models.trail import Channel
from workflows.services.actors import today
from workflows.services.drafting import agreement_create
from workflows.services.errors import DomainError, DuplicateAgreement, NotPermitted
from workflows.services.registration import Upload, agreement_register, facts_from
from workflows.uploads import UnreadableDocument, extract

LABELS = {
    "title": "titel",
    "kommun": "kommun",
    "lokalpolisomrade": "lokalpolisområde",
    "period_start": "startdatum",
    "period_end": "slutdatum",
    "signatories": "undertecknare",
    "sections": "avsnitt med text",
    "kind": "typ av överenskommelse",
}
OPTIONS = {
    "title": "--title TITEL",
    "kommun": "--kommun NAMN",
    "lokalpolisomrade": "--lpo NAMN",
    "period_start": "--period-start ÅÅÅÅ-MM-DD",
    "period_end": "--period-end ÅÅÅÅ-MM-DD",
    "kind": "--kind strategic|operational|one_part",
}
KIND_LABELS = {"strategic": "strategisk", "operational": "operativ", "one_part": "en del"}
BODY_LABELS = {"kf": "kommunfullmäktige", "ks": "kommunstyrelsen"}


class ImportRefused(Exception):
    """The import cannot go ahead; the message (Swedish) says what to pass instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line; they win over what the text says."""

    kind: str | None = None
    kommun: str | None = None
    lpo: str | None = None
    author_email: str | None = None
    title: str | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    # Why another agreement of the same parties and kind for an overlapping period.
    duplicate_reason: str = ""
    # Register it as decided (and signed, if the text is) outside the product.
    register: bool = False


@dataclass
class ImportOutcome:
    parsed: ImportResult
    agreement: Agreement | None = None
    created: bool = False
    dry_run: bool = False
    author: Person | None = None
    version_hash: str = ""
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        agreement = self.agreement
        return {
            "agreement_id": agreement.pk if agreement and not self.dry_run else None,
            "created": self.created and not self.dry_run,
            "duplicate": agreement is not None and not self.created,
            "dry_run": self.dry_run,
            "agreement": _agreement_dict(agreement, self.version_hash) if agreement else None,
            "author": self.author.email if self.author else None,
            "messages": list(self.messages),
        }


@dataclass(frozen=True)
class _Values:
    title: str
    kommun: str
    lpo: str
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    deciding_body: str | None


# ---------------------------------------------------------------------------
# The shared import path
# ---------------------------------------------------------------------------


def import_parsed(
    parsed: ImportResult,
    overrides: Overrides | None = None,
    *,
    dry_run: bool = False,
    source_name: str = "",
    document: Upload | None = None,
) -> ImportOutcome:
    """Create the parsed agreement with version 1, or find the identical one.

    Raises ``ImportRefused`` when something required is missing or wrong; a dry
    run does everything in a transaction that is rolled back.
    """
    overrides = overrides or Overrides()
    values = _values(parsed, overrides)
    outcome = ImportOutcome(parsed=parsed, dry_run=dry_run)
    with transaction.atomic():
        kommun, lpo = _organisations(values, outcome)
        existing = _existing(values, kommun, parsed)
        if existing is not None:
            outcome.agreement = existing
            outcome.version_hash = existing.versions.get(number=1).content_hash
            outcome.messages.append(
                f"Överenskommelsen finns redan (#{existing.pk}) med samma titel, kommun, "
                "period och text; ingen ny skapades."
            )
        else:
            outcome.author = author_for(overrides.author_email, kommun, lpo)
            create = _register if overrides.register else _create
            outcome.agreement = create(
                values, kommun, lpo, parsed, outcome.author, source_name, overrides, document
            )
            outcome.version_hash = outcome.agreement.versions.get(number=1).content_hash
            outcome.created = True
        if dry_run:
            transaction.set_rollback(True)
            outcome.messages.append("Provkörning: inget sparades.")
    return outcome


def _values(parsed: ImportResult, overrides: Overrides) -> _Values:
    """What the agreement will be created with, or a refusal naming what is missing."""
    chosen = {
        "title": overrides.title or parsed.title,
        "kommun": _kommun_label(overrides.kommun) if overrides.kommun else parsed.kommun,
        "lokalpolisomrade": _lpo_label(overrides.lpo) if overrides.lpo else parsed.lokalpolisomrade,
        "period_start": overrides.period_start or parsed.period_start,
        "period_end": overrides.period_end or parsed.period_end,
        "kind": overrides.kind or parsed.kind,
        "sections": parsed.sections,
    }
    missing = [name for name, value in chosen.items() if not value]
    if missing:
        raise ImportRefused(_missing_message(missing))
    if chosen["period_end"] < chosen["period_start"]:
        raise ImportRefused(
            f"Perioden slutar ({chosen['period_end']}) före den börjar "
            f"({chosen['period_start']}). Ange rätt period med --period-start och --period-end."
        )
    return _Values(
        title=chosen["title"].strip(),
        kommun=chosen["kommun"],
        lpo=chosen["lokalpolisomrade"],
        kind=chosen["kind"],
        period_start=chosen["period_start"],
        period_end=chosen["period_end"],
        deciding_body=parsed.deciding_body,
    )


def _missing_message(missing: list[str]) -> str:
    found = ", ".join(LABELS[name] for name in missing)
    message = f"Kan inte skapa överenskommelsen: texten saknar {found}."
    options = [OPTIONS[name] for name in missing if name in OPTIONS]
    if options:
        message += " Ange " + _and_list(options) + "."
    if "sections" in missing:
        message += " Texten behöver minst ett avsnitt med text för att bli version 1."
    return message


def _and_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def _kommun_label(name: str) -> str:
    """``--kommun Höör`` means "Höörs kommun"; a full name is taken as given."""
    name = " ".join(name.split())
    stem = name[: -len(" kommun")] if name.lower().endswith(" kommun") else name
    genitive = kommun_name(stem)
    return f"{genitive} kommun" if genitive else name


def _lpo_label(name: str) -> str:
    name = name.strip()
    return name if name.lower().startswith("lokalpolisområde") else f"Lokalpolisområde {name}"


# -- organisations ------------------------------------------------------------


def _organisations(values: _Values, outcome: ImportOutcome) -> tuple[Organisation, Organisation]:
    lpo = _organisation(values.lpo, OrganisationKind.LPO, outcome)
    kommun = _organisation(values.kommun, OrganisationKind.KOMMUN, outcome, lpo=lpo)
    # Serialise imports into one kommun, so two at once cannot both create it.
    kommun = Organisation.objects.select_for_update().get(pk=kommun.pk)
    if kommun.lokalpolisomrade_id is None:
        kommun.lokalpolisomrade = lpo
        kommun.save(update_fields=["lokalpolisomrade"])
        outcome.messages.append(f"Kopplade {kommun} till {lpo}.")
    elif kommun.lokalpolisomrade_id != lpo.pk:
        outcome.messages.append(
            f"Obs: {kommun} hör till {kommun.lokalpolisomrade}, inte till {lpo}."
        )
    return kommun, lpo


def _organisation(
    name: str, kind: str, outcome: ImportOutcome, lpo: Organisation | None = None
) -> Organisation:
    """The organisation with this name (case-insensitive, also for å, ä, ö on
    SQLite), created if absent."""
    wanted = name.casefold()
    for organisation in Organisation.objects.all():
        if organisation.name.casefold() == wanted:
            if organisation.kind != kind:
                raise ImportRefused(
                    f"”{organisation.name}” finns redan, men som "
                    f"{organisation.get_kind_display().lower()}. Ange rätt namn med "
                    f"{'--kommun' if kind == OrganisationKind.KOMMUN else '--lpo'}."
                )
            return organisation
    outcome.messages.append(f"Skapade organisationen {name}.")
    return Organisation.objects.create(kind=kind, name=name, lokalpolisomrade=lpo)


# -- duplicates ---------------------------------------------------------------


def _existing(values: _Values, kommun: Organisation, parsed: ImportResult) -> Agreement | None:
    """The agreement this text already is, if any; a clash with another text is refused."""
    same_key = [
        agreement
        for agreement in Agreement.objects.filter(
            kommun=kommun, period_start=values.period_start, period_end=values.period_end
        )
        if agreement.title.casefold() == values.title.casefold()
    ]
    if not same_key:
        return None
    wanted = content_rules.content_hash(parsed.content)
    for agreement in same_key:
        first = agreement.versions.filter(number=1).first()
        if first is not None and first.content_hash == wanted:
            return agreement
    clash = same_key[0]
    raise ImportRefused(
        f"Det finns redan en överenskommelse med samma titel, kommun och period "
        f"(#{clash.pk}, ”{clash.title}”), men med en annan text. Importen skapar ingen "
        "dubblett: lämna in texten som en ny version av den, eller ange en annan "
        "titel med --title."
    )


# -- author -------------------------------------------------------------------


def author_for(email: str | None, kommun: Organisation, lpo: Organisation) -> Person:
    if email:
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise ImportRefused(
                f"Ingen person har e-postadressen {email}. Ange --author med e-postadressen "
                f"till trygghetssamordnaren i {kommun} eller kommunpolisen i {lpo}."
            )
        return person
    for role, organisation in ((Role.TRYGGHETSSAMORDNARE, kommun), (Role.KOMMUNPOLIS, lpo)):
        assignment = (
            RoleAssignment.objects.active_on(today())
            .filter(role=role, organisation=organisation)
            .select_related("person")
            .order_by(F("substitute_for").asc(nulls_first=True), "-valid_from", "pk")
            .first()
        )
        if assignment is not None:
            return assignment.person
    raise ImportRefused(
        f"Hittar ingen aktiv trygghetssamordnare i {kommun} och ingen kommunpolis i {lpo} "
        "som kan stå som författare till version 1. Ange --author E-POST för en av dem."
    )


# -- creation -----------------------------------------------------------------


def _create(
    values: _Values,
    kommun: Organisation,
    lpo: Organisation,
    parsed: ImportResult,
    author: Person,
    source_name: str,
    overrides: Overrides,
    document: Upload | None = None,
) -> Agreement:
    note = f"Importerad från {source_name}." if source_name else "Importerad."
    with _refusals(author, kommun, lpo):
        return agreement_create(
            **_agreement_fields(values, kommun, lpo, parsed),
            author=author,
            channel=Channel.COMMAND,
            deciding_body=values.deciding_body,
            change_note=note,
            duplicate_reason=overrides.duplicate_reason,
        )


def _agreement_fields(
    values: _Values, kommun: Organisation, lpo: Organisation, parsed: ImportResult
) -> dict[str, Any]:
    """What a created and a registered agreement both take from the text and the options."""
    return {
        "kommun": kommun,
        "lokalpolisomrade": lpo,
        "kind": values.kind,
        "title": values.title,
        "period_start": values.period_start,
        "period_end": values.period_end,
        "content": parsed.content,
    }


def _register(
    values: _Values,
    kommun: Organisation,
    lpo: Organisation,
    parsed: ImportResult,
    author: Person,
    source_name: str,
    overrides: Overrides,
    document: Upload | None = None,
) -> Agreement:
    """Registered afterwards: decided (and signed, if the text is) outside the product."""
    deciding_body = values.deciding_body or DEFAULT_BODY[AgreementKind(values.kind)]
    decisions, signatures = facts_from(parsed, deciding_body)
    with _refusals(author, kommun, lpo):
        return agreement_register(
            **_agreement_fields(values, kommun, lpo, parsed),
            decisions=decisions,
            signatures=signatures,
            registrar=author,
            channel=Channel.COMMAND,
            document=document,
            follow_up_cadence=parsed.follow_up_cadence or "yearly",
            deciding_body=deciding_body,
            duplicate_reason=overrides.duplicate_reason,
        )


@contextmanager
def _refusals(author: Person, kommun: Organisation, lpo: Organisation):
    """The service's refusals as the command's, with what to pass instead."""
    try:
        yield
    except DuplicateAgreement as error:
        raise ImportRefused(
            f"{error.message} Ange --duplicate-reason ”…” för att ändå skapa den."
        ) from None
    except NotPermitted as error:
        raise ImportRefused(
            f"{author.name} kan inte skapa överenskommelsen: {error.message} "
            f"Ange --author med e-postadressen till trygghetssamordnaren i {kommun} "
            f"eller kommunpolisen i {lpo}."
        ) from None
    except DomainError as error:
        raise ImportRefused(f"Kan inte skapa överenskommelsen: {error.message}") from None


def _agreement_dict(agreement: Agreement, version_hash: str) -> dict[str, Any]:
    return {
        "title": agreement.title,
        "kommun": agreement.kommun.name,
        "lokalpolisomrade": agreement.lokalpolisomrade.name,
        "kind": agreement.kind,
        "deciding_body": agreement.deciding_body,
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
        "state": agreement.state,
        "version": 1,
        "version_hash": version_hash,
    }


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"”{value}” är inget datum på formen ÅÅÅÅ-MM-DD.") from None


def read_document(path: Path) -> tuple[ImportResult, Upload]:
    """The parsed text and the file as it is; a PDF or Word file is read as the
    upload page reads it (workflows/uploads.py), with the same limits."""
    data = path.read_bytes()
    if path.suffix.lower() not in (".pdf", ".docx"):
        kind = "text/markdown" if path.suffix.lower() in (".md", ".markdown") else "text/plain"
        return parse_file(path), Upload(path.name, kind, data)
    try:
        extracted = extract(SimpleUploadedFile(path.name, data))
    except UnreadableDocument as error:
        raise CommandError(error.reason) from None
    return parse(extracted.text, fmt=extracted.fmt), Upload(path.name, extracted.content_type, data)


def _optional_date(value: str | datetime.date | None) -> datetime.date | None:
    """Dates from the command line, or from call_command (which skips argparse types)."""
    return _date(value) if isinstance(value, str) else value


class Command(BaseCommand):
    help = (
        "Läser en befintlig samverkansöverenskommelse (text från PDF eller Markdown), "
        "visar vad som hittades och skapar den med version 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="PDF, Word (.docx), text (.txt) eller Markdown (.md).")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--dry-run", action="store_true", help="Visa bara; spara inget.")
        parser.add_argument(
            "--author", metavar="E-POST", help="E-post till författaren av version 1."
        )
        parser.add_argument("--kind", choices=[choice.value for choice in AgreementKind])
        parser.add_argument(
            "--kommun", metavar="NAMN", help="Kommunens namn, t.ex. ”Höörs kommun”."
        )
        parser.add_argument("--lpo", metavar="NAMN", help="Lokalpolisområdets namn, t.ex. ”Eslöv”.")
        parser.add_argument("--title", metavar="TITEL", help="Titel, om texten saknar en.")
        parser.add_argument(
            "--period-start", type=_date, metavar="ÅÅÅÅ-MM-DD", help="Startdatum ÅÅÅÅ-MM-DD."
        )
        parser.add_argument(
            "--period-end", type=_date, metavar="ÅÅÅÅ-MM-DD", help="Slutdatum ÅÅÅÅ-MM-DD."
        )
        parser.add_argument(
            "--register",
            action="store_true",
            help=(
                "Registrera i efterhand: överenskommelsen är redan beslutad (och "
                "undertecknad, om texten är det) utanför Samverkan."
            ),
        )
        parser.add_argument(
            "--duplicate-reason",
            metavar="SKÄL",
            default="",
            help="Varför den ska skapas fast samma parter har en av samma typ för perioden.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {path}")
        parsed, document = read_document(path)
        if "medborgarlöfte" in (parsed.title or "").lower():  # promises.text_import.is_promises
            raise CommandError(
                "Texten är medborgarlöften, inte en överenskommelse: läs in den med "
                "import_promises, till överenskommelsen den hör till."
            )
        overrides = Overrides(
            kind=options["kind"],
            kommun=options["kommun"],
            lpo=options["lpo"],
            author_email=options["author"],
            title=options["title"],
            period_start=_optional_date(options["period_start"]),
            period_end=_optional_date(options["period_end"]),
            duplicate_reason=options["duplicate_reason"],
            register=options["register"],
        )
        outcome, error = None, ""
        try:
            outcome = import_parsed(
                parsed,
                overrides,
                dry_run=options["dry_run"],
                source_name=path.name,
                document=document if options["register"] else None,
            )
        except ImportRefused as refusal:
            error = refusal.message
        if options["format"] == "json":
            self._write_json(path, parsed, outcome, error, options["dry_run"])
        else:
            self._write_text(path, parsed, outcome)
        if error:
            raise CommandError(error)

    def _write_json(
        self,
        path: Path,
        parsed: ImportResult,
        outcome: ImportOutcome | None,
        error: str,
        dry_run: bool,
    ) -> None:
        report = {"source": path.name, **parsed.summary()}
        if outcome is not None:
            report.update(outcome.as_dict())
        else:
            report.update(agreement_id=None, created=False, dry_run=dry_run)
        report["error"] = error or None
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    def _write_text(self, path: Path, parsed: ImportResult, outcome: ImportOutcome | None) -> None:
        for line in describe(parsed, path.name):
            self.stdout.write(line)
        if outcome is None:
            return
        for message in outcome.messages:
            self.stdout.write(message)
        if outcome.created:
            agreement = outcome.agreement
            verb = "Skulle skapa" if outcome.dry_run else "Skapade"
            number = "" if outcome.dry_run else f" #{agreement.pk}"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} överenskommelse{number} ”{agreement.title}” med version 1 "
                    f"(sha256 {outcome.version_hash[:12]}), författare {outcome.author.name}."
                )
            )


def describe(parsed: ImportResult, source: str) -> list[str]:
    """What the importer found, in Swedish, one line each."""
    sources = parsed.sources
    lines = [f"Läste {source} ({'Markdown' if parsed.format == 'markdown' else 'text'}):"]
    rows = [
        ("Titel", parsed.title, ""),
        ("Kommun", parsed.kommun, sources.get("kommun", "")),
        ("Lokalpolisområde", parsed.lokalpolisomrade, sources.get("lokalpolisomrade", "")),
        ("Period", _period_text(parsed), sources.get("period", "")),
        ("Typ", KIND_LABELS.get(parsed.kind or ""), sources.get("kind", "")),
        ("Beslutande organ", BODY_LABELS.get(parsed.deciding_body or ""), ""),
        ("Beslut", _decision_text(parsed), ""),
        ("Undertecknare", _signatories_text(parsed), ""),
        ("Undertecknad", _signed_text(parsed), ""),
        ("Avsnitt", f"{len(parsed.sections)} ({parsed.item_count} punkter)", ""),
    ]
    for label, value, source_text in rows:
        if value:
            suffix = f" (ur {source_text})" if source_text else ""
            lines.append(f"  {label + ':':<18} {value}{suffix}")
    if parsed.missing:
        lines.append("Hittades inte: " + ", ".join(LABELS[name] for name in parsed.missing) + ".")
    else:
        lines.append("Allt som behövs hittades.")
    lines += [f"  – {note}" for note in parsed.notes]
    return lines


def _period_text(parsed: ImportResult) -> str:
    if parsed.period_start and parsed.period_end:
        return f"{parsed.period_start} – {parsed.period_end}"
    return ""


def _decision_text(parsed: ImportResult) -> str:
    decision = parsed.decision
    if decision is None:
        return ""
    parts = [BODY_LABELS[decision.body]]
    if decision.date:
        parts.append(decision.date.isoformat())
    if decision.paragraph:
        parts.append(f"§ {decision.paragraph}")
    if decision.diarienummer:
        parts.append(f"dnr {decision.diarienummer}")
    return ", ".join(parts)


def _signatories_text(parsed: ImportResult) -> str:
    return "; ".join(f"{s.name}, {s.title}" for s in parsed.signatories)


def _signed_text(parsed: ImportResult) -> str:
    if not parsed.signed_on:
        return ""
    return (
        f"{parsed.signed_place} {parsed.signed_on}"
        if parsed.signed_place
        else str(parsed.signed_on)
    )
