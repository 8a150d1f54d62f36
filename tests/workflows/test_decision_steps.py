"""After the meeting: the kommun's decision is justerad and announced, can be
appealed for three weeks, gains laga kraft when the nämndsekreterare confirms no
appeal came in, and may be appealed, stayed or quashed. Through the task link,
the decision's page, the agreement page and the e-mails.

These tests run in December 2026, where the law's holidays move the last day to
appeal: an agreement for 2026–2027 is proposed and decided on 1 December.
"""

from __future__ import annotations

import datetime
import hashlib
from contextlib import contextmanager

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.services import outbox_relay
from tests.conftest import SAMPLE_CONTENT, login
from tests.workflows.conftest import appeal, decide, record_step, sign, task_of
from tests.workflows.test_inbox import task_url
from tests.workflows.test_links import confirm, form_fields, link_to, open_link
from tests.workflows.test_pages import html
from workflows.models import (
    AgreementState,
    AuditEvent,
    Decision,
    DecisionStep,
    Signature,
    SigningAfter,
)
from workflows.models.trail import Channel
from workflows.services import rounds
from workflows.services.drafting import agreement_create, version_approve
from workflows.services.errors import DomainError, NotPermitted

D = datetime.date
JUSTERARE = "Anna Ordförande, Bo Justerare"


@contextmanager
def at(day: str):
    with time_machine.travel(f"{day}T12:00:00+01:00", tick=False):
        yield


@pytest.fixture
def decided(orgs, people, mailoutbox, django_capture_on_commit_callbacks):
    """Höör 2026–2027, proposed and decided by both on 1 December 2026; the kommun's
    justering task is open and its link mailed to the nämndsekreterare."""
    with at("2026-11-30"), django_capture_on_commit_callbacks(execute=True):
        agreement = agreement_create(
            kommun=orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            title="Operativ samverkansöverenskommelse Höör 2026–2027",
            period_start=D(2026, 1, 1),
            period_end=D(2027, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.samordnare,
            channel=Channel.LOGIN,
        )
        version = agreement.versions.get()
        for drafter in (people.samordnare, people.kommunpolis):
            version_approve(version_id=version.pk, person=drafter, channel=Channel.LOGIN)
    with at("2026-12-01"), django_capture_on_commit_callbacks(execute=True):
        decide(agreement, "municipal_decision", people.sekreterare, justera=False)
        decide(agreement, "police_decision", people.lpo_chief)
        outbox_relay()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED
    return agreement


def justera_from_the_link(agreement, people, mailoutbox, capture, anslag: str = ""):
    """The nämndsekreterare opens the justering link from the e-mail and records it."""
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.sekreterare))
    page = client.get(page_url)
    assert page.status_code == 200
    assert "<h1>Registrera justering och anslag</h1>" in html(page)
    with capture(execute=True):
        response = confirm(
            client,
            page_url,
            justerad_on="2026-12-02",
            justerare=JUSTERARE,
            anslag_on=anslag,
            anslag_url="https://hoor.se/anslagstavla/ks-2026-12-01" if anslag else "",
        )
        outbox_relay()
    assert response.status_code == 302, html(response)
    agreement.refresh_from_db()
    return response


def decision_page(agreement, person):
    decision = Decision.objects.get(agreement=agreement, track="municipal", outcome="bifall")
    client = login(Client(), person)
    url = reverse("workflows:decision_detail", args=[agreement.pk, decision.pk])
    return client, url


def post_step(client, page_url, kind: str, **fields):
    return client.post(
        page_url,
        {"step": kind, f"{kind}-kind": kind}
        | {f"{kind}-{name}": value for name, value in fields.items()},
    )


# -- justering and anslag, from the task link ------------------------------------------


