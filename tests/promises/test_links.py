"""Deciding and signing medborgarlöften from the e-mail links and the inbox, through
HTTP, with the links actually mailed."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from promises.models import Answer, PromiseAnswer, PromiseSetState
from tests.conftest import PASSWORD, login
from tests.promises.conftest import links_to, task_of
from tests.workflows.test_pages import assert_accessible_basics, html
from workflows.models import ActionToken, AuditEvent
from workflows.models.trail import Channel

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_failure_counts():
    cache.clear()
    yield
    cache.clear()


def open_link(client: Client, path: str):
    """Follow the link the way a browser does: /l/<token>/ → the confirm page."""
    response = client.get(path)
    assert response.status_code == 303
    return client.get(response["Location"]), response["Location"]


def post_form(client: Client, url: str, page, **data):
    """The form as the signatory sends it: signing, they type their own password."""
    if data.get("answer") == "signed":
        data.setdefault("password", PASSWORD)
    token = CSRF.search(html(page)).group(1)
    hashed = re.search(r'name="version_hash" value="([0-9a-f]{64})"', html(page)).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, "version_hash": hashed, **data})


def snapshot():
    return (
        AuditEvent.objects.count(),
        PromiseAnswer.objects.count(),
        ActionToken.objects.filter(used_at__isnull=False).count(),
    )


def test_from_proposal_to_published_through_the_email_links(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    # The KS-ordförande opens the link: the page shows the promises and the form.
    chair = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chair, links_to(mailoutbox, people.ks_chair)[0])
    assert page.status_code == 200
    assert confirm_url.startswith("/uppgift/")
    text = html(page)
    assert "Besluta och underteckna medborgarlöften" in text
    assert "Grannsamverkan mot brott" in text and "Blåljusdagar för årskurs 4" in text
    assert "Jag beslutar och undertecknar medborgarlöftena" in text
    assert "Skicka tillbaka till skribenterna" in text
    assert proposed_set.content_hash in text
    assert_accessible_basics(page)

    with django_capture_on_commit_callbacks(execute=True):
        done = post_form(
            chair, confirm_url, page, answer="signed", place="Höör", signed_on="2023-04-11"
        )
    assert done.status_code == 302
    receipt = chair.get(done["Location"])
    assert receipt.status_code == 200
    assert "Du har undertecknat" in html(receipt)
    assert "Höör den 11 april 2023" in html(receipt)
    assert "via länk i e-post" in html(receipt)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED
    assert any("Johan Svahnberg har undertecknat" in m.subject for m in mailoutbox)

    # The LPO-chef signs from their link, and the promises are published.
    chief = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chief, links_to(mailoutbox, people.lpo_chief)[0])
    assert "har undertecknat: Höör den 11 april 2023" in html(page)  # the other party
    with django_capture_on_commit_callbacks(execute=True):
        done = post_form(
            chief, confirm_url, page, answer="signed", place="Eslöv", signed_on="2023-04-11"
        )
    assert done.status_code == 302
    assert "löftena är publicerade" in html(chief.get(done["Location"]))
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    signed = AuditEvent.objects.filter(action="promises_signed").order_by("seq")
    assert [e.channel for e in signed] == [Channel.EMAIL_LINK, Channel.EMAIL_LINK]
    public = Client().get(reverse("promises:public_kommun", args=["hoor"]))
    assert "Grannsamverkan mot brott" in html(public)


def test_opening_a_link_changes_nothing(proposed_set, people, mailoutbox):
    before = snapshot()
    path = links_to(mailoutbox, people.ks_chair)[0]
    scanner = Client()
    assert scanner.head(path).status_code == 303
    page, confirm_url = open_link(scanner, path)
    assert page.status_code == 200
    assert scanner.get(confirm_url).status_code == 200
    assert scanner.head(confirm_url).status_code == 200
    assert snapshot() == before
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED


def test_sending_back_from_the_link_needs_a_reason_and_then_returns_the_promises(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    chief = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chief, links_to(mailoutbox, people.lpo_chief)[0])
    refused = post_form(chief, confirm_url, page, answer="returned", reason="")
    assert refused.status_code == 400
    assert "Skriv vad som behöver ändras" in html(refused)
    assert not PromiseAnswer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = post_form(chief, confirm_url, page, answer="returned", reason="Ta med buskörning.")
    assert done.status_code == 302
    assert "Löftena är skickade tillbaka" in html(chief.get(done["Location"]))
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.RETURNED
    assert PromiseAnswer.objects.get().answer == Answer.RETURNED

    # The KS-ordförande's link now says the task is over.
    chair = Client()
    closed = chair.get(links_to(mailoutbox, people.ks_chair)[0])
    assert closed.status_code == 410
    assert "Uppgiften är redan avslutad" in html(closed)


def test_the_confirm_page_puts_the_summary_and_the_form_before_the_whole_promises(
    proposed_set, people, mailoutbox
):
    """On a phone the action is near the top: what, by when, the promises' titles and
    the form first; the promises in full below, with a bar back to the form."""
    page, _url = open_link(Client(), links_to(mailoutbox, people.ks_chair)[0])
    text = html(page)
    summary, form = text.index('id="what-title"'), text.index('id="confirm-title"')
    whole = text.index('id="text-title"')
    assert summary < form < whole < text.index('class="sticky-action"')
    assert '<time datetime="2023-12-25">25 december 2023</time>' in text[summary:form]
    first = proposed_set.promises.order_by("position").first()
    assert f"<li>{first.title}</li>" in text[summary:form]


def test_a_link_works_once(proposed_set, people, mailoutbox):
    path = links_to(mailoutbox, people.ks_chair)[0]
    chair = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chair, path)
    post_form(chair, confirm_url, page, answer="signed", place="Höör", signed_on="2023-04-11")
    again = Client().get(path)
    assert again.status_code == 410
    assert "Länken har redan använts" in html(again)
    assert PromiseAnswer.objects.count() == 1


def test_signing_the_promises_needs_the_signatorys_own_password(proposed_set, people, mailoutbox):
    chair = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chair, links_to(mailoutbox, people.ks_chair)[0])
    before = snapshot()
    refused = post_form(
        chair, confirm_url, page, answer="signed", place="Höör", signed_on="2023-04-11",
        password="fel",
    )  # fmt: skip
    assert refused.status_code == 403
    assert "Lösenordet stämmer inte. Ingenting registrerades." in html(refused)
    assert snapshot() == before
    done = post_form(
        chair, confirm_url, page, answer="signed", place="Höör", signed_on="2023-04-11"
    )
    assert done.status_code == 302
    answer = PromiseAnswer.objects.get()
    assert (answer.identified_by, answer.identity_amr) == ("password", "pwd")
    event = AuditEvent.objects.get(action="promises_signed")
    assert event.details["identity"] == f"user:{people.ks_chair.user_id}"


def test_a_signature_from_the_link_is_refused_for_a_date_in_the_future(
    proposed_set, people, mailoutbox
):
    chair = Client(enforce_csrf_checks=True)
    page, confirm_url = open_link(chair, links_to(mailoutbox, people.ks_chair)[0])
    refused = post_form(
        chair, confirm_url, page, answer="signed", place="Höör", signed_on="2999-01-01"
    )
    assert refused.status_code == 400
    assert "Ange dagens datum eller ett tidigare datum" in html(refused)
    assert not PromiseAnswer.objects.exists()


# -- the inbox --------------------------------------------------------------------------


def test_the_inbox_lists_the_promise_task_and_signs_from_it(
    proposed_set, people, django_capture_on_commit_callbacks
):
    chair = login(Client(enforce_csrf_checks=True), people.ks_chair)
    inbox = chair.get(reverse("workflows:inbox"))
    task = task_of(proposed_set, "promises_ks")
    task_url = reverse("workflows:inbox_task", args=[task.pk])
    assert task_url in html(inbox)
    assert "Medborgarlöften 2023–2024" in html(inbox)
    assert "Inkorg (1" in html(inbox)

    page = chair.get(task_url)
    assert page.status_code == 200
    assert "Grannsamverkan mot brott" in html(page)
    with django_capture_on_commit_callbacks(execute=True):
        done = post_form(
            chair, task_url, page, answer="signed", place="Höör", signed_on="2023-04-11"
        )
    assert done.status_code == 302
    receipt = chair.get(done["Location"])
    assert "Du har undertecknat" in html(receipt)
    assert "inloggad" in html(receipt)
    assert task_url not in html(chair.get(reverse("workflows:inbox")))
    event = AuditEvent.objects.get(action="promises_signed")
    assert event.channel == Channel.LOGIN


def test_someone_else_cannot_open_the_promise_task(proposed_set, people):
    task = task_of(proposed_set, "promises_ks")
    url = reverse("workflows:inbox_task", args=[task.pk])
    for person in (people.lpo_chief, people.samordnare, people.outsider):
        assert login(Client(), person).get(url).status_code == 404
    assert task_of(proposed_set, "promises_lpo").pk not in [
        row["task"].pk
        for row in login(Client(), people.ks_chair).get(reverse("workflows:inbox")).context["rows"]
    ]


def test_a_signatory_who_prefers_english_gets_the_english_email_and_page(
    draft_set, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from tests.promises.conftest import approve

    people.lpo_chief.language = "en"
    people.lpo_chief.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        approve(draft_set, people.samordnare)
        approve(draft_set, people.kommunpolis)
    message = next(m for m in mailoutbox if people.lpo_chief.email in m.to[0])
    # due ESCALATE_AFTER_DAYS (10) after the story's today, 15 December 2023
    assert message.subject == (
        "Decision and signature by 25 December 2023: citizen promises 2023–2024, Höörs kommun"
    )
    assert "Karin Polis and Sam Samordnare are waiting for you" in message.body
    assert "Grannsamverkan mot brott" in message.body
    chief = Client()
    chief.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page, _url = open_link(chief, links_to(mailoutbox, people.lpo_chief)[0])
    assert "Decide on and sign citizen promises" in html(page)
    assert "I decide on and sign the citizen promises" in html(page)
    assert_accessible_basics(page, lang="en")


def test_a_finished_promise_link_tells_the_sets_own_state(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.promises.conftest import sign

    lpo_link = links_to(mailoutbox, people.lpo_chief)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        sign(proposed_set, "promises_ks", people.ks_chair)
        sign(proposed_set, "promises_lpo", people.lpo_chief)
    response = Client().get(lpo_link)
    assert response.status_code == 410
    text = html(response)
    assert "Medborgarlöftenas status nu: Beslutade och publicerade." in text
    assert "Överenskommelsens status nu" not in text
