"""A follow-up report written and handed in through the browser, by its labels, with
axe-core (WCAG 2.1 A and AA) on each page: the schedule, the form, the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_full_cycle import Pages
from tests.workflows.conftest import in_force, proposed, signing  # noqa: F401 (fixtures)
from workflows import followup_rules as rules
from workflows.models import AgreementState, FollowUpReport
from workflows.services import followups
from workflows.services.actors import today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_drafter_writes_hands_in_and_revises_from_a_follow_up_report(
    browser,
    live_server,
    people,
    in_force,  # noqa: F811 (the fixture imported above)
):
    due = rules.next_due(followups.schedule_of(in_force), today()).due.isoformat()
    pages = Pages(browser, live_server.url)
    sam = pages.logged_in(people.samordnare)
    sam.goto(f"/overenskommelser/{in_force.pk}/")
    expect(sam.get_by_role("region", name="Uppföljning").first).to_contain_text("Att göra")
    pages.check(sam, "överenskommelsen med uppföljningsplan")

    sam.get_by_role("link", name=f"Skriv rapporten {due}").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(f"Uppföljningsrapport {due}")
    pages.check(sam, "uppföljningsrapport, formulär")
    area = sam.get_by_role("group", name="Trygghetsvandringar")
    area.get_by_label("Status: Trygghetsvandringar").select_option("forsenad")
    area.get_by_label("Kommentar: Trygghetsvandringar").fill("Vandringen i maj blev inställd.")
    sam.get_by_label("Analys", exact=True).fill("Otryggheten i centrum har minskat.")
    sam.get_by_label("Rekommendationer (frivilligt)").fill("Ersätt vandringarna med dialoger.")
    sam.get_by_label("Vi rekommenderar att överenskommelsen revideras").check()
    sam.get_by_role("button", name="Spara utkast").click()
    expect(sam.get_by_role("status")).to_have_text("Utkastet är sparat.")
    sam.get_by_role("button", name="Lämna in rapporten").click()
    expect(sam.get_by_role("status")).to_contain_text("Rapporten är inlämnad")
    expect(sam.locator("code.hash")).to_have_text(FollowUpReport.objects.get().content_hash)
    pages.check(sam, "uppföljningsrapport, inlämnad")

    sam.get_by_role("button", name="Starta revidering").click()
    expect(sam.locator(".state")).to_have_text("Gällande, revidering pågår")
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.REVISION_DRAFT

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{page}: {v}" for page, found in pages.violations.items() for v in found
    )
