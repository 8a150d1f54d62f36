"""Named people and organisations, built once per test, used everywhere.

Höör and Eslöv are served by LPO Eslöv (one LPO, several kommuner). Lund and
LPO Lund are outside every agreement the tests make.
"""

from __future__ import annotations

import datetime
import os
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows.models import Organisation, OrganisationKind, Person, Role, RoleAssignment
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create

# The test OpenID provider's fixtures (``provider``, ``oidc``), for every directory.
pytest_plugins = ["tests.oidc", "tests.seal_ca"]

PASSWORD = "test-losenord-42"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")

SAMPLE_CONTENT = {
    "sections": [
        {"heading": "Syfte och mål", "text": "Minskad brottslighet och ökad trygghet i Höör."},
        {
            "heading": "Samverkansområden",
            "text": "Områden från den gemensamma lägesbilden.",
            "items": [
                {
                    "title": "Trygghetsvandringar",
                    "text": "Boende och verksamheter går tillsammans genom området.",
                    "effektmal": "Fler upplever utemiljön som trygg.",
                    "ansvarig": "Kommunledningskontoret",
                }
            ],
        },
        {"heading": "Uppföljning", "text": "Lokala BRÅ följer upp varje år."},
    ]
}


# The story the tests tell happens in spring 2023: the fixture agreement runs
# 2023-01-01 – 2024-12-31, is proposed, decided and signed "today", 11 April 2023.
# Browser tests (the browser keeps real time for cookies) and tests with worker
# processes run on the real clock; the fixture agreement's period follows it.
STORY_NOW = "2023-04-11T14:00:00+02:00"
REAL_CLOCK_DIRS = ("e2e", "celery")


@pytest.fixture
def story_now() -> str:
    """Where the story's clock starts; a directory's conftest may start it later."""
    return STORY_NOW


@pytest.fixture(autouse=True)
def story_clock(request, story_now):
    real = request.node.get_closest_marker("e2e") or request.node.get_closest_marker("real_clock")
    if real or request.path.parent.name in REAL_CLOCK_DIRS:
        yield
        return
    with time_machine.travel(story_now, tick=True):
        yield


@pytest.fixture(autouse=True)
def swedish():
    """Each test starts in Swedish: a request in English leaves its thread in English."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


def _person(name: str, email: str, role: str, org: Organisation, title: str = "", **kw) -> Person:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    person = Person.objects.create(user=user, name=name, email=email)
    RoleAssignment.objects.create(
        person=person,
        role=role,
        organisation=org,
        title=title,
        valid_from=datetime.date(2020, 1, 1),
        **kw,
    )
    return person


@pytest.fixture
def orgs(db) -> SimpleNamespace:
    lpo = Organisation.objects.create(kind=OrganisationKind.LPO, name="Lokalpolisområde Eslöv")
    hoor = Organisation.objects.create(
        kind=OrganisationKind.KOMMUN, name="Höörs kommun", lokalpolisomrade=lpo
    )
    eslov = Organisation.objects.create(
        kind=OrganisationKind.KOMMUN, name="Eslövs kommun", lokalpolisomrade=lpo
    )
    lpo_lund = Organisation.objects.create(kind=OrganisationKind.LPO, name="Lokalpolisområde Lund")
    lund = Organisation.objects.create(
        kind=OrganisationKind.KOMMUN, name="Lunds kommun", lokalpolisomrade=lpo_lund
    )
    return SimpleNamespace(lpo=lpo, hoor=hoor, eslov=eslov, lpo_lund=lpo_lund, lund=lund)


@pytest.fixture
def people(orgs) -> SimpleNamespace:
    return SimpleNamespace(
        kommunpolis=_person("Karin Polis", "karin@polisen.test", Role.KOMMUNPOLIS, orgs.lpo),
        samordnare=_person("Sam Samordnare", "sam@hoor.test", Role.TRYGGHETSSAMORDNARE, orgs.hoor),
        sekreterare=_person("Nils Nämnd", "nils@hoor.test", Role.NAMNDSEKRETERARE, orgs.hoor),
        ks_chair=_person(
            "Johan Svahnberg",
            "johan@hoor.test",
            Role.KS_ORDFORANDE,
            orgs.hoor,
            title="Kommunstyrelsens ordförande",
        ),
        kf_chair=_person("Frida Fullmäktige", "frida@hoor.test", Role.KF_ORDFORANDE, orgs.hoor),
        lpo_chief=_person(
            "Veronica Ek",
            "veronica@polisen.test",
            Role.LPO_CHEF,
            orgs.lpo,
            title="Lokalpolisområdeschef",
        ),
        auditor=_person("Rut Revisor", "rut@hoor.test", Role.REVISOR, orgs.hoor),
        eslov_samordnare=_person(
            "Ebba Eslöv", "ebba@eslov.test", Role.TRYGGHETSSAMORDNARE, orgs.eslov
        ),
        outsider=_person("Olle Utanför", "olle@lund.test", Role.TRYGGHETSSAMORDNARE, orgs.lund),
    )


def fixture_period() -> tuple[datetime.date, datetime.date]:
    """This year and the next: 2023–2024 in the story, so that the fixture agreement
    can be decided and signed today (a period that has ended cannot be signed)."""
    year = timezone.localdate().year
    return datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)


@pytest.fixture
def agreement(orgs, people):
    """A Höör operational agreement in draft, version 1 by the trygghetssamordnare."""
    start, end = fixture_period()
    return agreement_create(
        kommun=orgs.hoor,
        lokalpolisomrade=orgs.lpo,
        kind="operational",
        title=f"Operativ samverkansöverenskommelse Höör {start.year}–{end.year}",
        period_start=start,
        period_end=end,
        content=SAMPLE_CONTENT,
        author=people.samordnare,
        channel=Channel.LOGIN,
    )


def identified(person: Person):
    """The person identified as on the signing page: their own password, checked."""
    from django.test import RequestFactory

    from workflows.services import identity

    return identity.by_password(RequestFactory().post("/"), person, PASSWORD)


def login(client, person: Person):
    assert client.login(username=person.email, password=PASSWORD)
    return client
