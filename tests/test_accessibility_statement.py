"""The accessibility statement that lagen (2018:1937) requires: public, in DIGG's
shape, with the installation's own contact, and linked from every page's footer,
the public medborgarlöften pages included."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login

STATEMENT = reverse("accessibility")
ABOUT = reverse("about")


def test_the_statement_is_public_and_says_what_the_law_asks(db, settings):
    settings.ACCESSIBILITY_BODY = "Höörs kommun och Lokalpolisområde Eslöv"
    settings.ACCESSIBILITY_EMAIL = "tillganglighet@hoor.test"
    settings.ACCESSIBILITY_PHONE = "0413-280 00"
    settings.ACCESSIBILITY_ASSESSED = "2026-11-24"
    response = Client().get(STATEMENT)
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "<h1>Tillgänglighetsredogörelse för Samverkan</h1>",
        "Höörs kommun och Lokalpolisområde Eslöv står bakom den här tjänsten.",
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        'href="mailto:tillganglighet@hoor.test"',
        'href="tel:0413-280 00"',
        "Rapportera brister i tjänstens tillgänglighet",
        'href="https://www.digg.se/tdosanmalan"',
        "delvis förenlig med lagen",
        "Innehåll som inte är tillgängligt",
        "Senaste bedömningen gjordes 2026-11-24.",
    ):
        assert expected in page, expected


def test_the_statement_reads_in_english_for_whoever_chose_english(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": STATEMENT})
    page = client.get(STATEMENT).content.decode()
    assert "Accessibility statement for Samverkan" in page
    assert "Supervision" in page


@pytest.mark.parametrize("where", ["login", "agreement", "public"])
def test_every_page_links_the_statement_from_its_footer(where, agreement, people):
    client = Client()
    if where == "login":
        url = reverse("login")
    elif where == "agreement":
        login(client, people.samordnare)
        url = reverse("workflows:agreement_detail", args=[agreement.pk])
    else:
        url = reverse("promises:public_index")
    page = client.get(url).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'href="{STATEMENT}"' in footer
    assert f'href="{ABOUT}"' in footer


def test_about_the_service_says_what_each_role_does_in_swedish_and_english(db):
    client = Client()
    page = client.get(ABOUT).content.decode()
    assert "<h1>Om tjänsten</h1>" in page
    for role in (
        "Trygghetssamordnare och kommunpolis",
        "Nämndsekreterare",
        "Ordförande och lokalpolisområdeschef",
        "Ersättare",
        "Revisor",
        "Administratör",
        "Allmänheten",
    ):
        assert f">{role}</h2>" in page and f">{role}</a></li>" in page, role
    client.post(reverse("set_language"), {"language": "en", "next": ABOUT})
    english = client.get(ABOUT).content.decode()
    assert "<h1>About the service</h1>" in english and "What you do, by your role" in english