def test_the_justering_opens_signing_and_the_page_says_the_decision_is_not_yet_final(
    decided, people, mailoutbox, django_capture_on_commit_callbacks
):
    subjects = [m.subject for m in mailoutbox if "nils@" in m.to[0]]
    assert any(
        s.startswith("Justering och anslag senast ") and s.endswith(f": {decided.title}, version 1")
        for s in subjects
    )
    with at("2026-12-02"):
        justera_from_the_link(decided, people, mailoutbox, django_capture_on_commit_callbacks)
    assert decided.state == AgreementState.SIGNING
    justering = DecisionStep.objects.get(kind="justering")
    assert (justering.on, justering.names) == (D(2026, 12, 2), JUSTERARE)
    drafters_mail = [m for m in mailoutbox if m.subject == f"Justering: {decided.title}"]
    assert {m.to[0] for m in drafters_mail} == {
        '"Karin Polis" <karin@polisen.test>',
        '"Sam Samordnare" <sam@hoor.test>',
    }
    assert "Protokollet är justerat 2026-12-02; anslaget är inte registrerat." in (
        drafters_mail[0].body
    )
    with at("2026-12-02"):
        client, url = decision_page(decided, people.samordnare)
        page = html(client.get(url))
    assert "Protokollet är justerat 2026-12-02; anslaget är inte registrerat." in page
    assert "Anslag senast" in page and "2026-12-04" in page


@pytest.mark.parametrize(
    ("anslag", "last_day", "after"),
    [
        ("2026-12-03", "2026-12-28", "2026-12-29"),  # julafton to annandag jul, a weekend
        ("2026-12-10", "2027-01-04", "2027-01-05"),  # nyårsafton, nyårsdagen, a weekend
    ],
)
def test_the_last_day_to_appeal_then_laga_kraft_when_the_namndsekreterare_confirms(
    decided, people, mailoutbox, django_capture_on_commit_callbacks, anslag, last_day, after
):
    with at("2026-12-02"):
        justera_from_the_link(decided, people, mailoutbox, django_capture_on_commit_callbacks)
    with at(anslag):
        client, url = decision_page(decided, people.sekreterare)
        page = client.get(url)
        response = post_step(client, url, "anslag", on=anslag, url="https://hoor.se/anslagstavla/1")
        assert response.status_code == 302, html(client.get(url))
        page = html(client.get(url))
    assert f"Överklagbart till och med {last_day}, ännu inte laga kraft." in page
    event = AuditEvent.objects.filter(action="decision_step_recorded").latest("seq")
    assert (event.details["step"], event.details["last_appeal_day"]) == ("anslag", last_day)

    # On the last day itself: still appealable, and laga kraft cannot be confirmed.
    with at(last_day):
        client, url = decision_page(decided, people.sekreterare)  # a new session
        page = html(client.get(url))
        assert f"Överklagbart till och med {last_day}" in page
        assert 'value="laga_kraft"' not in page
        refused = post_step(client, url, "laga_kraft", on=last_day)
        assert refused.status_code == 400
        assert f"Överklagandetiden går ut {last_day}" in html(refused)
    assert not DecisionStep.objects.filter(kind="laga_kraft").exists()

    with at(after):
        client, url = decision_page(decided, people.sekreterare)
        page = html(client.get(url))
        assert "Överklagandetiden har gått ut" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = post_step(client, url, "laga_kraft", on=after)
        assert response.status_code == 302
        agreement_page = html(
            login(Client(), people.samordnare).get(
                reverse("workflows:agreement_detail", args=[decided.pk])
            )
        )
    assert f"Laga kraft sedan {after}." in agreement_page


def test_the_justering_form_refuses_dates_that_cannot_be(
    decided, people, django_capture_on_commit_callbacks
):
    with at("2026-12-02"):
        client = login(Client(), people.sekreterare)
        url = task_url(decided, "municipal_protocol")
        page = client.get(url)
        base = form_fields(page) | {"justerare": JUSTERARE}
        future = client.post(url, base | {"justerad_on": "2026-12-03"})
        assert future.status_code == 400
        assert "Datumet kan inte ligga i framtiden." in html(future)
        backwards = client.post(
            url, base | {"justerad_on": "2026-12-02", "anslag_on": "2026-12-01"}
        )
        assert "Anslaget kan inte ligga före justeringen." in html(backwards)
        before_meeting = client.post(url, base | {"justerad_on": "2026-11-30"})
        assert before_meeting.status_code == 400
        assert "Datumet kan inte ligga före sammanträdet (2026-12-01)." in html(before_meeting)
    assert not DecisionStep.objects.exists()
    assert decided.state == AgreementState.PROPOSED


def test_only_the_kommuns_namndsekreterare_records_what_befalls_the_decision(
    decided, people, mailoutbox, django_capture_on_commit_callbacks
):
    with at("2026-12-02"):
        justera_from_the_link(decided, people, mailoutbox, django_capture_on_commit_callbacks)
        client, url = decision_page(decided, people.samordnare)
        assert 'name="step"' not in html(client.get(url))
        assert post_step(client, url, "anslag", on="2026-12-02").status_code == 403
        with pytest.raises(NotPermitted):
            record_step(decided, people.ks_chair, "anslag")
    assert not DecisionStep.objects.filter(kind="anslag").exists()


