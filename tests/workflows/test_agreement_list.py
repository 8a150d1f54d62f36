"""Mina överenskommelser: a page at a time, the latest period first, narrowed by
title, party and status; the same number of queries however many there are."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.workflows.test_pages import assert_accessible_basics
from workflows.models import Agreement, AgreementState
from workflows.selectors import AGREEMENT_PAGE_SIZE

LIST = reverse("workflows:agreement_list")
TITLE = re.compile(r'<h2><a href="/overenskommelser/(\d+)/">([^<]*)</a></h2>')


def many(orgs, count: int, kommun=None, state=AgreementState.IN_FORCE) -> list[Agreement]:
    kommun = kommun or orgs.hoor
    return Agreement.objects.bulk_create(
        Agreement(
            kommun=kommun,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            title=f"Överenskommelse {kommun.name} {1900 + i}",
            period_start=datetime.date(1900 + i, 1, 1),
            period_end=datetime.date(1900 + i, 12, 31),
            state=state,
        )
        for i in range(count)
    )


def listed(response) -> list[str]:
    return [title for _pk, title in TITLE.findall(response.content.decode())]


def test_the_list_comes_a_page_at_a_time_latest_period_first(orgs, people):
    many(orgs, AGREEMENT_PAGE_SIZE + 5)
    client = login(Client(), people.samordnare)
    first = client.get(LIST)
    assert_accessible_basics(first)
    titles = listed(first)
    assert len(titles) == AGREEMENT_PAGE_SIZE
    assert titles[0] == "Överenskommelse Höörs kommun 1954"
    more = first.context["next_cursor"]
    assert f'href="?efter={more}" rel="next"' in first.content.decode()
    rest = listed(client.get(LIST, {"efter": more}))
    assert rest == [f"Överenskommelse Höörs kommun {year}" for year in range(1904, 1899, -1)]
    assert not set(titles) & set(rest)


def test_the_list_is_narrowed_by_title_party_and_status(orgs, people, agreement):
    many(orgs, 3)
    many(orgs, 2, kommun=orgs.eslov, state=AgreementState.EXPIRED)
    client = login(Client(), people.kommunpolis)  # the LPO sees both kommuner
    everything = listed(client.get(LIST))
    assert len(everything) == 6
    by_party = listed(client.get(LIST, {"part": orgs.eslov.pk}))
    assert by_party == ["Överenskommelse Eslövs kommun 1901", "Överenskommelse Eslövs kommun 1900"]
    assert listed(client.get(LIST, {"status": AgreementState.DRAFT})) == [agreement.title]
    assert listed(client.get(LIST, {"titel": "höörs kommun 1902"})) == [
        "Överenskommelse Höörs kommun 1902"
    ]
    nothing = client.get(LIST, {"titel": "Finns inte"})
    assert "Inga överenskommelser matchar." in nothing.content.decode()
    # a party the person has nothing to do with is not offered, and not accepted
    refused = client.get(LIST, {"part": orgs.lund.pk})
    assert "Välj ett giltigt alternativ" in refused.content.decode()


def test_the_list_costs_the_same_queries_for_five_or_fifty_agreements(orgs, people):
    client = login(Client(), people.samordnare)
    many(orgs, 5)
    client.get(LIST)  # the session and the caches settle
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    Agreement.objects.all().delete()
    many(orgs, AGREEMENT_PAGE_SIZE + 20)
    with CaptureQueriesContext(connection) as page:
        client.get(LIST)
    assert len(page) == len(few)
