"""No usable link at rest, and whoever is logged in is who acts.

The raw tokens are read from the e-mails actually sent; the outbox rows, the
session table and the admin's outbox pages are then searched for any of them,
after sending, after a mail scanner's GET and HEAD, and after a person acts.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from notifications.models import OutboxEmail
from tests.conftest import PASSWORD, login
from tests.workflows.test_links import (  # noqa: F401  (the autouse fixture too)
    _fresh_failure_counts,
    bifall,
    confirm,
    html,
    link_to,
    links_to,
    open_link,
)
from workflows.models import ActionToken, AuditEvent, Decision, Person, RoleAssignment

RAW = re.compile(r"/l/([\w-]+)/")


def raw_tokens(mailoutbox) -> set[str]:
    found = {raw for message in mailoutbox for raw in RAW.findall(message.body)}
    assert found, "no link was mailed"
    return found


def everything_at_rest(admin: Client) -> str:
    """Every outbox row and session row as text, and the admin's outbox pages."""
    rows = [json.dumps(list(OutboxEmail.objects.values()), default=str)]
    for session in Session.objects.all():
        rows.append(session.session_key + json.dumps(session.get_decoded(), default=str))
    rows.append(json.dumps(list(ActionToken.objects.values()), default=str))
    rows.append(html(admin.get(reverse("admin:notifications_outboxemail_changelist"))))
    for pk in OutboxEmail.objects.values_list("pk", flat=True):
        page = admin.get(reverse("admin:notifications_outboxemail_change", args=[pk]))
        assert page.status_code == 200
        rows.append(html(page))
    return "\n".join(rows)


@pytest.fixture
def admin(db) -> Client:
    get_user_model().objects.create_superuser("root@kommun.test", "root@kommun.test", PASSWORD)
    client = Client()
    assert client.login(username="root@kommun.test", password=PASSWORD)
    return client


def test_no_outbox_row_session_or_admin_page_holds_a_usable_link(
    proposed, people, mailoutbox, admin, django_capture_on_commit_callbacks
):
    tokens = raw_tokens(mailoutbox)
    assert OutboxEmail.objects.filter(template__endswith="task_link", status="sent").exists()
    at_rest = everything_at_rest(admin)
    assert not [raw for raw in tokens if raw in at_rest]

    # A mail scanner opens every link (GET, then the page it redirects to, and HEAD).
    sessions = Session.objects.count()  # the administrator's own
    scanner = Client()
    for path in links_to(mailoutbox, people.sekreterare) + links_to(mailoutbox, people.lpo_chief):
        scanner.head(path)
        scanner.get(scanner.get(path)["Location"])
    assert Session.objects.count() == sessions

    # A person acts on one of them.
    client = Client()
    path = link_to(mailoutbox, people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, open_link(client, path), **bifall())
    assert response.status_code == 302
    tokens |= raw_tokens(mailoutbox)
    at_rest = everything_at_rest(admin)
    assert not [raw for raw in tokens if raw in at_rest]


def test_the_link_is_rendered_when_the_email_is_and_the_row_keeps_only_a_reference(
    proposed, people, mailoutbox
):
    row = OutboxEmail.objects.get(
        template="workflows/email/task_link", to_email=people.lpo_chief.email
    )
    assert "link" not in row.context
    resolver, token_pk = row.context["_at_send"]["link"]
    assert resolver == "workflows.task_link"
    (raw,) = RAW.findall(next(m.body for m in mailoutbox if people.lpo_chief.email in m.to[0]))
    token = ActionToken.objects.get(pk=token_pk)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in token.nonce


def test_failed_look_ups_are_counted_per_token_prefix_too(proposed, people, mailoutbox, settings):
    settings.LINK_FAILURES_PER_HOUR = 3
    prefix = "abcdef"
    for n in range(3):
        guess = prefix + secrets.token_urlsafe(32)[6:]
        assert Client(REMOTE_ADDR=f"203.0.113.{n}").get(f"/l/{guess}/").status_code == 404
    guess = prefix + secrets.token_urlsafe(32)[6:]
    refused = Client(REMOTE_ADDR="203.0.113.99").get(f"/l/{guess}/")
    assert refused.status_code == 429
    assert "För många försök" in html(refused)
    # the real link from the same address still works
    good = link_to(mailoutbox, people.lpo_chief)
    assert Client(REMOTE_ADDR="203.0.113.99").get(good).status_code == 303


# -- who acted is who is recorded ------------------------------------------------------------


@pytest.fixture
def stand_in(people, orgs) -> Person:
    user = get_user_model().objects.create_user(
        username="helena@polisen.test", email="helena@polisen.test", password=PASSWORD
    )
    person = Person.objects.create(user=user, name="Helena Strand", email="helena@polisen.test")
    RoleAssignment.objects.create(
        person=person,
        role="lpo_chef",
        organisation=orgs.lpo,
        title="Ställföreträdande lokalpolisområdeschef",
        valid_from=datetime.date(2020, 1, 1),
        substitute_for=people.lpo_chief,
    )
    return person


def test_a_substitute_logged_in_acts_from_the_holders_link_as_themselves_for_the_holder(
    proposed, people, mailoutbox, stand_in, django_capture_on_commit_callbacks
):
    client = login(Client(), stand_in)
    page = open_link(client, link_to(mailoutbox, people.lpo_chief))
    text = html(client.get(page))
    assert "Länken skickades till Veronica Ek. Du är inloggad som Helena Strand" in text
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, page, **bifall())
    assert done.status_code == 302
    event = AuditEvent.objects.get(action="decision_recorded")
    assert (event.actor, event.on_behalf_of) == (stand_in, people.lpo_chief)
    assert Decision.objects.get().recorded_by == stand_in
    receipt = client.get(done["Location"])
    assert receipt.status_code == 200 and "Bifall" in html(receipt)


def test_someone_else_logged_in_cannot_act_from_a_link_and_nothing_is_recorded(
    proposed, people, mailoutbox
):
    client = login(Client(), people.kommunpolis)
    page = open_link(client, link_to(mailoutbox, people.lpo_chief))
    response = client.post(page, {**bifall(), "version_hash": "x"})
    assert response.status_code == 403
    assert "Länken skickades till Veronica Ek" in html(response)
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="decision_recorded").exists()


def test_the_recipient_logged_in_acts_as_before(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(Client(), people.lpo_chief)
    page = open_link(client, link_to(mailoutbox, people.lpo_chief))
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, page, **bifall()).status_code == 302
    event = AuditEvent.objects.get(action="decision_recorded")
    assert (event.actor, event.on_behalf_of) == (people.lpo_chief, None)


def test_a_person_throttled_at_the_login_can_still_act_from_a_valid_link(
    proposed, people, mailoutbox
):
    client = Client()
    for _ in range(6):
        client.post("/konto/logga-in/", {"username": people.lpo_chief.email, "password": "fel"})
    login = client.post(
        "/konto/logga-in/", {"username": people.lpo_chief.email, "password": PASSWORD}
    )
    assert login.status_code == 429
    assert client.get(link_to(mailoutbox, people.lpo_chief)).status_code == 303
