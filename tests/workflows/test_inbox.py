"""The inbox: a logged-in person's open tasks, acted on with the same page and form
as the e-mail link; and the agreement page once decisions and signatures are in."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD, SAMPLE_CONTENT, login
from tests.workflows.conftest import decide, sign, task_of
from tests.workflows.test_links import (
    bifall,
    confirm,
    form_fields,
    link_to,
    open_link,
    snapshot,
)
from tests.workflows.test_pages import assert_accessible_basics, html
from workflows.models import AgreementState, AuditEvent, Decision, Outcome, Signature
from workflows.models.trail import Channel
from workflows.services import rounds
from workflows.services.drafting import agreement_create, version_approve

INBOX = reverse("workflows:inbox")


@pytest.fixture(autouse=True)
def _fresh_failure_counts():
    cache.clear()
    yield
    cache.clear()


def task_url(agreement, kind: str) -> str:
    return reverse("workflows:inbox_task", args=[task_of(agreement, kind).pk])


# -- what the inbox shows, and to whom ---------------------------------------------------------


def test_the_inbox_shows_each_person_only_the_tasks_they_may_act_on(proposed, people):
    municipal = task_url(proposed, "municipal_decision")
    police = task_url(proposed, "police_decision")
    expected = {
        people.sekreterare: {municipal},
        people.ks_chair: {municipal},  # the KS chair may record the kommun's decision too
        people.lpo_chief: {police},
        people.kommunpolis: set(),
        people.samordnare: set(),
        people.kf_chair: set(),
        people.auditor: set(),
        people.outsider: set(),
        people.eslov_samordnare: set(),
    }
    for person, urls in expected.items():
        response = login(Client(), person).get(INBOX)
        assert response.status_code == 200
        text = html(response)
        found = {url for url in (municipal, police) if f'href="{url}"' in text}
        assert found == urls, person.name
        assert f"Inkorg ({len(urls)}" in text, person.name
        if not urls:
            assert "Inga uppgifter väntar på dig just nu." in text


def test_the_inbox_lists_the_task_with_its_agreement_and_version(proposed, people):
    response = login(Client(), people.lpo_chief).get(INBOX)
    text = html(response)
    assert "Registrera Polisens beslut: Operativ samverkansöverenskommelse Höör 2023–2024" in text
    assert "Höörs kommun och Lokalpolisområde Eslöv" in text
    assert 'aria-current="page">Inkorg (1' in text
    assert_accessible_basics(response)


def test_an_anonymous_visitor_is_sent_to_log_in(proposed):
    for target in (INBOX, task_url(proposed, "police_decision")):
        response = Client().get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def _more_proposals(orgs, people, count: int) -> None:
    for n in range(count):
        other = agreement_create(
            kommun=orgs.eslov if n % 2 else orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="one_part",
            title=f"Överenskommelse {n}",
            period_start=datetime.date(2021, 5, 1),
            period_end=datetime.date(2022, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.kommunpolis,
            channel=Channel.LOGIN,
            duplicate_reason="Testdata: många överenskommelser för samma parter.",
        )
        drafter = people.eslov_samordnare if n % 2 else people.samordnare
        for person in (people.kommunpolis, drafter):
            version_approve(
                version_id=other.versions.get().pk, person=person, channel=Channel.LOGIN
            )


def test_the_inbox_query_count_does_not_grow_with_the_number_of_tasks(
    orgs, people, proposed, django_assert_max_num_queries
):
    client = login(Client(), people.lpo_chief)
    with CaptureQueriesContext(connection) as with_one:
        assert len(client.get(INBOX).context["rows"]) == 1
    _more_proposals(orgs, people, 5)
    with django_assert_max_num_queries(len(with_one.captured_queries)):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == 6
    assert "Inkorg (6" in html(response)


# -- acting from the inbox ----------------------------------------------------------------------


def test_a_decision_from_the_inbox_uses_the_same_page_and_is_recorded_as_logged_in(
    proposed, people, django_capture_on_commit_callbacks
):
    client = login(Client(enforce_csrf_checks=True), people.sekreterare)
    page_url = task_url(proposed, "municipal_decision")
    page = client.get(page_url)
    assert page.status_code == 200
    assert page.templates[0].name == "workflows/task_confirm.html"
    text = html(page)
    version = proposed.latest_version()
    for expected in (
        "<h1>Registrera kommunens beslut</h1>",
        version.short_hash,
        "Trygghetsvandringar",
        "Första beslutet om överenskommelsen",
        "Du bekräftar som Nils Nämnd, Nämndsekreterare",
        "Sammanträdesdatum",
    ):
        assert expected in text, expected
    assert_accessible_basics(page)

    fields = form_fields(page) | bifall()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url, fields)
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.body, decision.outcome, decision.recorded_by) == (
        "ks",
        Outcome.BIFALL,
        people.sekreterare,
    )
    event = AuditEvent.objects.get(action="decision_recorded")
    assert (event.channel, event.actor) == (Channel.LOGIN, people.sekreterare)
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Beslutet är registrerat" in html(receipt) and "inloggad" in html(receipt)
    # Done: the decision's task is closed; the protocol's justering comes next.
    closed = client.get(page_url)
    assert closed.status_code == 410
    assert "Uppgiften är redan avslutad" in html(closed)
    inbox = html(client.get(INBOX))
    assert "Inkorg (1" in inbox and "Registrera justering och anslag" in inbox

    justering_url = task_url(proposed, "municipal_protocol")
    page = client.get(justering_url)
    assert page.status_code == 200
    for expected in ("Justeringsdatum", "Justerare", "Anslaget på kommunens anslagstavla"):
        assert expected in html(page), expected
    fields = form_fields(page) | {
        "justerad_on": "2023-04-11",
        "justerare": "Anna Ordförande, Bo Justerare",
        "anslag_on": "2023-04-11",
        "anslag_url": "https://hoor.se/anslagstavla/ks-2023-04-11",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(justering_url, fields)
    assert response.status_code == 302
    receipt = html(client.get(response["Location"]))
    assert "Justeringen är registrerad" in receipt
    assert "Anna Ordförande, Bo Justerare" in receipt
    assert "Inkorg (0" in html(client.get(INBOX))
    steps = [
        event.details["step"]
        for event in AuditEvent.objects.filter(action="decision_step_recorded").order_by("seq")
    ]
    assert steps == ["justering", "anslag"]


def test_someone_elses_task_is_404_and_nothing_is_recorded(proposed, people):
    police = task_url(proposed, "police_decision")
    before = snapshot(proposed)
    for person in (people.sekreterare, people.kommunpolis, people.outsider, people.auditor):
        client = login(Client(), person)
        assert client.get(police).status_code == 404, person.name
        assert client.post(police, bifall()).status_code == 404, person.name
    missing = reverse("workflows:inbox_task", args=[999999])
    assert login(Client(), people.lpo_chief).get(missing).status_code == 404
    assert snapshot(proposed) == before


def test_the_inbox_receipt_is_only_for_whoever_acted(
    proposed, people, django_capture_on_commit_callbacks
):
    client = login(Client(), people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, task_url(proposed, "police_decision"), **bifall())
    assert client.get(response["Location"]).status_code == 200
    assert login(Client(), people.sekreterare).get(response["Location"]).status_code == 404


def test_a_refusal_by_the_service_keeps_the_input_and_its_status(proposed, people):
    client = login(Client(), people.lpo_chief)
    page_url = task_url(proposed, "police_decision")
    fields = form_fields(client.get(page_url)) | bifall(diarienummer="A-77", note="Noga läst.")
    fields["version_hash"] = "0" * 64  # a text other than the one in force
    response = client.post(page_url, fields)
    assert response.status_code == 409
    text = html(response)
    assert "Texten har ändrats: version 1 gäller nu." in text
    assert 'value="A-77"' in text and "Noga läst." in text
    assert not Decision.objects.exists()


def test_a_csrf_less_post_from_the_inbox_is_refused(proposed, people):
    client = login(Client(enforce_csrf_checks=True), people.lpo_chief)
    before = snapshot(proposed)
    assert client.post(task_url(proposed, "police_decision"), bifall()).status_code == 403
    assert snapshot(proposed) == before


# -- signing: one by link, one in the inbox ---------------------------------------------------


def test_a_signature_by_link_and_one_in_the_inbox_put_the_agreement_in_force(
    signed_off, people, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = signed_off
    johan = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            johan,
            open_link(johan, link_to(mailoutbox, people.ks_chair)),
            place="Höör",
            signed_on="2023-04-11",
            password=PASSWORD,
        )
    assert response.status_code == 302

    veronica = login(Client(), people.lpo_chief)
    page_url = task_url(agreement, "lpo_signature")
    page = veronica.get(page_url)
    assert page.context["form"]["place"].value() == "Höör"
    with django_capture_on_commit_callbacks(execute=True):
        response = veronica.post(
            page_url,
            form_fields(page) | {"place": "Eslöv", "signed_on": "2023-04-11", "password": PASSWORD},
        )
    assert response.status_code == 302

    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE
    assert not rounds.open_tasks(agreement).exists()
    channels = dict(
        AuditEvent.objects.filter(action="signature_added").values_list("actor__name", "channel")
    )
    assert channels == {"Johan Svahnberg": Channel.EMAIL_LINK, "Veronica Ek": Channel.LOGIN}
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK ")

    page = html(veronica.get(reverse("workflows:agreement_detail", args=[agreement.pk])))
    assert "Höör den 2023-04-11" in page and "Eslöv den 2023-04-11" in page
    assert "Johan Svahnberg" in page and "Kommunstyrelsens ordförande" in page
    assert "Version 1 undertecknades av kommunstyrelsens ordförande" in page
    assert "Version 1 är undertecknad av båda parter" in page
    assert "Gäller till och med 2024-12-31" in page


# -- the agreement page and list --------------------------------------------------------------


def test_the_agreement_page_shows_whom_the_decision_waits_on_and_the_decisions(proposed, people):
    client = login(Client(), people.samordnare)
    page = html(client.get(reverse("workflows:agreement_detail", args=[proposed.pk])))
    assert "Väntar på beslut: kommunstyrelsen, lokalpolisområdeschefen" in page
    listing = html(client.get(reverse("workflows:agreement_list")))
    assert "Väntar på beslut: kommunstyrelsen, lokalpolisområdeschefen" in listing

    decide(proposed, "police_decision", people.lpo_chief, diarienummer="A123/2023")
    page = html(client.get(reverse("workflows:agreement_detail", args=[proposed.pk])))
    assert "Väntar på beslut: kommunstyrelsen<" in page
    for expected in (
        "Lokalpolisområdeschefen</th>",
        "<td>Bifall",
        "<td>2023-04-11</td>",
        "<td>A123/2023</td>",
        "Beslutsfattare: Veronica Ek",
        "Veronica Ek, Lokalpolisområdeschef",
        "Beslut om version 1: Lokalpolisområdeschefen, bifall",
    ):
        assert expected in page, expected


def test_the_agreement_page_shows_a_decision_maker_their_task(proposed, people):
    page = html(
        login(Client(), people.lpo_chief).get(
            reverse("workflows:agreement_detail", args=[proposed.pk])
        )
    )
    assert "Väntar på dig" in page
    assert f'href="{task_url(proposed, "police_decision")}"' in page


def test_after_aterremiss_the_drafters_see_the_reason_first(proposed, people):
    decide(
        proposed,
        "municipal_decision",
        people.sekreterare,
        outcome="aterremiss",
        note="Förtydliga ansvaret för trygghetsvandringar.",
    )
    url = reverse("workflows:agreement_detail", args=[proposed.pk])
    page = html(login(Client(), people.kommunpolis).get(url))
    notice = page[page.index("<h1>") : page.index("Versioner</h2>")]
    assert "Återremitterad av kommunstyrelsen" in notice
    assert "Förtydliga ansvaret för trygghetsvandringar." in notice
    assert "Registrerat av Nils Nämnd, § 42, KS 2023/17." in notice
    reader = html(login(Client(), people.auditor).get(url))
    assert "Återremitterad av" not in reader
    assert "Förtydliga ansvaret för trygghetsvandringar." in reader  # in the decisions table


def test_a_rejected_agreement_says_nothing_more_will_happen(proposed, people):
    decide(proposed, "police_decision", people.lpo_chief, outcome="avslag", note="Nej.")
    page = html(
        login(Client(), people.samordnare).get(
            reverse("workflows:agreement_detail", args=[proposed.pk])
        )
    )
    assert "Avslagen" in page
    assert "Inget mer: överenskommelsen avslogs." in page


def test_signing_waits_on_the_signatories_still_missing(signing, people):
    sign(signing, "ks_signature", people.ks_chair)
    page = html(
        login(Client(), people.samordnare).get(
            reverse("workflows:agreement_detail", args=[signing.pk])
        )
    )
    assert "Väntar på underskrift: lokalpolisområdeschefen" in page
    assert Signature.objects.count() == 1
