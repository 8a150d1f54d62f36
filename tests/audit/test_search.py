"""Granskning: the revisor's search across the agreements they may read."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import SAMPLE_CONTENT, _person, login
from workflows import audit_selectors
from workflows.models import Role
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create

from .conftest import html, text

SEARCH = reverse("workflows:audit_search")


def create(orgs, people, title: str, start: tuple, end: tuple, lpo=None, **kw):
    return agreement_create(
        kommun=kw.pop("kommun", orgs.hoor),
        lokalpolisomrade=lpo or orgs.lpo,
        kind=kw.pop("kind", "operational"),
        title=title,
        period_start=datetime.date(*start),
        period_end=datetime.date(*end),
        content=SAMPLE_CONTENT,
        author=kw.pop("author", people.samordnare),
        channel=Channel.LOGIN,
    )


@pytest.fixture
def world(signing, eslov_agreement, lund_agreement, orgs, people):
    """Höör 2023–2024 (decided: KS 2023/17 on 2023-04-11, awaiting signatures), Trygga
    Höör 2016–2019 (draft), Höör with LPO Lund 2020, and Eslöv's and Lund's own."""
    return {
        "hoor_2023": signing,
        "trygga_hoor": create(
            orgs, people, "Trygga Höör 2016–2019", (2016, 12, 22), (2019, 12, 31), kind="strategic"
        ),
        "hoor_lund": create(
            orgs, people, "Höör och LPO Lund 2020", (2020, 1, 1), (2020, 12, 31), lpo=orgs.lpo_lund
        ),
        "eslov": eslov_agreement,
        "lund": lund_agreement,
    }


def found(client, **query) -> list[str]:
    response = client.get(SEARCH, query)
    assert response.status_code == 200, text(response)
    return sorted(a.title for a in response.context["results"].items)


def titles(world, *keys) -> list[str]:
    return sorted(world[key].title for key in keys)


def test_an_empty_search_finds_every_agreement_of_the_revisors_organisation(world, auditor):
    assert found(auditor) == titles(world, "hoor_2023", "trygga_hoor", "hoor_lund")


def test_search_by_kommun(world, orgs, auditor):
    police_auditor = _person("Pia Granskare", "pia@polisen.test", Role.REVISOR, orgs.lpo)
    police = login(Client(), police_auditor)
    assert found(police) == titles(world, "hoor_2023", "trygga_hoor", "eslov")
    assert found(police, kommun=orgs.eslov.pk) == titles(world, "eslov")
    assert found(police, kommun=orgs.hoor.pk) == titles(world, "hoor_2023", "trygga_hoor")
    # a kommun outside the revisor's agreements is not offered
    assert police.get(SEARCH, {"kommun": orgs.lund.pk}).status_code == 400


def test_search_by_lokalpolisomrade(world, orgs, auditor):
    assert found(auditor, lokalpolisomrade=orgs.lpo_lund.pk) == titles(world, "hoor_lund")
    assert found(auditor, lokalpolisomrade=orgs.lpo.pk) == titles(world, "hoor_2023", "trygga_hoor")


def test_search_by_state(world, auditor):
    assert found(auditor, status="signing") == titles(world, "hoor_2023")
    assert found(auditor, status="draft") == titles(world, "trygga_hoor", "hoor_lund")
    assert found(auditor, status="expired") == []


def test_search_by_a_period_finds_every_agreement_in_force_some_day_in_it(world, auditor):
    assert found(auditor, period_fran="2019-06-01", period_till="2020-03-01") == titles(
        world, "trygga_hoor", "hoor_lund"
    )
    assert found(auditor, period_fran="2024-12-31") == titles(world, "hoor_2023")
    assert found(auditor, period_till="2016-12-22") == titles(world, "trygga_hoor")
    assert found(auditor, period_till="2016-12-21") == []


def test_search_by_decision_date(world, auditor):
    assert found(auditor, beslut_fran="2023-04-11", beslut_till="2023-04-11") == titles(
        world, "hoor_2023"
    )
    assert found(auditor, beslut_fran="2023-04-12") == []
    assert found(auditor, beslut_till="2023-04-10") == []


def test_search_by_a_part_of_the_diarienummer_in_any_case(world, auditor):
    assert found(auditor, diarienummer="2023/17") == titles(world, "hoor_2023")
    assert found(auditor, diarienummer="ks 2023") == titles(world, "hoor_2023")
    assert found(auditor, diarienummer="KF 2016/562") == []


def test_the_fields_narrow_together(world, auditor):
    assert found(auditor, diarienummer="2023/17", beslut_fran="2024-01-01") == []
    assert found(auditor, diarienummer="2023/17", status="draft") == []


def test_a_result_shows_the_decisions_and_links_to_the_trail(world, auditor):
    response = auditor.get(SEARCH, {"diarienummer": "2023/17"})
    page = text(response)
    assert "Kommunstyrelsen: Bifall, 2023-04-11, § 42, KS 2023/17" in page
    trail = reverse("workflows:audit_trail", args=[world["hoor_2023"].pk])
    assert f'href="{trail}"' in html(response)


def test_a_range_that_ends_before_it_starts_is_refused(world, auditor):
    response = auditor.get(SEARCH, {"beslut_fran": "2023-04-01", "beslut_till": "2023-03-01"})
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in text(response)
    assert "results" not in response.context


def test_the_search_form_labels_every_field(world, auditor):
    page = html(auditor.get(SEARCH))
    for name in (
        "kommun",
        "lokalpolisomrade",
        "status",
        "period_fran",
        "period_till",
        "beslut_fran",
        "beslut_till",
        "diarienummer",
    ):
        assert f'<label for="id_{name}">' in page, name


def test_only_revisors_search(world, people):
    assert login(Client(), people.kommunpolis).get(SEARCH).status_code == 403
    response = Client().get(SEARCH)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_menu_links_to_the_search_for_revisors_only(agreement, people, auditor):
    assert f'href="{SEARCH}"' in html(auditor.get(reverse("workflows:agreement_list")))
    drafter = login(Client(), people.kommunpolis)
    assert f'href="{SEARCH}"' not in html(drafter.get(reverse("workflows:agreement_list")))


def test_the_search_costs_the_same_queries_however_many_agreements(
    world, orgs, people, auditor, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        auditor.get(SEARCH, {"lokalpolisomrade": orgs.lpo.pk})
    for year in range(2000, 2010):
        create(orgs, people, f"Höör {year}", (year, 1, 1), (year, 12, 31))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = auditor.get(SEARCH, {"lokalpolisomrade": orgs.lpo.pk})
    assert len(response.context["results"].items) == 12


def test_many_results_come_a_page_at_a_time(world, orgs, people, auditor, monkeypatch):
    monkeypatch.setattr(audit_selectors, "SEARCH_PAGE_SIZE", 2)
    first = auditor.get(SEARCH, {"kommun": orgs.hoor.pk})
    cursor = first.context["results"].next_cursor
    assert [a.title for a in first.context["results"].items] == [
        "Operativ samverkansöverenskommelse Höör 2023–2024",
        "Höör och LPO Lund 2020",
    ]
    assert f"efter={cursor}" in html(first)
    second = auditor.get(SEARCH, {"kommun": orgs.hoor.pk, "efter": cursor})
    assert [a.title for a in second.context["results"].items] == ["Trygga Höör 2016–2019"]
    assert second.context["results"].next_cursor is None
