"""A signature is made by a person identified at that moment (issue 14): on the
embedded default, without an identity provider, the signatory types their own
password again on the signing page. Reading their mailbox is not enough."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import PASSWORD, _person, identified, login
from tests.workflows.conftest import task_of
from tests.workflows.test_links import confirm, link_to, open_link, snapshot
from workflows.models import IdentifiedBy, Role, Signature
from workflows.models.trail import Channel
from workflows.services import identity
from workflows.services.decisions import signature_add
from workflows.services.errors import DomainError


@pytest.fixture(autouse=True)
def _fresh_failure_counts():
    """Wrong passwords are counted in the cache with the logins: none carry over."""
    cache.clear()
    yield
    cache.clear()


def sign_by_link(mailoutbox, person, password, client=None):
    client = client or Client()
    page_url = open_link(client, link_to(mailoutbox, person))
    response = confirm(client, page_url, place="Höör", signed_on="2023-04-11", password=password)
    return client, page_url, response


def test_the_right_password_signs_and_the_trail_says_how_the_signatory_was_identified(
    signed_off, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client, _url, response = sign_by_link(mailoutbox, people.ks_chair, PASSWORD)
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert "Identifierad med lösenord i Samverkan (Samverkan)" in receipt
    signature = Signature.objects.get()
    assert (signature.identified_by, signature.identity_provider, signature.identity_amr) == (
        IdentifiedBy.PASSWORD,
        "Samverkan",
        "pwd",
    )
    assert signature.identity_subject == f"user:{people.ks_chair.user_id}"
    event = signed_off.events.get(action="signature_added")
    assert event.details["identified_by"] == "password"
    assert event.details["amr"] == ["pwd"]
    assert event.details["auth_time"] == signature.identified_at.isoformat()
    page = login(Client(), people.samordnare).get(f"/overenskommelser/{signed_off.pk}/")
    assert "Identifierad med lösenord i Samverkan" in page.content.decode()
    out = call_command_output("verify_trail")
    assert "OK" in out and "FEL" not in out


def call_command_output(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_wrong_password_records_nothing_and_the_link_still_works(signed_off, people, mailoutbox):
    before = snapshot(signed_off)
    client, page_url, response = sign_by_link(mailoutbox, people.ks_chair, "fel-losenord")
    assert response.status_code == 403
    assert "Lösenordet stämmer inte. Ingenting registrerades." in response.content.decode()
    assert snapshot(signed_off) == before
    # the same link, the right password
    again = confirm(client, page_url, place="Höör", signed_on="2023-04-11", password=PASSWORD)
    assert again.status_code == 302
    assert Signature.objects.get().person == people.ks_chair


def test_an_empty_password_is_asked_for_at_the_field(signed_off, people, mailoutbox):
    _client, _url, response = sign_by_link(mailoutbox, people.ks_chair, "")
    assert response.status_code == 400
    assert "Skriv ditt lösenord för att underteckna." in response.content.decode()
    assert not Signature.objects.exists()


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3)
def test_wrong_passwords_are_throttled_like_logins(signed_off, people, mailoutbox):
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    for _ in range(3):
        confirm(client, page_url, place="Höör", signed_on="2023-04-11", password="fel")
    response = confirm(client, page_url, place="Höör", signed_on="2023-04-11", password=PASSWORD)
    assert response.status_code == 403
    assert "För många fel lösenord" in response.content.decode()
    assert not Signature.objects.exists()
    # and the login form counts the same failures
    throttled = Client().post(
        "/konto/logga-in/", {"username": people.ks_chair.email, "password": PASSWORD}
    )
    assert throttled.status_code == 429


def test_a_signatory_without_a_password_is_shown_how_to_choose_one(signed_off, people, mailoutbox):
    user = people.ks_chair.user
    user.set_unusable_password()
    user.save()
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    page = client.get(page_url).content.decode()
    assert "Du har inget lösenord i Samverkan ännu." in page
    assert 'href="/konto/valj-losenord/"' in page
    response = confirm(client, page_url, place="Höör", signed_on="2023-04-11", password="x")
    assert response.status_code == 403
    assert "Du har inget lösenord i Samverkan. Välj ett först" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_substitute_signs_with_their_own_password_and_is_identified_as_themselves(
    signed_off, people, orgs, mailoutbox
):
    vice = _person(
        "Vera Vice", "vice@hoor.test", Role.KS_ORDFORANDE, orgs.hoor, substitute_for=people.ks_chair
    )
    substitute = vice.user
    substitute.set_password("vice-losenord-7")
    substitute.save()
    client = Client()
    client.login(username="vice@hoor.test", password="vice-losenord-7")
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    # the chair's password does not sign for the substitute who is logged in
    wrong = confirm(client, page_url, place="Höör", signed_on="2023-04-11", password=PASSWORD)
    assert wrong.status_code == 403
    right = confirm(
        client, page_url, place="Höör", signed_on="2023-04-11", password="vice-losenord-7"
    )
    assert right.status_code == 302
    signature = Signature.objects.get()
    assert signature.person == vice
    assert signature.identity_subject == f"user:{substitute.pk}"


def service_sign(agreement, person, identification, channel=Channel.LOGIN):
    return signature_add(
        task_id=task_of(agreement, "ks_signature").pk,
        person=person,
        version_hash=agreement.latest_version().content_hash,
        place="Höör",
        signed_on=agreement.latest_version().created_at.date(),
        channel=channel,
        identification=identification,
    )


def test_the_service_refuses_an_identification_of_someone_else(signing, people):
    with pytest.raises(DomainError, match="en annan person än den som undertecknar"):
        service_sign(signing, people.ks_chair, identified(people.lpo_chief))
    assert not Signature.objects.exists()


def test_the_demo_loaders_unidentified_signature_is_refused_outside_the_command_line(
    signing, people
):
    unidentified = identity.by_command(people.ks_chair)
    with pytest.raises(DomainError, match="kräver att du identifierar dig"):
        service_sign(signing, people.ks_chair, unidentified, Channel.EMAIL_LINK)
    assert not Signature.objects.exists()
