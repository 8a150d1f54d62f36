"""Signing through an OpenID Connect provider (issue 14), against a real one: the
npm package oidc-provider, started on loopback (tests/oidc_provider/; bin/test
installs it with npm ci). Only its login screen is a stand-in: the test says who
logs in, with which acr and amr, how long ago, or that they cancelled.

These run on the real clock: the provider signs its tokens with the real time."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import _person, login, postgres_only
from tests.oidc import LOA2, LOA3, at_provider, bind
from tests.workflows.test_links import form_fields, link_to, open_link
from workflows.models import IdentifiedBy, IdentityEvent, PersonIdentity, Role, Signature

pytestmark = [pytest.mark.real_clock]


def sign_with_e_id(client, issuer, page_url, login: dict | None):
    """Underteckna → the provider → back: the callback's response."""
    page = client.get(page_url)
    fields = form_fields(page) | {"place": "Höör", "signed_on": timezone.localdate().isoformat()}
    started = client.post(page_url, fields)
    assert started.status_code == 302, started.content.decode()[:500]
    assert started["Location"].startswith(f"{issuer}/auth?")
    query = dict(p.split("=", 1) for p in urlsplit(started["Location"]).query.split("&"))
    assert query["prompt"] == "login" and query["max_age"] == "300"
    return client.get(at_provider(issuer, started["Location"], login)), fields


def test_the_right_person_signs_after_identifying_with_e_id(
    oidc, signed_off, people, mailoutbox, django_capture_on_commit_callbacks
):
    bind(people.ks_chair, "chair-1", oidc)
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(
        client, oidc, page_url, {"sub": "chair-1", "acr": LOA3, "amr": "bankid"}
    )
    assert back.status_code == 302 and back["Location"] == page_url
    page = client.get(page_url).content.decode()
    assert "Du är identifierad som Johan Svahnberg med e-legitimation" in page
    assert not Signature.objects.exists()  # identifying signs nothing by itself
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(page_url, fields)
    assert done.status_code == 302
    signature = Signature.objects.get()
    assert signature.person == people.ks_chair
    assert (signature.identified_by, signature.identity_provider) == (IdentifiedBy.E_ID, oidc)
    assert (signature.identity_acr, signature.identity_amr) == (LOA3, "bankid")
    assert signature.identity_subject == "sub:chair-1"
    assert abs((timezone.now() - signature.identified_at).total_seconds()) < 60
    event = signed_off.events.get(action="signature_added")
    assert event.details["acr"] == LOA3 and event.details["amr"] == ["bankid"]
    assert event.details["identity"] == "sub:chair-1"
    trail = login(Client(), people.auditor).get(f"/overenskommelser/{signed_off.pk}/beslutsspar/")
    assert "Identifierad med" in trail.content.decode()
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert "OK" in out.getvalue() and "FEL" not in out.getvalue()


def test_a_registered_substitute_signs_as_themselves(oidc, signed_off, people, orgs, mailoutbox):
    vice = _person(
        "Vera Vice", "vice@hoor.test", Role.KS_ORDFORANDE, orgs.hoor, substitute_for=people.ks_chair
    )
    bind(vice, "vice-7", oidc)
    client = login(Client(), vice)
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(client, oidc, page_url, {"sub": "vice-7", "acr": LOA3})
    assert back.status_code == 302
    assert client.post(page_url, fields).status_code == 302
    signature = Signature.objects.get()
    assert (signature.person, signature.identity_subject) == (vice, "sub:vice-7")


@pytest.mark.parametrize(
    ("login", "words"),
    [
        ({"sub": "chief-2", "acr": LOA3}, "en annan person än den som ska underteckna"),
        (None, "Identifieringen avbröts"),
        ({"sub": "chair-1", "acr": LOA3, "age": "900"}, "inte gjord just nu"),
        ({"sub": "chair-1", "acr": LOA2}, "inte den tillitsnivå som krävs"),
        ({"sub": "nobody-9", "acr": LOA3}, "inte kopplad till någon person"),
    ],
    ids=["wrong person", "cancelled", "stale", "acr ignored", "not bound"],
)
def test_a_refused_identification_records_nothing_and_says_why(
    oidc, signed_off, people, mailoutbox, login, words
):
    bind(people.ks_chair, "chair-1", oidc)
    bind(people.lpo_chief, "chief-2", oidc)
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(client, oidc, page_url, login)
    assert back.status_code == 403
    assert words in back.content.decode()
    assert f'href="{page_url}"' in back.content.decode()
    # Nothing recorded; confirming again goes back to the provider, it does not sign.
    again = client.post(page_url, fields)
    assert again.status_code == 302 and again["Location"].startswith(oidc)
    assert not Signature.objects.exists()


