"""The decision as the law knows it: what each party's decision records, which dates
are possible, and why an agreement whose period has ended cannot be signed.

The story's today is 11 April 2023 (tests/conftest.py): the fixture agreement
2023–2024 became the joint proposal today.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.services import outbox_relay
from tests.conftest import SAMPLE_CONTENT, login
from tests.workflows.conftest import decide, sign, task_of
from tests.workflows.test_inbox import task_url
from tests.workflows.test_links import confirm, form_fields, link_to, open_link, snapshot
from tests.workflows.test_pages import html
from workflows.models import (
    ActionToken,
    AgreementState,
    AuditEvent,
    Decision,
    Outcome,
    Signature,
)
from workflows.models.trail import Channel
from workflows.services import rounds
from workflows.services.drafting import version_submit
from workflows.services.errors import DomainError

D = datetime.date
TODAY = D(2023, 4, 11)
MUNICIPAL = {
    "outcome": Outcome.BIFALL,
    "meeting_date": TODAY.isoformat(),
    "paragraph": "§ 42",
    "diarienummer": "KS 2023/17",
}


def post_decision(proposed, person, kind: str, **data):
    client = login(Client(), person)
    page_url = task_url(proposed, kind)
    page = client.get(page_url)
    assert page.status_code == 200, html(page)
    return client.post(page_url, form_fields(page) | data)


# -- the kommun's decision: the protocol's § and the ärende's diarienummer --------------


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("paragraph", "Ange paragrafen (§) i protokollet."),
        ("diarienummer", "Ange ärendets diarienummer."),
    ],
)
def test_the_kommuns_decision_needs_its_paragraph_and_diarienummer(
    proposed, people, missing, message
):
    before = snapshot(proposed)
    response = post_decision(
        proposed, people.sekreterare, "municipal_decision", **(MUNICIPAL | {missing: ""})
    )
    assert response.status_code == 400
    assert message in html(response)
    assert f'href="#id_{missing}"' in html(response)
    assert snapshot(proposed) == before
    with pytest.raises(DomainError, match=message.rstrip(".").replace("(§)", r"\(§\)")):
        decide(proposed, "municipal_decision", people.sekreterare, **{missing: ""})
    assert not Decision.objects.exists()


# -- dates ------------------------------------------------------------------------------


def test_a_decision_dated_in_the_future_is_refused_at_the_field_and_by_the_service(
    proposed, people
):
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = post_decision(
        proposed,
        people.sekreterare,
        "municipal_decision",
        **(MUNICIPAL | {"meeting_date": tomorrow}),
    )
    assert response.status_code == 400
    assert "Beslutsdatumet kan inte ligga i framtiden." in html(response)
    assert f'max="{TODAY.isoformat()}"' in html(response)
    with pytest.raises(DomainError, match="framtiden"):
        decide(
            proposed,
            "police_decision",
            people.lpo_chief,
            meeting_date=TODAY + datetime.timedelta(1),
        )
    assert not Decision.objects.exists()


def test_a_decision_dated_before_the_joint_proposal_is_refused(proposed, people):
    response = post_decision(
        proposed,
        people.sekreterare,
        "municipal_decision",
        **(MUNICIPAL | {"meeting_date": "2023-04-10"}),
    )
    assert response.status_code == 400
    assert "Beslutet kan inte vara fattat före det gemensamma förslaget (2023-04-11)." in html(
        response
    )
    with pytest.raises(DomainError, match="gemensamma förslaget"):
        decide(proposed, "police_decision", people.lpo_chief, meeting_date=D(2023, 3, 20))
    assert not Decision.objects.exists()


def test_the_decision_form_starts_from_todays_date(proposed, people):
    page = login(Client(), people.sekreterare).get(task_url(proposed, "municipal_decision"))
    assert page.context["form"]["meeting_date"].value() == TODAY


def test_a_signature_dated_before_the_decisions_is_refused(proposed, people):
    with time_machine.travel("2023-04-20T10:00:00+02:00"):
        decide(proposed, "municipal_decision", people.sekreterare, meeting_date=D(2023, 4, 18))
        decide(proposed, "police_decision", people.lpo_chief, meeting_date=D(2023, 4, 20))
        with pytest.raises(DomainError, match=r"före beslutet \(2023-04-20\)"):
            sign(proposed, "ks_signature", people.ks_chair, signed_on=D(2023, 4, 19))
        assert not Signature.objects.exists()
        sign(proposed, "ks_signature", people.ks_chair, signed_on=D(2023, 4, 20))
    assert Signature.objects.get().signed_on == D(2023, 4, 20)


# -- the Police's decision: a line decision, its own form and e-mail --------------------


def test_the_polices_form_has_no_meeting_paragraph_or_bordlaggning(proposed, people):
    client = login(Client(), people.lpo_chief)
    page = client.get(task_url(proposed, "police_decision"))
    text = html(page)
    for expected in ("Beslutsdatum", "Polisens diarienummer", "Beslutsfattare", "Föredragande"):
        assert expected in text, expected
    for absent in ("Sammanträdesdatum", "Paragraf", "Bordläggning", "Nytt sammanträdesdatum"):
        assert absent not in text, absent

    response = client.post(
        task_url(proposed, "police_decision"),
        form_fields(page) | {"outcome": Outcome.BORDLAGGNING, "diarienummer": "A 1/2023"},
    )
    assert response.status_code == 400
    with pytest.raises(DomainError, match="bifall, avslag eller återremiss"):
        decide(
            proposed,
            "police_decision",
            people.lpo_chief,
            outcome=Outcome.BORDLAGGNING,
            next_meeting_date=D(2023, 5, 2),
        )
    with pytest.raises(DomainError, match="Ange vem|beslutsfattaren"):
        decide(proposed, "police_decision", people.lpo_chief, decided_by=" ")
    with pytest.raises(DomainError, match="Polisens diarienummer"):
        decide(proposed, "police_decision", people.lpo_chief, diarienummer="")
    assert not Decision.objects.exists()


@pytest.fixture
def police_mail(proposed, people, mailoutbox, django_capture_on_commit_callbacks):
    """The Police's bifall, confirmed from the e-mail link, and the drafters' e-mail."""
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.lpo_chief))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client,
            page_url,
            outcome=Outcome.BIFALL,
            meeting_date=TODAY.isoformat(),
            diarienummer="A123.456/2023",
            presenter="Karin Polis, kommunpolis",
        )
    assert response.status_code == 302
    outbox_relay()
    return [m for m in mailoutbox if m.to[0].endswith("<sam@hoor.test>")]


def test_the_police_decision_email_says_what_the_form_asked(police_mail, people):
    decision = Decision.objects.get()
    assert (decision.paragraph, decision.decided_by, decision.presenter) == (
        "",
        "Veronica Ek, lokalpolisområdeschef",
        "Karin Polis, kommunpolis",
    )
    [message] = police_mail
    body = message.body
    for line in (
        "Beslutsdatum: 11 april 2023",
        "Polisens diarienummer: A123.456/2023",
        "Beslutsfattare: Veronica Ek, lokalpolisområdeschef",
        "Föredragande: Karin Polis, kommunpolis",
    ):
        assert line in body, line
    assert "Sammanträde" not in body and "§" not in body
    html_body = message.alternatives[0][0]
    assert "<li>Beslutsfattare: Veronica Ek, lokalpolisområdeschef</li>" in html_body
    event = AuditEvent.objects.get(action="decision_recorded")
    assert (event.details["decided_by"], event.details["presenter"]) == (
        "Veronica Ek, lokalpolisområdeschef",
        "Karin Polis, kommunpolis",
    )


# -- a period that has ended -------------------------------------------------------------

AFTER_THE_PERIOD = "2025-01-02T10:00:00+01:00"


def test_an_agreement_whose_period_has_ended_cannot_be_signed(signed_off, people, mailoutbox):
    before = snapshot(signed_off)
    with time_machine.travel(AFTER_THE_PERIOD):
        # From the inbox (the e-mail's link has expired by now; a reminder's would show
        # the same page).
        client = login(Client(), people.ks_chair)
        page_url = task_url(signed_off, "ks_signature")
        page = client.get(page_url)
        assert page.status_code == 409
        text = html(page)
        assert "Perioden slutade 2024-12-31." in text
        assert "Utkastskrivarna kan skriva en ny version med en ny period." in text
        assert 'name="place"' not in text  # no form to sign with
        response = client.post(
            page_url, form_fields(page) | {"place": "Höör", "signed_on": "2025-01-02"}
        )
        assert response.status_code in (400, 409)
        assert "Perioden slutade 2024-12-31." in html(response)
        with pytest.raises(DomainError, match="Perioden slutade 2024-12-31"):
            sign(signed_off, "ks_signature", people.ks_chair, signed_on=D(2025, 1, 2))

        agreement_page = html(
            login(Client(), people.samordnare).get(
                reverse("workflows:agreement_detail", args=[signed_off.pk])
            )
        )
        assert "Perioden har gått ut" in agreement_page
        assert reverse("workflows:version_create", args=[signed_off.pk]) in agreement_page
    assert snapshot(signed_off) == before
    assert not Signature.objects.exists()


def test_a_new_version_with_a_new_period_takes_a_lapsed_signing_back_to_drafting(
    signed_off, people, mailoutbox
):
    links = ActionToken.objects.filter(agreement=signed_off, revoked_at__isnull=True)
    assert links.count() == 2
    create_url = reverse("workflows:version_create", args=[signed_off.pk])
    with time_machine.travel(AFTER_THE_PERIOD):
        client = login(Client(), people.samordnare)
        page = client.get(create_url)
        text = html(page)
        assert "Perioden slutade 2024-12-31. Ange en ny period" in text
        form = page.context["form"]
        assert (form["period_start"].value(), form["period_end"].value()) == (
            D(2023, 1, 1),
            D(2024, 12, 31),
        )
        fields = form_fields(page) | {"period_start": "2023-01-01", "period_end": "2024-12-31"}

        # The same period again is refused, and what was written stays.
        text_v2 = fields["text"] + "\n\nNy period."
        refused = client.post(create_url, fields | {"text": text_v2})
        assert refused.status_code == 400
        assert "Ange en ny period med den nya versionen." in html(refused)
        assert signed_off.versions.count() == 1

        response = client.post(
            create_url,
            fields | {"text": text_v2, "period_start": "2025-03-01", "period_end": "2026-12-31"},
        )
    assert response.status_code == 302
    signed_off.refresh_from_db()
    assert signed_off.state == AgreementState.DRAFT
    assert (signed_off.period_start, signed_off.period_end) == (D(2025, 3, 1), D(2026, 12, 31))
    assert signed_off.versions.count() == 2
    assert not rounds.open_tasks(signed_off).exists()
    assert not links.filter(revoked_at__isnull=True).exists()
    event = AuditEvent.objects.filter(action="version_submitted").latest("seq")
    assert (event.from_state, event.to_state) == ("signing", "draft")
    assert event.details["period_start"] == "2025-03-01"
    assert event.details["period_end"] == "2026-12-31"
    assert event.details["previous_period"] == "2023-01-01 – 2024-12-31"


@pytest.mark.parametrize(
    "change", [{"period": (D(2023, 1, 1), D(2026, 12, 31))}, {"facts": {"kind": "strategic"}}]
)
def test_period_kind_body_and_cadence_cannot_change_once_the_agreement_has_been_in_force(
    in_force, people, change
):
    from workflows.services import lifecycle

    before = (in_force.period_start, in_force.period_end, in_force.kind)
    lifecycle.revision_open(agreement_id=in_force.pk, person=people.samordnare, channel="login")
    client = login(Client(), people.samordnare)
    page = client.get(reverse("workflows:version_create", args=[in_force.pk]))
    assert not {"period_start", "kind"} & set(page.context["form"].fields)
    latest = in_force.latest_version()
    with pytest.raises(DomainError, match="gällt"):
        version_submit(
            agreement_id=in_force.pk,
            author=people.samordnare,
            content={**SAMPLE_CONTENT, "sections": SAMPLE_CONTENT["sections"][:2]},
            change_note="",
            seen_latest=latest.number,
            parent_number=latest.number,
            channel=Channel.LOGIN,
            **change,
        )
    in_force.refresh_from_db()
    assert (in_force.period_start, in_force.period_end, in_force.kind) == before


def test_a_decision_after_the_period_is_still_recorded_but_cannot_lead_to_signing(proposed, people):
    """The round may be decided late; only signing into force is refused."""
    with time_machine.travel(AFTER_THE_PERIOD):
        decide(proposed, "municipal_decision", people.sekreterare, meeting_date=D(2025, 1, 2))
        decide(proposed, "police_decision", people.lpo_chief, meeting_date=D(2025, 1, 2))
        proposed.refresh_from_db()
        assert proposed.state == AgreementState.SIGNING
        assert proposed.signing_lapsed
        assert task_of(proposed, "ks_signature") is not None


def test_kind_body_and_cadence_change_with_a_version_in_drafting_and_are_in_the_trail(
    agreement, people
):
    create_url = reverse("workflows:version_create", args=[agreement.pk])
    client = login(Client(), people.kommunpolis)
    page = client.get(create_url)
    fields = form_fields(page)
    assert (fields["kind"], fields["deciding_body"], fields["follow_up_cadence"]) == (
        "operational",
        "ks",
        "yearly",
    )
    done = client.post(
        create_url,
        fields
        | {
            "text": fields["text"] + "\n\nStrategisk nu.",
            "kind": "strategic",
            "deciding_body": "kf",
            "follow_up_cadence": "tertial",
        },
    )
    assert done.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.deciding_body, agreement.follow_up_cadence) == (
        "strategic",
        "kf",
        "tertial",
    )
    event = AuditEvent.objects.filter(action="version_submitted").latest("seq")
    assert event.details["kind"] == "strategic" and event.details["previous_kind"] == "operational"
    assert event.details["previous_deciding_body"] == "ks"
    assert event.details["follow_up_cadence"] == "tertial"
    trail = html(client.get(reverse("workflows:audit_trail", args=[agreement.pk])))
    assert "Tidigare typ" in trail and "Kommunfullmäktige" in trail


def test_the_parties_change_with_a_version_until_the_joint_proposal(agreement, people, orgs):
    create_url = reverse("workflows:version_create", args=[agreement.pk])
    client = login(Client(), people.kommunpolis)  # LPO Eslöv serves Höör and Eslöv
    fields = form_fields(client.get(create_url))
    assert fields["parties"] == f"{orgs.hoor.pk}-{orgs.lpo.pk}"
    done = client.post(
        create_url,
        fields
        | {"text": fields["text"] + "\n\nFör Eslöv.", "parties": f"{orgs.eslov.pk}-{orgs.lpo.pk}"},
    )
    assert done.status_code == 302
    agreement.refresh_from_db()
    assert agreement.kommun == orgs.eslov
    event = AuditEvent.objects.filter(action="version_submitted").latest("seq")
    assert (event.details["kommun"], event.details["previous_kommun"]) == (
        orgs.eslov.pk,
        "Höörs kommun",
    )
    assert "lokalpolisomrade" not in event.details
    trail = html(client.get(reverse("workflows:audit_trail", args=[agreement.pk])))
    assert "Tidigare kommun" in trail and "Eslövs kommun" in trail
    # Höör's trygghetssamordnare is no drafter of Eslöv's agreement any more.
    assert login(Client(), people.samordnare).get(create_url).status_code in (403, 404)


def test_the_parties_cannot_change_after_the_joint_proposal(proposed, people, orgs):
    with pytest.raises(DomainError, match="före det gemensamma förslaget"):
        version_submit(
            agreement_id=proposed.pk,
            author=people.kommunpolis,
            content=SAMPLE_CONTENT | {"sections": [{"heading": "Ny", "text": "Ny text."}]},
            change_note="",
            seen_latest=proposed.latest_version().number,
            parent_number=None,
            channel="login",
            parties=(orgs.eslov, orgs.lpo),
        )
    proposed.refresh_from_db()
    assert proposed.kommun == orgs.hoor
