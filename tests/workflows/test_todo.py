"""Drafters' "Att göra" in the inbox (issue 17): a version waiting for their
approval, and a follow-up report that is open or late, with its date."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.workflows.test_followups import at, bring_into_force
from tests.workflows.test_pages import html
from workflows.models.trail import Channel
from workflows.services.drafting import version_approve

INBOX = reverse("workflows:inbox")


def test_a_version_waits_on_each_drafter_until_they_approve_it(agreement, people):
    version_url = reverse("workflows:version_detail", args=[agreement.pk, 1])
    for drafter in (people.samordnare, people.kommunpolis):
        page = html(login(Client(), drafter).get(INBOX))
        assert "Att göra som skribent" in page and "Läs och godkänn version 1" in page
        assert f'href="{version_url}"' in page
    version_approve(
        version_id=agreement.versions.get().pk, person=people.samordnare, channel=Channel.LOGIN
    )
    assert "Läs och godkänn" not in html(login(Client(), people.samordnare).get(INBOX))
    assert "Läs och godkänn version 1" in html(login(Client(), people.kommunpolis).get(INBOX))


def test_a_report_due_shows_with_its_date_and_late_ones_say_so(signing, people):
    bring_into_force(signing, people, "2023-04-11")
    with at("2023-04-20"):
        page = html(login(Client(), people.kommunpolis).get(INBOX))
        assert "Skriv uppföljningsrapporten för perioden till 2023-04-30" in page
        assert "2023-05-02" in page and "försenad" not in page
    with at("2023-05-05"):
        page = html(login(Client(), people.samordnare).get(INBOX))
        assert "2023-05-02" in page and "försenad" in page


def test_people_who_do_not_draft_have_no_drafter_to_do(agreement, people):
    for person in (people.ks_chair, people.auditor, people.outsider):
        assert "Att göra som skribent" not in html(login(Client(), person).get(INBOX))
