"""The public pages show exactly what is published: the published promises, their
latest follow-up and the yearly reports, signed by title. Nothing else: no drafts,
no proposals, no reasons for sending back, no names, no hashes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises.models import Promise
from promises.services.followup import follow_up_add, report_add
from tests.conftest import SAMPLE_CONTENT
from tests.promises.conftest import PROMISES, approve, create_set, send_back, sign
from tests.workflows.test_pages import assert_accessible_basics, html
from workflows.models import Person
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create

INDEX = reverse("promises:public_index")
HOOR = reverse("promises:public_kommun", args=["hoor"])
PROMISE_HEADING = re.compile(r'<h3 id="promise-\d+">(.*?)</h3>')


def operational(orgs, people, kommun, author, years=(2025, 2026)):
    return agreement_create(
        kommun=kommun,
        lokalpolisomrade=orgs.lpo,
        kind="operational",
        title=f"Operativ överenskommelse {kommun.name} {years[0]}–{years[1]}",
        period_start=datetime.date(years[0], 1, 1),
        period_end=datetime.date(years[1], 12, 31),
        content=SAMPLE_CONTENT,
        author=author,
        channel=Channel.LOGIN,
    )


def follow_up(promise, status, comment, day):
    return follow_up_add(
        promise_id=promise.pk,
        author=Person.objects.get(email="sam@hoor.test"),
        status=status,
        comment=comment,
        reported_on=day,
        channel=Channel.LOGIN,
    )


@pytest.fixture
def world(orgs, people, proposed_set, django_capture_on_commit_callbacks):
    """Höör: 2023–2024 published after one return, followed up twice and reported;
    2025–2026 in draft. Eslöv: promises proposed, not yet signed."""
    published = proposed_set
    send_back(published, "promises_ks", people.ks_chair, reason="HEMLIGT SKÄL om budgeten")
    approve(published, people.samordnare)
    approve(published, people.kommunpolis)
    sign(published, "promises_ks", people.ks_chair)
    sign(published, "promises_lpo", people.lpo_chief, place="Eslöv")
    first = published.promises.get(position=1)
    follow_up(first, "not_started", "GAMMAL KOMMENTAR", datetime.date(2023, 5, 1))
    follow_up(first, "ongoing", "Två nya grannsamverkansområden.", datetime.date(2023, 10, 1))
    report_add(
        set_id=published.pk,
        author=people.samordnare,
        year=2023,
        summary="Året gav fler grannar som samverkar.",
        channel=Channel.LOGIN,
    )
    later = operational(orgs, people, orgs.hoor, people.samordnare)
    create_set(
        later,
        people.samordnare,
        first_year=2025,
        last_year=2026,
        promises=[dict(PROMISES[0], title="UTKAST: Kameror i centrum")],
    )
    eslov = operational(orgs, people, orgs.eslov, people.eslov_samordnare, years=(2023, 2024))
    eslov_set = create_set(
        eslov,
        people.eslov_samordnare,
        promises=[dict(PROMISES[0], title="FÖRSLAG: Trygghetsvandringar i Eslöv")],
    )
    approve(eslov_set, people.eslov_samordnare)
    approve(eslov_set, people.kommunpolis)
    published.refresh_from_db()
    return published


def test_the_index_lists_only_kommuner_with_published_promises(world):
    page = Client().get(INDEX)
    assert page.status_code == 200
    assert [k.kommun.name for k in page.context["kommuner"]] == ["Höörs kommun"]
    assert f'href="{HOOR}"' in html(page)
    assert "Eslöv" not in html(page)
    assert_accessible_basics(page)


def test_the_kommun_page_shows_exactly_the_published_promises_and_their_latest_status(
    world, people
):
    page = Client().get(HOOR)
    assert page.status_code == 200
    text = html(page)
    published = list(world.promises.order_by("position").values_list("title", flat=True))
    assert PROMISE_HEADING.findall(text) == published
    assert "Medborgarlöften i Höör" in text
    assert "Medborgarlöften 2023–2024" in text
    assert world.background in text
    # The latest follow-up of the first promise; the second is not followed up yet.
    assert "Pågår" in text and "Två nya grannsamverkansområden." in text
    assert "GAMMAL KOMMENTAR" not in text and "Inte påbörjat" not in text
    assert "Inte uppföljt ännu." in text
    assert "Årsrapport 2023" in text and "Året gav fler grannar som samverkar." in text
    # Signed by title, with place and date; nobody's name.
    assert "kommunstyrelsens ordförande i Höörs kommun (Höör den 11 april 2023)" in text
    assert "lokalpolisområdeschefen i Lokalpolisområde Eslöv (Eslöv den 11 april 2023)" in text
    for person in Person.objects.all():
        assert person.name not in text, person.name
    # Nothing unpublished or internal.
    for unpublished in Promise.objects.exclude(promise_set=world):
        assert unpublished.title not in text
    assert "2025–2026" not in text
    assert "HEMLIGT SKÄL" not in text
    assert world.content_hash not in text and world.short_hash not in text
    assert "/overenskommelser/" not in text
    assert_accessible_basics(page)


def test_a_kommun_without_published_promises_has_no_page(world):
    assert Client().get(reverse("promises:public_kommun", args=["eslov"])).status_code == 404
    assert Client().get(reverse("promises:public_kommun", args=["lund"])).status_code == 404


def test_nothing_is_public_before_both_have_signed(proposed_set, people):
    sign(proposed_set, "promises_ks", people.ks_chair)
    assert Client().get(INDEX).context["kommuner"] == []
    assert Client().get(HOOR).status_code == 404


def test_the_public_pages_are_swedish_whatever_the_visitor_chose(world):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(HOOR)
    assert_accessible_basics(page, lang="sv")
    assert page["Content-Language"] == "sv"
    assert "Kommunen och Polisen" in html(page)


def test_the_kommun_page_costs_the_same_queries_however_many_promises(
    world, people, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first:
        Client().get(HOOR)
    promise = world.promises.get(position=2)
    for day in range(1, 6):
        follow_up(promise, "ongoing", f"Dag {day}", datetime.date(2023, 6, day))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "Dag 5" in html(Client().get(HOOR))