# -- a kommun that waits for laga kraft --------------------------------------------------


def test_signing_waits_for_laga_kraft_where_the_kommuns_administrator_says_so(
    orgs, people, mailoutbox, django_capture_on_commit_callbacks, request
):
    from tests.conftest import _person

    admin = _person("Ada Admin", "ada@hoor.test", "administrator", orgs.hoor)
    client = login(Client(), admin)
    settings_url = reverse("workflows:kommun_settings", args=[orgs.hoor.pk])
    assert "Inställningar, Höörs kommun" in html(client.get(settings_url))
    response = client.post(settings_url, {"signing_after": SigningAfter.LAGA_KRAFT})
    assert response.status_code == 302
    orgs.hoor.refresh_from_db()
    assert orgs.hoor.signing_after == SigningAfter.LAGA_KRAFT
    assert login(Client(), people.samordnare).get(settings_url).status_code == 403

    decided = request.getfixturevalue("decided")
    with at("2026-12-03"):
        justera_from_the_link(
            decided, people, mailoutbox, django_capture_on_commit_callbacks, anslag="2026-12-03"
        )
    # Justerad and announced, but not final: the round waits, the task stays open and
    # says what is left, without asking again for what is recorded.
    assert decided.state == AgreementState.PROPOSED
    assert task_of(decided, "municipal_protocol") is not None
    with at("2026-12-04"):
        page = login(Client(), people.sekreterare).get(task_url(decided, "municipal_protocol"))
    text = html(page)
    assert f"Protokollet justerades 2026-12-02 av {JUSTERARE}." in text
    assert "Överklagbart till och med 2026-12-28" in text
    assert 'name="justerad_on"' not in text and 'name="anslag_on"' not in text
    assert "Till beslutets sida" in text
    with at("2026-12-28"):
        with pytest.raises(DomainError, match="går ut 2026-12-28"):
            record_step(decided, people.sekreterare, "laga_kraft")
    with at("2026-12-29"), django_capture_on_commit_callbacks(execute=True):
        record_step(decided, people.sekreterare, "laga_kraft")
        outbox_relay()
    decided.refresh_from_db()
    assert decided.state == AgreementState.SIGNING
    # Due SIGN_WITHIN_DAYS (14) after the laga kraft that opened signing, not the
    # meeting: signing could not open before.
    assert any(
        m.subject == f"Underskrift senast 12 januari 2027: {decided.title}, version 1"
        for m in mailoutbox
    )


# -- appeals ---------------------------------------------------------------------------


@pytest.fixture
def signing_december(decided, people, mailoutbox, django_capture_on_commit_callbacks):
    with at("2026-12-03"):
        justera_from_the_link(
            decided, people, mailoutbox, django_capture_on_commit_callbacks, anslag="2026-12-03"
        )
    assert decided.state == AgreementState.SIGNING
    return decided


@pytest.mark.parametrize("outcome", ["avslaget", "avvisat"])
def test_an_appeal_rejected_or_dismissed_leaves_the_decision_standing(
    signing_december, people, outcome
):
    with at("2026-12-20"):
        appeal(signing_december, people.sekreterare)
    with at("2027-02-01"):
        record_step(signing_december, people.sekreterare, "appeal_decided", appeal_outcome=outcome)
        client, url = decision_page(signing_december, people.samordnare)
        page = html(client.get(url))
        assert "Överklagandet är avgjort; beslutet står fast." in page
        assert "Mål 1234-23" in page and "Förvaltningsrätten i Malmö" in page
        record_step(signing_december, people.sekreterare, "laga_kraft")
        assert "Laga kraft sedan 2027-02-01." in html(client.get(url))
    signing_december.refresh_from_db()
    assert signing_december.state == AgreementState.SIGNING


def test_an_inhibition_stops_signing_until_it_is_lifted(signing_december, people, mailoutbox):
    with at("2026-12-20"):
        appeal(signing_december, people.sekreterare)
        record_step(signing_december, people.sekreterare, "inhibition")
        page = login(Client(), people.ks_chair).get(task_url(signing_december, "ks_signature"))
        assert page.status_code == 409
        assert "Domstolen har beslutat om inhibition" in html(page)
        with pytest.raises(DomainError, match="inhibition"):
            sign(signing_december, "ks_signature", people.ks_chair, signed_on=D(2026, 12, 20))
    assert not Signature.objects.exists()
    with at("2027-01-15"):
        record_step(signing_december, people.sekreterare, "inhibition_lifted")
        sign(signing_december, "ks_signature", people.ks_chair, signed_on=D(2027, 1, 15))
    assert Signature.objects.count() == 1


