"""``manage.py load_demo``: organisations, demo people in every role, three agreements.

Idempotent: run it again and it finds what is there, resets the demo passwords
and creates nothing twice. The agreements go through ``import_parsed``, the same
path as ``import_agreement``. Every login shares one demo password, so the
command refuses to run with DEBUG off unless told ``--force`` (a demo server).

The people are invented; their addresses are under ``.demo.test`` (a domain that
never receives mail). The names in the agreements' signature blocks come from the
public source texts (Höör 2023–2024, Eslöv 2021–2022); Trygga Höör 2016–2019 names
no signatories, so its demo file uses two of the demo people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from workflows import demo_in_force, plugins
from workflows.importer import parse_file
from workflows.models import Organisation, OrganisationKind, Person, Role, RoleAssignment
from workflows.services.registration import Upload

from .import_agreement import ImportRefused, Overrides, import_parsed

DEMO_PASSWORD = "samverkan-demo"
DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# Each text, and whether it is registered afterwards: Eslöv's was decided and signed
# before the product, as a kommun's agreement in force would be.
DEMO_FILES = (
    ("trygga_hoor_2016_2019.md", False),
    ("eslov_2021_2022.md", True),
    ("hoor_operativ_2023_2024.md", False),
)
VALID_FROM = datetime.date(2023, 1, 1)

LPO = "Lokalpolisområde Eslöv"
HOOR = "Höörs kommun"
ESLOV = "Eslövs kommun"


@dataclass(frozen=True)
class DemoRole:
    role: str
    organisation: str
    title: str
    substitute_for: str = ""  # e-mail of the person stood in for


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    roles: tuple[DemoRole, ...]
    admin: bool = False


PEOPLE = (
    DemoPerson(
        "Karin Lindqvist",
        "karin.lindqvist@polisen.demo.test",
        (DemoRole(Role.KOMMUNPOLIS, LPO, "Kommunpolis"),),
    ),
    DemoPerson(
        "Anders Wikström",
        "anders.wikstrom@polisen.demo.test",
        (DemoRole(Role.LPO_CHEF, LPO, "Lokalpolisområdeschef"),),
    ),
    DemoPerson(
        "Helena Strand",
        "helena.strand@polisen.demo.test",
        (
            DemoRole(
                Role.LPO_CHEF,
                LPO,
                "Ställföreträdande lokalpolisområdeschef",
                substitute_for="anders.wikstrom@polisen.demo.test",
            ),
        ),
    ),
    DemoPerson(
        "Sara Bergström",
        "sara.bergstrom@hoor.demo.test",
        (DemoRole(Role.TRYGGHETSSAMORDNARE, HOOR, "Säkerhetschef och trygghetssamordnare"),),
    ),
    DemoPerson(
        "Maria Sjöberg",
        "maria.sjoberg@hoor.demo.test",
        (DemoRole(Role.NAMNDSEKRETERARE, HOOR, "Nämndsekreterare"),),
    ),
    DemoPerson(
        "Per Axelsson",
        "per.axelsson@hoor.demo.test",
        (DemoRole(Role.KS_ORDFORANDE, HOOR, "Kommunstyrelsens ordförande"),),
    ),
    DemoPerson(
        "Birgitta Holm",
        "birgitta.holm@hoor.demo.test",
        (DemoRole(Role.KF_ORDFORANDE, HOOR, "Kommunfullmäktiges ordförande"),),
    ),
    DemoPerson(
        "Jonas Ekström",
        "jonas.ekstrom@eslov.demo.test",
        (DemoRole(Role.TRYGGHETSSAMORDNARE, ESLOV, "Trygghetssamordnare"),),
    ),
    DemoPerson(
        "Emma Nyberg",
        "emma.nyberg@eslov.demo.test",
        (DemoRole(Role.NAMNDSEKRETERARE, ESLOV, "Nämndsekreterare"),),
    ),
    DemoPerson(
        "Lars Persson",
        "lars.persson@eslov.demo.test",
        (DemoRole(Role.KS_ORDFORANDE, ESLOV, "Kommunstyrelsens ordförande"),),
    ),
    DemoPerson(
        "Ingrid Mårtensson",
        "ingrid.martensson@eslov.demo.test",
        (DemoRole(Role.KF_ORDFORANDE, ESLOV, "Kommunfullmäktiges ordförande"),),
    ),
    DemoPerson(
        "Gunnar Sandberg",
        "gunnar.sandberg@revision.demo.test",
        (
            DemoRole(Role.REVISOR, HOOR, "Förtroendevald revisor"),
            DemoRole(Role.REVISOR, ESLOV, "Förtroendevald revisor"),
        ),
    ),
    DemoPerson(
        "Eva Lundgren",
        "eva.lundgren@admin.demo.test",
        (
            DemoRole(Role.ADMINISTRATOR, HOOR, "Systemförvaltare"),
            DemoRole(Role.ADMINISTRATOR, ESLOV, "Systemförvaltare"),
            DemoRole(Role.ADMINISTRATOR, LPO, "Systemförvaltare"),
        ),
        admin=True,
    ),
)


class Command(BaseCommand):
    help = (
        "Lägger in demodata: Höörs och Eslövs kommun, Lokalpolisområde Eslöv, "
        "demopersoner i alla roller och tre överenskommelser. Kan köras flera gånger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är av (bara på en demoserver: lösenordet är känt).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo skapar inloggningar med ett känt lösenord och körs bara när "
                "DEBUG är på. Kör med --force om det här är en demomiljö."
            )
        with transaction.atomic():
            organisations = load_organisations()
            people = load_people(organisations)
        self._load_agreements()
        demo_in_force.load(stdout=self.stdout)
        for load in plugins.DEMO_LOADERS:  # medborgarlöften (promises/registry.py)
            load(stdout=self.stdout)
        self._print_logins(people)

    def _load_agreements(self) -> None:
        for name, register in DEMO_FILES:
            path = DEMO_DIR / name
            parsed = parse_file(path)
            if parsed.missing:
                raise CommandError(f"Demofilen {name} saknar: {', '.join(parsed.missing)}.")
            document = Upload(name, "text/markdown", path.read_bytes()) if register else None
            try:
                outcome = import_parsed(
                    parsed, Overrides(register=register), source_name=name, document=document
                )
            except ImportRefused as refusal:
                raise CommandError(f"{name}: {refusal.message}") from None
            verb = "Skapade" if outcome.created else "Fanns redan"
            self.stdout.write(f"{verb}: #{outcome.agreement.pk} {outcome.agreement.title}")

    def _print_logins(self, people: list[tuple[DemoPerson, Person]]) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demoinloggningar (lösenord: {DEMO_PASSWORD})"))
        for demo, _person in people:
            roles = "; ".join(f"{role.title}, {role.organisation}" for role in demo.roles)
            suffix = " [admin]" if demo.admin else ""
            self.stdout.write(f"  {demo.email:<38} {demo.name} – {roles}{suffix}")


def load_organisations() -> dict[str, Organisation]:
    lpo, _ = Organisation.objects.get_or_create(name=LPO, defaults={"kind": OrganisationKind.LPO})
    organisations = {LPO: lpo}
    for name in (HOOR, ESLOV):
        kommun, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.KOMMUN, "lokalpolisomrade": lpo}
        )
        if kommun.lokalpolisomrade_id is None:
            kommun.lokalpolisomrade = lpo
            kommun.save(update_fields=["lokalpolisomrade"])
        organisations[name] = kommun
    return organisations


def load_people(organisations: dict[str, Organisation]) -> list[tuple[DemoPerson, Person]]:
    people = [(demo, _person(demo)) for demo in PEOPLE]
    by_email = {person.email: person for _, person in people}
    for demo, person in people:
        for role in demo.roles:
            _assignment(person, role, organisations, by_email)
    return people


def _person(demo: DemoPerson) -> Person:
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=demo.email, defaults={"email": demo.email})
    first, _, last = demo.name.partition(" ")
    user.email, user.first_name, user.last_name = demo.email, first, last
    user.is_staff = user.is_superuser = demo.admin
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    person, _ = Person.objects.get_or_create(
        email=demo.email, defaults={"name": demo.name, "user": user}
    )
    if person.user_id != user.pk or person.name != demo.name:
        person.user, person.name = user, demo.name
        person.save(update_fields=["user", "name"])
    return person


def _assignment(
    person: Person,
    role: DemoRole,
    organisations: dict[str, Organisation],
    by_email: dict[str, Person],
) -> RoleAssignment:
    assignment, _ = RoleAssignment.objects.get_or_create(
        person=person,
        role=role.role,
        organisation=organisations[role.organisation],
        substitute_for=by_email[role.substitute_for] if role.substitute_for else None,
        defaults={"title": role.title, "valid_from": VALID_FROM},
    )
    return assignment
