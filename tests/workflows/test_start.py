"""A drafter starts an agreement from the browser: for their own parties, from a
blank structure with guidance or from the text of an agreement they already have."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.workflows.test_pages import html
from workflows.blank_agreement import SECTIONS
from workflows.models import Agreement, AgreementState, AuditEvent

START = reverse("workflows:agreement_start")
LIST = reverse("workflows:agreement_list")


def fields(orgs, **more) -> dict[str, str]:
    return {
        "parties": f"{orgs.hoor.pk}-{orgs.lpo.pk}",
        "kind": "operational",
        "deciding_body": "",
        "title": "",
        "period_start": "2024-01-01",
        "period_end": "2025-12-31",
        "follow_up_cadence": "tertial",
        "start_from": "tom",
        **more,
    }


def test_a_trygghetssamordnare_with_no_agreement_starts_one_from_the_blank_structure(orgs, people):
    client = login(Client(), people.samordnare)
    listing = html(client.get(LIST))
    assert "Du har ingen roll i någon överenskommelse just nu." in listing
    assert f'href="{START}"' in listing
    form = client.get(START)
    assert form.status_code == 200
    page = html(form)
    assert "Höörs kommun och Lokalpolisområde Eslöv" in page
    assert "Eslövs kommun" not in page  # not their kommun

    response = client.post(START, fields(orgs))
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert response["Location"] == reverse("workflows:agreement_detail", args=[agreement.pk])
    assert agreement.state == AgreementState.DRAFT
    assert agreement.title == "Operativ samverkansöverenskommelse Höörs kommun 2024–2025"
    assert (agreement.kind, agreement.deciding_body, agreement.follow_up_cadence) == (
        "operational",
        "ks",
        "tertial",
    )
    assert (agreement.period_start, agreement.period_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2025, 12, 31),
    )
    headings = [s["heading"] for s in agreement.latest_version().content["sections"]]
    assert headings == [heading for heading, _ in SECTIONS]
    event = AuditEvent.objects.get(agreement=agreement, action="agreement_created")
    assert event.actor == people.samordnare


def test_a_kommunpolis_starts_one_for_any_kommun_their_lpo_serves(orgs, people):
    client = login(Client(), people.kommunpolis)
    page = html(client.get(START))
    assert "Höörs kommun och Lokalpolisområde Eslöv" in page
    assert "Eslövs kommun och Lokalpolisområde Eslöv" in page
    assert "Lunds kommun" not in page
    response = client.post(
        START, fields(orgs, parties=f"{orgs.eslov.pk}-{orgs.lpo.pk}", kind="strategic")
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.kommun, agreement.deciding_body) == (orgs.eslov, "kf")


def test_the_text_can_start_from_an_agreement_the_drafter_already_has(orgs, people, agreement):
    client = login(Client(), people.samordnare)
    assert f"Texten i {agreement.title}" in html(client.get(START))
    response = client.post(
        START,
        fields(
            orgs,
            start_from=str(agreement.pk),
            title="Höör 2025–2026",
            period_start="2025-01-01",
            period_end="2026-12-31",
        ),
    )
    assert response.status_code == 302
    new = Agreement.objects.exclude(pk=agreement.pk).get()
    assert new.title == "Höör 2025–2026"
    assert new.latest_version().content_hash == agreement.latest_version().content_hash
    assert new.latest_version().change_note == f"Utgår från {agreement.title}."


def test_a_period_that_has_ended_or_parties_not_theirs_are_refused(orgs, people):
    client = login(Client(), people.samordnare)
    ended = client.post(START, fields(orgs, period_start="2020-01-01", period_end="2021-12-31"))
    assert ended.status_code == 400
    assert "Perioden har redan gått ut" in html(ended)
    elsewhere = client.post(START, fields(orgs, parties=f"{orgs.lund.pk}-{orgs.lpo_lund.pk}"))
    assert elsewhere.status_code == 400
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "ks_chair", "lpo_chief", "sekreterare"])
def test_only_drafters_start_agreements(orgs, people, who):
    client = login(Client(), getattr(people, who))
    assert f'href="{START}"' not in html(client.get(LIST))
    assert client.get(START).status_code == 403
    assert client.post(START, fields(orgs)).status_code == 403
    assert not Agreement.objects.exists()


def test_an_overlapping_agreement_of_the_same_kind_is_flagged_and_needs_a_reason(
    orgs, people, agreement
):
    """The fixture agreement is Höör's operational 2023–2024; 2024–2025 overlaps."""
    client = login(Client(), people.samordnare)
    flagged = client.post(START, fields(orgs, title="Höör igen"))
    assert flagged.status_code == 409
    page = html(flagged)
    assert "Det finns redan en överenskommelse för perioden" in page
    assert f'href="/overenskommelser/{agreement.pk}/"' in page
    assert "Varför behövs en till?" in page and 'value="Höör igen"' in page
    assert Agreement.objects.count() == 1

    reason = "Den befintliga gäller bara Tjörnarp; den här hela kommunen."
    done = client.post(START, fields(orgs, title="Höör igen", duplicate_reason=reason))
    assert done.status_code == 302
    new = Agreement.objects.get(title="Höör igen")
    event = new.events.get(action="agreement_created")
    assert event.details["overlaps"] == [agreement.pk]
    assert event.details["duplicate_reason"] == reason
    trail = html(client.get(f"/overenskommelser/{new.pk}/beslutsspar/"))
    assert reason in trail


def test_another_kind_or_a_later_period_is_no_duplicate(orgs, people, agreement):
    client = login(Client(), people.samordnare)
    strategic = client.post(START, fields(orgs, kind="strategic", title="Strategisk"))
    later = client.post(
        START, fields(orgs, title="Nästa", period_start="2025-01-01", period_end="2026-12-31")
    )
    assert strategic.status_code == later.status_code == 302
    assert "overlaps" not in Agreement.objects.get(title="Nästa").events.first().details