def test_a_decision_quashed_before_signing_goes_back_to_the_kommuns_decision(
    signing_december, people, mailoutbox, django_capture_on_commit_callbacks
):
    police = Decision.objects.get(agreement=signing_december, track="police")
    with at("2026-12-20"):
        appeal(signing_december, people.sekreterare)
    mailoutbox.clear()
    with at("2027-02-01"), django_capture_on_commit_callbacks(execute=True):
        record_step(
            signing_december,
            people.sekreterare,
            "appeal_decided",
            names="Förvaltningsrätten i Malmö",
            case_number="1234-23",
            appeal_outcome="upphavt",
        )
        outbox_relay()
    signing_december.refresh_from_db()
    assert signing_december.state == AgreementState.PROPOSED
    # Only the kommun decides again; the Police's bifall stands, its links are gone.
    kinds = sorted(t.flow_task.name for t in rounds.open_tasks(signing_december))
    assert kinds == ["municipal_decision"]
    quashed = [m for m in mailoutbox if m.subject.startswith("Kommunens beslut upphävt")]
    assert {m.to[0].split("<")[1].rstrip(">") for m in quashed} >= {
        "sam@hoor.test",
        "karin@polisen.test",
        "johan@hoor.test",
        "veronica@polisen.test",
    }
    assert "Kommunen behöver besluta på nytt." in quashed[0].body
    event = AuditEvent.objects.get(action="decision_quashed")
    assert (event.from_state, event.to_state) == ("signing", "proposed")

    with at("2027-02-10"):
        decide(signing_december, "municipal_decision", people.sekreterare)
    signing_december.refresh_from_db()
    assert signing_december.state == AgreementState.SIGNING
    again = Decision.objects.filter(agreement=signing_december, track="municipal").latest("pk")
    assert again.attempt == 2
    assert Decision.objects.filter(track="police").get() == police


def test_a_decision_quashed_after_signing_tells_the_parties_who_choose(
    signing_december, people, mailoutbox, django_capture_on_commit_callbacks
):
    with at("2026-12-04"):
        sign(signing_december, "ks_signature", people.ks_chair, signed_on=D(2026, 12, 4))
        sign(signing_december, "lpo_signature", people.lpo_chief, signed_on=D(2026, 12, 4))
        appeal(signing_december, people.sekreterare)
    signing_december.refresh_from_db()
    assert signing_december.state == AgreementState.IN_FORCE
    mailoutbox.clear()
    with at("2027-03-01"), django_capture_on_commit_callbacks(execute=True):
        record_step(
            signing_december,
            people.sekreterare,
            "appeal_decided",
            names="Förvaltningsrätten i Malmö",
            appeal_outcome="upphavt",
        )
        outbox_relay()
        page = html(
            login(Client(), people.samordnare).get(
                reverse("workflows:agreement_detail", args=[signing_december.pk])
            )
        )
    signing_december.refresh_from_db()
    assert signing_december.state == AgreementState.IN_FORCE
    assert "Beslutet har upphävts av domstol." in page
    quashed = [m for m in mailoutbox if m.subject.startswith("Kommunens beslut upphävt")]
    assert quashed and "Parterna behöver välja" in quashed[0].body


# -- the protokollsutdrag --------------------------------------------------------------

PDF = b"%PDF-1.4\n% protokollsutdrag KS 2026-12-01 \xc2\xa7 142\n%%EOF\n"