def test_a_person_binds_their_e_id_once_by_identifying_while_logged_in(
    oidc, signed_off, people, mailoutbox
):
    chair = login(Client(), people.ks_chair)
    assert "Koppla min e-legitimation" in chair.get("/konto/e-legitimation/").content.decode()
    started = chair.post("/konto/e-legitimation/")
    back = chair.get(at_provider(oidc, started["Location"], {"sub": "chair-new", "acr": LOA3}))
    assert back.status_code == 302 and back["Location"] == "/konto/e-legitimation/"
    binding = PersonIdentity.objects.get()
    assert (binding.person, binding.issuer, binding.subject) == (people.ks_chair, oidc, "chair-new")
    # the identity trail: who bound which identity, hash-chained
    event = IdentityEvent.objects.get()
    assert (event.person, event.identity, event.bound_by) == (
        people.ks_chair,
        "sub:chair-new",
        people.ks_chair.user_id,
    )
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert "OK 1 e-ID bindings" in out.getvalue()
    assert "Din e-legitimation är kopplad sedan" in chair.get(back["Location"]).content.decode()
    # and it signs
    page_url = open_link(chair, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(chair, oidc, page_url, {"sub": "chair-new", "acr": LOA3})
    assert back.status_code == 302
    assert chair.post(page_url, fields).status_code == 302
    assert Signature.objects.get().identity_subject == "sub:chair-new"


def test_a_person_bound_by_a_keyed_hmac_of_their_number_signs_and_the_number_is_not_stored(
    oidc, settings, signed_off, people, mailoutbox
):
    """Bound by the personal identity number the provider reports: only its keyed
    HMAC is kept (a plain hash could be reversed by trying every number)."""
    import hashlib

    from workflows.services.oidc import number_hmac

    settings.IDENTITY_NUMBER_KEY = "nyckel-utanfor-databasen"
    number = "199001011234"
    PersonIdentity.objects.create(
        person=people.ks_chair, issuer=oidc, number_hmac=number_hmac("19900101-1234")
    )
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(client, oidc, page_url, {"sub": f"pnr-{number}", "acr": LOA3})
    assert back.status_code == 302
    assert client.post(page_url, fields).status_code == 302
    signature = Signature.objects.get()
    assert signature.identity_subject == f"pnr-hmac:{number_hmac(number)}"
    assert hashlib.sha256(number.encode()).hexdigest() not in signature.identity_subject
    event = signed_off.events.get(action="signature_added")
    stored = str(event.details) + str(list(PersonIdentity.objects.values()))
    assert number not in stored and "19900101-1234" not in stored


def test_an_administrator_binds_a_signatory_by_number_and_only_its_hmac_is_stored(
    oidc, settings, signed_off, people, mailoutbox
):
    from tests.conftest import PASSWORD
    from workflows.services.oidc import number_hmac

    settings.IDENTITY_NUMBER_KEY = "nyckel-utanfor-databasen"
    get_user_model().objects.create_superuser("root@kommun.test", "root@kommun.test", PASSWORD)
    admin = Client()
    assert admin.login(username="root@kommun.test", password=PASSWORD)
    added = admin.post(
        "/admin/workflows/personidentity/add/",
        {"person": people.ks_chair.pk, "issuer": oidc, "subject": "", "number": "19900101-1234"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    binding = PersonIdentity.objects.get()
    assert binding.number_hmac == number_hmac("199001011234") and binding.subject == ""
    root = get_user_model().objects.get(username="root@kommun.test")
    assert IdentityEvent.objects.get().bound_by == root.pk
    listed = admin.get("/admin/workflows/personidentity/").content.decode()
    assert "personnummer (HMAC)" in listed and "19900101" not in listed
    client = Client()
    page_url = open_link(client, link_to(mailoutbox, people.ks_chair))
    back, fields = sign_with_e_id(client, oidc, page_url, {"sub": "pnr-199001011234", "acr": LOA3})
    assert back.status_code == 302
    assert client.post(page_url, fields).status_code == 302
    assert Signature.objects.get().person == people.ks_chair


def test_a_changed_binding_event_breaks_the_identity_trail(people, orgs):
    """The bindings' own trail is a hash chain: a row changed afterwards by the table's
    owner (past PostgreSQL's append-only trigger) is caught by verify_trail."""
    from django.core.management.base import CommandError

    from tests.audit.conftest import tamper
    from workflows.services import identity

    identity.bind(people.ks_chair, "https://idp.example", "sub:a", bound_by=1)
    identity.bind(people.lpo_chief, "https://idp.example", "sub:b", bound_by=1)
    tamper("UPDATE workflows_identityevent SET identity = %s WHERE seq = 1", "sub:someone-else")
    with pytest.raises(CommandError, match="kopplingshändelse 1 stämmer inte"):
        call_command("verify_trail", stdout=io.StringIO())


@postgres_only
def test_the_identity_trail_refuses_changes_on_postgresql(people):
    from django.db import DatabaseError, transaction

    from workflows.services import identity

    identity.bind(people.ks_chair, "https://idp.example", "sub:a", bound_by=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IdentityEvent.objects.filter(seq=1).update(identity="sub:someone-else")
