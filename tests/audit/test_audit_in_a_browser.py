"""The revisor's pages in Chromium: the search, the trail with its filter, and the
verification, reached by keyboard, and checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser  # noqa: F401  (fixture)
from tests.e2e.test_full_cycle import Pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_revisor_searches_reads_filters_and_verifies_the_trail(
    browser,  # noqa: F811  (the fixture imported above)
    live_server,
    in_force,
    people,
):
    pages = Pages(browser, live_server.url)
    page = pages.logged_in(people.auditor)

    page.get_by_role("link", name="Granskning").click()
    expect(page.get_by_role("heading", level=1, name="Granskning")).to_be_visible()
    page.get_by_label("Diarienummer").fill("2023/17")
    page.get_by_label("Diarienummer").press("Enter")
    pages.check(page, "granskning")
    page.get_by_role("link", name=f"Beslutsspår för {in_force.title}").click()

    expect(page.get_by_role("heading", level=1, name="Beslutsspår")).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_count(in_force.trail_length)
    pages.check(page, "beslutsspår")
    page.get_by_label("Typ av händelse").select_option(label="Beslut")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=3)).to_have_count(2)
    pages.check(page, "beslutsspår, filtrerat")

    page.get_by_label("Från och med").fill("2999-01-01")
    page.get_by_label("Till och med").fill("2000-01-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("alert")).to_contain_text("Slutdatumet ligger före startdatumet.")
    pages.check(page, "beslutsspår, fel i filtret")

    page.get_by_role("link", name="Visa allt").click()
    verify = page.get_by_role("button", name="Verifiera beslutsspåret")
    verify.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        f"Beslutsspåret är oförändrat: {in_force.trail_length} händelser"
    )
    pages.check(page, "verifiering")

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{name}: {found}" for name, found in pages.violations.items()
    )