def test_the_protokollsutdrag_is_kept_as_uploaded_with_its_sha256_in_the_trail(
    signing_december, people
):
    with at("2026-12-04"):
        client, url = decision_page(signing_december, people.sekreterare)
        not_pdf = client.post(
            url,
            {
                "step": "extract",
                "extract-kind": "extract",
                "extract-on": "2026-12-02",
                "extract-document": _upload(b"not a pdf", "utdrag.txt"),
            },
        )
        assert not_pdf.status_code == 400
        assert "Filen är inte en PDF." in html(not_pdf)
        response = client.post(
            url,
            {
                "step": "extract",
                "extract-kind": "extract",
                "extract-on": "2026-12-02",
                "extract-document": _upload(PDF, "KS-2026-12-01-142.pdf"),
            },
        )
        assert response.status_code == 302
        step = DecisionStep.objects.get(kind="extract")
        digest = hashlib.sha256(PDF).hexdigest()
        assert step.document_sha256 == digest
        event = AuditEvent.objects.filter(action="decision_step_recorded").latest("seq")
        assert event.details["document_sha256"] == digest
        page = html(client.get(url))
        assert "KS-2026-12-01-142.pdf" in page and digest[:12] in page
        download = client.get(
            reverse(
                "workflows:decision_document",
                args=[signing_december.pk, step.decision_id, step.pk],
            )
        )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == PDF


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_exported_pdf_says_in_force_and_until_when_the_decision_can_be_appealed(
    signing_december, people, tmp_path
):
    from tests.export.test_export import export, pdf_text, squeezed

    with at("2026-12-04"):
        sign(signing_december, "ks_signature", people.ks_chair, signed_on=D(2026, 12, 4))
        sign(signing_december, "lpo_signature", people.lpo_chief, signed_on=D(2026, 12, 4))
        text = squeezed(pdf_text(export(signing_december, tmp_path / "before")))
    assert squeezed("Gällande, överklagbart till och med 2026-12-28, ännu inte laga kraft.") in text
    assert squeezed(f"Justering 2026-12-02 ({JUSTERARE})") in text
    with at("2026-12-29"):
        record_step(signing_december, people.sekreterare, "laga_kraft")
        text = squeezed(pdf_text(export(signing_december, tmp_path / "after")))
    assert squeezed("Gällande, laga kraft sedan 2026-12-29.") in text


def test_the_polices_decision_document_is_uploaded_by_the_police_alone(signing_december, people):
    police = Decision.objects.get(agreement=signing_december, track="police")
    url = reverse("workflows:decision_detail", args=[signing_december.pk, police.pk])
    upload = {"step": "extract", "extract-kind": "extract", "extract-on": "2026-12-01"}
    with at("2026-12-04"):
        secretary = login(Client(), people.sekreterare)
        assert 'name="step"' not in html(secretary.get(url))
        refused = secretary.post(url, upload | {"extract-document": _upload(PDF, "a.pdf")})
        assert refused.status_code == 403
        chief = login(Client(), people.lpo_chief)
        page = html(chief.get(url))
        assert "Justering senast" not in page and "Registrera beslutsdokument" in page
        assert 'value="anslag"' not in page
        response = chief.post(url, upload | {"extract-document": _upload(PDF, "A123-2026.pdf")})
        assert response.status_code == 302
        with pytest.raises(DomainError, match="linjebeslut"):
            record_step_on(police, people.lpo_chief, "appeal", names="FR", case_number="1")
    step = DecisionStep.objects.get(decision=police)
    assert (step.kind, step.document_name) == ("extract", "A123-2026.pdf")
    assert step.document_sha256 == hashlib.sha256(PDF).hexdigest()


def record_step_on(decision, person, kind, **fields):
    from workflows.services.decision_steps import StepInput, step_record

    return step_record(
        decision_id=decision.pk,
        person=person,
        fields=StepInput(kind, D(2026, 12, 4), **fields),
        channel=Channel.LOGIN,
    )


def test_the_namndsekreterare_is_reminded_of_the_anslag_until_it_is_in(
    decided, people, mailoutbox, django_capture_on_commit_callbacks
):
    from workflows.services.periodic import decision_steps_remind

    with at("2026-12-02"):
        justera_from_the_link(decided, people, mailoutbox, django_capture_on_commit_callbacks)
    # Due two days after the justering; reminded, then every REMINDER_AFTER_DAYS (5).
    for day, sent in (
        ("2026-12-04", 0),
        ("2026-12-05", 1),
        ("2026-12-06", 0),
        ("2026-12-09", 0),
        ("2026-12-10", 1),
    ):
        with at(day):
            assert decision_steps_remind() == sent, day
    with at("2026-12-10"):
        record_step(decided, people.sekreterare, "anslag", D(2026, 12, 10))
    with at("2026-12-20"):
        assert decision_steps_remind() == 0
    reminders = AuditEvent.objects.filter(action="decision_step_reminder")
    assert [e.details["step"] for e in reminders] == ["anslag", "anslag"]
