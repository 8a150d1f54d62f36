"""Medborgarlöften in a real browser: the two signatories act from the e-mails
actually sent, and the public page; axe-core (WCAG 2.1 A and AA) checks each page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from promises.models import PromiseSetState
from tests.conftest import PASSWORD
from tests.e2e.test_full_cycle import Pages, sent_link, submit
from tests.promises.conftest import approve, create_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_both_sign_from_the_emails_and_the_promises_are_public(
    browser, live_server, settings, mailoutbox, people, agreement
):
    settings.SITE_URL = live_server.url
    pages = Pages(browser, live_server.url)
    promise_set = create_set(agreement, people.samordnare)

    sam = pages.logged_in(people.samordnare)
    sam.goto(f"/overenskommelser/{agreement.pk}/medborgarloften/")
    pages.check(sam, "medborgarlöften (lista)")
    sam.get_by_role("link", name=f"Medborgarlöften {promise_set.period}").click()
    pages.check(sam, "medborgarlöften (utkast)")
    sam.get_by_role("link", name="Ändra löftena").click()
    expect(
        sam.get_by_role("group", name="Löfte 1").get_by_label("Löfte", exact=True)
    ).to_have_value("Grannsamverkan mot brott")
    pages.check(sam, "ändra löftena")
    sam.go_back()
    sam.get_by_role("button", name="Godkänn löftena").click()
    expect(sam.get_by_role("status")).to_contain_text("Du har godkänt löftena.")
    approve(promise_set, people.kommunpolis)

    today = timezone.localdate().isoformat()
    for person, place in [(people.ks_chair, "Höör"), (people.lpo_chief, "Eslöv")]:
        page = pages.new_page()
        page.goto(sent_link(mailoutbox, person.email, "Beslut och underskrift senast "))
        expect(page).to_have_url(re.compile(r"/uppgift/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Besluta och underteckna medborgarlöften"
        )
        expect(page.get_by_role("region", name="Löftena")).to_contain_text("Blåljusdagar")
        pages.check(page, f"besluta och underteckna ({person.name})")
        form = page.get_by_role("region", name="Beslut och underskrift")
        form.get_by_role("group", name="Ditt beslut").get_by_label(
            "Jag beslutar och undertecknar medborgarlöftena"
        ).check()
        form.get_by_label("Ort").fill(place)
        form.get_by_label("Datum", exact=True).fill(today)
        form.get_by_label("Ditt lösenord i Samverkan").fill(PASSWORD)
        submit(form.get_by_role("button", name="Skicka"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Du har undertecknat")
        pages.check(page, f"kvitto ({person.name})")
        page.context.close()

    promise_set.refresh_from_db()
    assert promise_set.state == PromiseSetState.PUBLISHED
    public = pages.new_page()
    public.goto("/medborgarloften/")
    pages.check(public, "publik lista")
    public.get_by_role("link", name="Höörs kommun").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Medborgarlöften i Höör")
    expect(public.get_by_role("heading", level=3, name="Grannsamverkan mot brott")).to_be_visible()
    pages.check(public, "publik sida")

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{page}: {v}" for page, found in pages.violations.items() for v in found
    )
