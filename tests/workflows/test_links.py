"""Acting from the link in an e-mail, as the decision-makers, their mail scanners,
a second click and a guesser would: through HTTP, with the links actually sent."""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.conftest import PASSWORD, SAMPLE_CONTENT
from tests.workflows.conftest import decide, task_of
from tests.workflows.test_pages import assert_accessible_basics, html
from workflows.models import (
    ActionToken,
    AgreementState,
    AuditEvent,
    Decision,
    Outcome,
    RoleAssignment,
    Signature,
)
from workflows.models.trail import Channel
from workflows.services.drafting import version_submit

LINK = re.compile(r"https?://[^/\s]+(/l/[\w-]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_failure_counts():
    """The failed-look-up counter lives in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


# -- helpers -------------------------------------------------------------------------


def links_to(mailoutbox, person) -> list[str]:
    """The link paths in the e-mails sent to ``person``, oldest first."""
    return [
        path
        for message in mailoutbox
        if person.email in message.to[0]
        for path in LINK.findall(message.body)
    ]


def link_to(mailoutbox, person) -> str:
    found = links_to(mailoutbox, person)
    assert found, f"no link was mailed to {person.name}"
    return found[-1]


def token_of(path: str) -> ActionToken:
    import hashlib

    raw = path.strip("/").split("/")[-1]
    return ActionToken.objects.get(token_hash=hashlib.sha256(raw.encode()).hexdigest())


def snapshot(agreement) -> tuple:
    """Everything acting on a link can change."""
    agreement.refresh_from_db()
    return (
        agreement.state,
        Decision.objects.count(),
        Signature.objects.count(),
        AuditEvent.objects.count(),
        tuple(ActionToken.objects.order_by("pk").values_list("used_at", "revoked_at")),
        tuple(Task.objects.order_by("pk").values_list("status", flat=True)),
    )


def open_link(client, path: str) -> str:
    """Open the link as a browser would; return the confirm page's address."""
    response = client.get(path)
    assert response.status_code == 303
    return response["Location"]


def form_fields(response) -> dict[str, str]:
    """The form's initial values, as the browser would send them back."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    found = CSRF.search(html(response))
    if found:
        data["csrfmiddlewaretoken"] = found.group(1)
    return data


def bifall(**more) -> dict[str, str]:
    data = {
        "outcome": Outcome.BIFALL,
        "meeting_date": "2023-04-11",
        "paragraph": "§ 42",
        "diarienummer": "KS 2023/17",
        "note": "",
        "next_meeting_date": "",
    }
    data.update(more)
    return data


def confirm(client, page_url: str, **data):
    """GET the confirm page, fill in the form and POST it."""
    page = client.get(page_url)
    assert page.status_code == 200, html(page)
    fields = form_fields(page)
    fields.update(data)
    return client.post(page_url, fields)


# -- the whole way: link, page, confirm, receipt ---------------------------------------


def test_a_decision_from_the_email_link_is_recorded_only_after_confirming(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    path = link_to(mailoutbox, people.lpo_chief)
    token = token_of(path)
    raw = path.strip("/").split("/")[-1]
    client = Client(enforce_csrf_checks=True)

    # Opening the link: a redirect to an address without the secret.
    response = client.get(path)
    assert response.status_code == 303
    page_url = response["Location"]
    assert page_url == reverse("workflows:task_confirm", args=[token.pk])
    assert raw not in page_url
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]

    # The page shows exactly what is decided.
    page = client.get(page_url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    # A page with a form keeps same-origin: with no-referrer a browser would send
    # "Origin: null" with the POST, which the CSRF check refuses.
    assert page["Referrer-Policy"] == "same-origin"
    text = html(page)
    version = proposed.latest_version()
    for expected in (
        "<h1>Registrera Polisens beslut</h1>",
        proposed.title,
        "Höörs kommun och Lokalpolisområde Eslöv",
        "Polisens beslut",
        "<dd>1</dd>",
        version.short_hash,
        version.content_hash,
        "Trygghetsvandringar",
        "Boende och verksamheter går tillsammans genom området.",
        "Första beslutet om överenskommelsen",
        "Du bekräftar som Veronica Ek, Lokalpolisområdeschef",
        "Beslutsdatum",
        "Polisens diarienummer",
        "Beslutsfattare",
        'value="Veronica Ek, lokalpolisområdeschef"',
        "Föredragande",
        'value="Karin Polis"',
    ):
        assert expected in text, expected
    # A line decision: no meeting to table it to, no § in a protocol.
    for label in ("Bifall", "Avslag", "Återremiss"):
        assert f">{label}</label>" in text
    assert ">Bordläggning</label>" not in text and "Paragraf" not in text
    assert raw not in text
    assert_accessible_basics(page)

    # Confirming records the decision, once, through the link's channel.
    fields = form_fields(page)
    fields.update(outcome=Outcome.BIFALL, meeting_date="2023-04-11", diarienummer="A123.456/2023")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url, fields)
    assert response.status_code == 302
    assert response["Location"] == reverse("workflows:task_done", args=[token.pk])
    decision = Decision.objects.get()
    assert (decision.track, decision.outcome, decision.recorded_by) == (
        "police",
        Outcome.BIFALL,
        people.lpo_chief,
    )
    assert decision.meeting_date == datetime.date(2023, 4, 11)
    assert decision.diarienummer == "A123.456/2023"
    assert (decision.decided_by, decision.presenter, decision.paragraph) == (
        "Veronica Ek, lokalpolisområdeschef",
        "Karin Polis",
        "",
    )
    assert decision.version_hash == version.content_hash
    token.refresh_from_db()
    assert token.used_at is not None
    event = AuditEvent.objects.filter(action="decision_recorded").get()
    assert (event.channel, event.actor, event.object_id) == (
        Channel.EMAIL_LINK,
        people.lpo_chief,
        str(decision.pk),
    )
    assert f"link:{token.pk}" not in client.session
    assert not task_of(proposed, "municipal_decision").status == "DONE"

    # The receipt reads the token row: the secret is gone from the session.
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = html(receipt)
    for expected in (
        "Beslutet är registrerat",
        "Lokalpolisområdeschefen",
        "Bifall",
        "2023-04-11",
        "A123.456/2023",
        "Veronica Ek, Lokalpolisområdeschef",
        "via länk i e-post",
        f"Händelse nr {event.seq}",
        event.hash[:12],
        "Väntar på beslut: kommunstyrelsen",
    ):
        assert expected in text, expected
    assert_accessible_basics(receipt)


def test_a_signature_from_the_link_prefills_the_place_and_todays_date(
    signed_off, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    page = client.get(page_url)
    form = page.context["form"]
    assert form["place"].value() == "Höör"
    assert form["signed_on"].value() == timezone.localdate()
    text = html(page)
    assert "Du bekräftar som Johan Svahnberg, Kommunstyrelsens ordförande" in text
    assert 'type="date"' in text and "Underteckna version 1" in text
    assert_accessible_basics(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client, page_url, place="Höör", signed_on="2023-04-11", password=PASSWORD
        )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.person, signature.place, signature.signed_on) == (
        people.ks_chair,
        "Höör",
        datetime.date(2023, 4, 11),
    )
    receipt = html(client.get(response["Location"]))
    assert "Höör den 11 april 2023" in receipt
    assert "Väntar på underskrift: lokalpolisområdeschefen" in receipt


def test_the_page_shows_what_changed_since_the_last_decided_version(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Version 1 was approved by the kommun (bifall); the police sent it back.
    decide(proposed, "municipal_decision", people.sekreterare)
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, "police_decision", people.lpo_chief, outcome="aterremiss", note="Budget.")
    content = {"sections": [dict(s) for s in SAMPLE_CONTENT["sections"]]}
    content["sections"][2]["text"] = "Lokala BRÅ följer upp varje tertial."
    from workflows.services.drafting import version_approve

    with django_capture_on_commit_callbacks(execute=True):
        v2 = version_submit(
            agreement_id=proposed.pk,
            author=people.kommunpolis,
            content=content,
            change_note="Tätare uppföljning.",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        )
        for person in (people.kommunpolis, people.samordnare):
            version_approve(version_id=v2.pk, person=person, channel=Channel.LOGIN)
    client = Client()
    text = html(client.get(open_link(client, link_to(mailoutbox, people.lpo_chief))))
    assert "Från version 1, den senast beslutade, till version 2." in text
    assert "Ändrade avsnitt: 1." in text
    assert re.search(r"<del>.*?år.*?</del>", text) and re.search(r"<ins>.*?tertial", text)
    assert "Första beslutet" not in text
    # Summary, then the form, then the changes and the whole text (folded: the changes
    # are what is new), with a bar back to the form at the end.
    order = ["summary-changes-title", "confirm-title", "changes-title", "text-title"]
    positions = [text.index(f'id="{name}"') for name in order]
    assert positions == sorted(positions)
    assert '<details class="whole-text">' in text
    assert text.index('class="sticky-action"') > positions[-1]


def test_a_first_decision_shows_the_whole_text_unfolded_below_the_form(
    proposed, people, mailoutbox
):
    client = Client()
    text = html(client.get(open_link(client, link_to(mailoutbox, people.lpo_chief))))
    assert "Första beslutet" in text
    assert text.index('id="confirm-title"') < text.index('id="text-title"')
    assert '<details class="whole-text" open>' in text
    assert 'id="changes-title"' not in text


# -- opening a link changes nothing ----------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_any_decision_link_changes_nothing(proposed, people, mailoutbox, method):
    paths = [
        link_to(mailoutbox, person)
        for person in (people.sekreterare, people.ks_chair, people.lpo_chief)
    ]
    before = snapshot(proposed)
    client = Client()
    for path in paths:
        response = getattr(client, method)(path)
        assert response.status_code == 303
        assert response.content == b""
        page = getattr(client, method)(response["Location"])
        if method == "get":
            assert page.status_code == 200
        else:
            # HEAD keeps no secret in the session, so the page asks for the link.
            assert page.status_code == 403
            assert page.content == b""
    assert snapshot(proposed) == before


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_any_signature_link_changes_nothing(signed_off, people, mailoutbox, method):
    before = snapshot(signed_off)
    client = Client()
    for person in (people.ks_chair, people.lpo_chief):
        path = links_to(mailoutbox, person)[-1]
        response = getattr(client, method)(path)
        assert response.status_code == 303
        assert getattr(client, method)(response["Location"]).status_code in (200, 403)
    assert snapshot(signed_off) == before


def test_opening_a_used_or_unknown_link_changes_nothing_either(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    path = link_to(mailoutbox, people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, open_link(client, path), **bifall())
    before = snapshot(proposed)
    for target in (path, f"/l/{secrets.token_urlsafe(32)}/"):
        get, head = Client().get(target), Client().head(target)
        assert get.status_code == head.status_code
        assert head.content == b""
    assert snapshot(proposed) == before


def test_a_get_sets_a_signed_reference_and_no_session_and_a_head_sets_nothing(
    proposed, people, mailoutbox
):
    from workflows.views.links import cookie_name

    path = link_to(mailoutbox, people.lpo_chief)
    token = token_of(path)
    raw = path.strip("/").split("/")[-1]
    client = Client()
    head = client.head(path)
    assert cookie_name(token.pk) not in head.cookies
    response = client.get(path)
    cookie = response.cookies[cookie_name(token.pk)]
    assert raw not in cookie.value and token.token_hash in cookie.value  # signed, no secret
    assert cookie["httponly"] and cookie["path"] == f"/uppgift/{token.pk}/"
    assert "sessionid" not in response.cookies
    assert client.get(response["Location"]).status_code == 200


# -- links that cannot be used: each gets its page -------------------------------------------


def test_an_unknown_link_is_404_and_says_what_to_do(db):
    response = Client().get(f"/l/{secrets.token_urlsafe(32)}/")
    assert response.status_code == 404
    text = html(response)
    assert "Länken känns inte igen" in text
    assert "öppna länken direkt från e-postmeddelandet" in text
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "<form" not in text  # it would post with "Origin: null"
    assert_accessible_basics(response)


def test_an_expired_link_is_410_and_says_until_when_it_worked(proposed, people, mailoutbox):
    path = link_to(mailoutbox, people.lpo_chief)
    token = token_of(path)
    before = snapshot(proposed)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = Client().get(path)
    assert response.status_code == 410
    text = html(response)
    until = timezone.localtime(token.expires_at).date().isoformat()
    assert f"Länken gällde till {until}" in text
    assert "Uppgiften finns kvar och väntar på dig." in text
    assert "Kontakta trygghetssamordnaren eller kommunpolisen (Karin Polis, Sam Samordnare)" in text
    assert "logga in och se dina uppgifter i inkorgen" in text
    assert proposed.title in text
    assert snapshot(proposed) == before
    assert_accessible_basics(response)


def test_a_used_link_is_410_and_says_who_used_it_when_and_what_was_recorded(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    path = link_to(mailoutbox, people.lpo_chief)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, open_link(client, path), **bifall(note="Enhälligt."))
    token = token_of(path)

    response = Client().get(path)
    assert response.status_code == 410
    text = html(response)
    when = timezone.localtime(token.used_at).strftime("%Y-%m-%d %H:%M")
    assert f"Länken användes {when} av Veronica Ek." in text
    assert "Bifall" in text and "Enhälligt." in text and "2023-04-11" in text
    assert_accessible_basics(response)


def test_a_link_for_a_replaced_text_is_410_and_names_the_version_that_applies(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    path = link_to(mailoutbox, people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        version_submit(
            agreement_id=proposed.pk,
            author=people.kommunpolis,
            content={"sections": [*SAMPLE_CONTENT["sections"], {"heading": "Forum"}]},
            change_note="",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        )
    assert token_of(path).revoked_reason == "new_version"
    response = Client().get(path)
    assert response.status_code == 410
    text = html(response)
    assert "Texten har ändrats sedan länken skickades; version 2 gäller nu." in text
    assert "En ny länk skickas när det nya förslaget är klart." in text


def test_a_link_to_a_task_someone_else_did_is_410_and_says_what_they_recorded(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    # The nämndsekreterare and the KS chair both got a link for the kommun's decision.
    johans = link_to(mailoutbox, people.ks_chair)
    client = Client()
    page_url = open_link(client, johans)  # Johan opens it, then waits
    nils = Client()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(nils, open_link(nils, link_to(mailoutbox, people.sekreterare)), **bifall())

    for response in (Client().get(johans), client.get(page_url)):
        assert response.status_code == 410
        text = html(response)
        assert "Uppgiften är redan avslutad" in text
        assert "Beslutet har redan registrerats av Nils Nämnd." in text
        assert "Kommunstyrelsen" in text and "Bifall" in text
    assert Decision.objects.count() == 1


def test_a_link_after_the_round_ended_says_what_happened(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, "police_decision", people.lpo_chief, outcome="avslag", note="Nej.")
    response = Client().get(link_to(mailoutbox, people.sekreterare))
    assert response.status_code == 410
    assert "Överenskommelsens status nu: Avslagen." in html(response)


def test_after_bordlaggning_the_old_link_points_to_the_new_one_which_works(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    old = link_to(mailoutbox, people.sekreterare)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client,
            open_link(client, old),
            **bifall(outcome=Outcome.BORDLAGGNING, next_meeting_date="2023-04-17"),
        )
    assert response.status_code == 302
    new = link_to(mailoutbox, people.sekreterare)
    assert new != old
    # The old link was used: it says so; Johan's old link points to the new one.
    assert "Bordläggning" in html(Client().get(old))
    johans_old = links_to(mailoutbox, people.ks_chair)[0]
    assert "en ny länk har skickats" in html(Client().get(johans_old))
    with (
        time_machine.travel("2023-04-17T15:00:00+02:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = confirm(client, open_link(client, new), **bifall(meeting_date="2023-04-17"))
    assert response.status_code == 302
    assert list(Decision.objects.values_list("outcome", flat=True)) == [
        Outcome.BORDLAGGNING,
        Outcome.BIFALL,
    ]


def test_the_confirm_page_without_the_link_in_the_session_asks_for_the_link(
    proposed, people, mailoutbox
):
    token = token_of(link_to(mailoutbox, people.lpo_chief))
    response = Client().get(reverse("workflows:task_confirm", args=[token.pk]))
    assert response.status_code == 403
    assert "Öppna länken i e-posten igen" in html(response)
    assert_accessible_basics(response)
    # Nor does another link's secret open it.
    client = Client()
    other = link_to(mailoutbox, people.sekreterare)
    client.get(other)
    session = client.session
    session[f"link:{token.pk}"] = other.strip("/").split("/")[-1]
    session.save()
    page_url = reverse("workflows:task_confirm", args=[token.pk])
    assert client.get(page_url).status_code == 403
    assert client.post(page_url, bifall()).status_code == 403
    assert not Decision.objects.exists()


def test_the_receipt_is_only_for_whoever_acted(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client, open_link(client, link_to(mailoutbox, people.lpo_chief)), **bifall()
        )
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 403


# -- a POST that must not act ------------------------------------------------------------------


def test_a_post_without_a_csrf_token_is_refused_and_records_nothing(proposed, people, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    page_url = open_link(client, link_to(mailoutbox, people.lpo_chief))
    fields = form_fields(client.get(page_url))
    del fields["csrfmiddlewaretoken"]
    before = snapshot(proposed)
    response = client.post(page_url, fields | bifall())
    assert response.status_code == 403
    assert snapshot(proposed) == before


def test_a_double_post_records_one_decision_and_the_second_sees_the_used_page(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.lpo_chief))
    fields = form_fields(client.get(page_url)) | bifall()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(page_url, fields)
        second = client.post(page_url, fields)
    assert first.status_code == 302
    assert second.status_code == 410
    assert "Länken har redan använts" in html(second)
    # The back button, then the link once more: the same.
    assert client.get(page_url).status_code == 410
    assert client.get(link_to(mailoutbox, people.lpo_chief)).status_code == 410
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.filter(action="decision_recorded").count() == 1


def test_a_post_racing_another_click_on_the_same_link_gets_the_used_page(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Two tabs: both hold the secret; the first tab's POST spends it.
    path = link_to(mailoutbox, people.lpo_chief)
    tab1, tab2 = Client(), Client()
    url1, url2 = open_link(tab1, path), open_link(tab2, path)
    fields2 = form_fields(tab2.get(url2)) | bifall(outcome=Outcome.AVSLAG)
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(tab1, url1, **bifall()).status_code == 302
        response = tab2.post(url2, fields2)
    assert response.status_code == 410
    assert "Länken har redan använts" in html(response)
    assert list(Decision.objects.values_list("outcome", flat=True)) == [Outcome.BIFALL]


def test_aterremiss_without_a_note_is_refused_at_the_field_and_keeps_the_input(
    proposed, people, mailoutbox
):
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.sekreterare))
    before = snapshot(proposed)
    response = confirm(
        client, page_url, **bifall(outcome=Outcome.ATERREMISS, diarienummer="KS 2023/99")
    )
    assert response.status_code == 400
    text = html(response)
    assert 'href="#id_note"' in text
    assert "Vid återremiss: skriv vad som ska göras om" in text
    assert 'value="KS 2023/99"' in text
    assert 'value="aterremiss"' in text and "checked" in text
    assert "<title>Fel: Registrera kommunens beslut" in text
    assert_accessible_basics(response)
    assert snapshot(proposed) == before
    # The outcome missing altogether: the summary links to the first radio button.
    response = confirm(client, page_url, outcome="")
    assert 'href="#id_outcome_0"' in html(response)


def test_a_person_whose_role_ended_is_refused_by_the_service_with_403(proposed, people, mailoutbox):
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.lpo_chief))
    page = client.get(page_url)
    # Veronica's role ends after she opened the page.
    RoleAssignment.objects.filter(person=people.lpo_chief).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.post(page_url, form_fields(page) | bifall(diarienummer="A-1"))
    assert response.status_code == 403
    text = html(response)
    assert "Den här uppgiften är inte din." in text
    assert "Du har inte längre en roll som får göra den här uppgiften." in text
    assert_accessible_basics(response)
    # The page itself says so too, without the form.
    response = client.get(page_url)
    assert response.status_code == 403
    assert '<form method="post" novalidate>' not in html(response)
    assert not Decision.objects.exists()
    assert token_of(link_to(mailoutbox, people.lpo_chief)).used_at is None


def test_logged_in_as_someone_else_the_page_says_whose_link_it_is(proposed, people, mailoutbox):
    from tests.conftest import login

    client = login(Client(), people.kommunpolis)
    response = client.get(open_link(client, link_to(mailoutbox, people.lpo_chief)))
    assert response.status_code == 403
    text = html(response)
    assert "Länken skickades till Veronica Ek, men du är inloggad som Karin Polis." in text
    assert 'name="outcome"' not in text


# -- guessing ------------------------------------------------------------------------------------


def test_too_many_unknown_links_from_one_address_are_429_but_a_good_link_still_works(
    proposed, people, mailoutbox, settings
):
    settings.LINK_FAILURES_PER_HOUR = 3
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert guesser.get(f"/l/{secrets.token_urlsafe(32)}/").status_code == 404
    response = guesser.get(f"/l/{secrets.token_urlsafe(32)}/")
    assert response.status_code == 429
    assert "För många försök" in html(response)
    assert "Vänta en timme" in html(response)
    assert response["Retry-After"] == "3600"
    # A valid link is never refused, from the same address either (an office
    # behind one address is not locked out by someone's truncated link).
    good = link_to(mailoutbox, people.lpo_chief)
    assert guesser.get(good).status_code == 303
    assert guesser.head(good).status_code == 303
    # An hour later the guesser's failures are forgotten.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert guesser.get(f"/l/{secrets.token_urlsafe(32)}/").status_code == 404


def test_the_failure_count_lives_in_redis_when_cache_url_says_so():
    from project.env import ConfigError, cache_settings

    assert cache_settings("redis://redis:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "KEY_PREFIX": "samverkan",
    }
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert cache_settings("") == cache_settings("locmem://") == local
    with pytest.raises(ConfigError):
        cache_settings("memcache://x")


def test_working_links_do_not_count_as_failures(proposed, people, mailoutbox, settings):
    settings.LINK_FAILURES_PER_HOUR = 1
    client = Client()
    good = link_to(mailoutbox, people.lpo_chief)
    for _ in range(5):
        assert client.get(good).status_code == 303
    assert AgreementState.PROPOSED == proposed.state


@pytest.mark.parametrize(
    "kommun, place",
    [
        ("Höörs kommun", "Höör"),
        ("Eslövs kommun", "Eslöv"),
        ("Kävlinge kommun", "Kävlinge"),
        ("Höganäs kommun", "Höganäs"),
        ("Borås Stad", "Borås"),
        ("Malmö stad", "Malmö"),
    ],
)
def test_the_signature_place_is_the_kommun_without_s_kommun(kommun, place):
    from workflows.vocabulary import place_of

    assert place_of(kommun) == place
