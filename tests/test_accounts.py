"""Logins for a real installation (issue 11, "People"): the e-mail address is the
login, an administrator creates a person with their roles in one form, the person
chooses a password from a link in an e-mail, and a command makes the first
administrator."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications.models import OutboxEmail
from tests.conftest import PASSWORD, login
from workflows.models import Person, RoleAssignment

LINK = re.compile(r"https?://[^/\s]+(/konto/valj-losenord/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "ett-langt-nytt-losenord-7"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def choose_password(client, path: str, password: str = NEW_PASSWORD):
    """Open the link from the e-mail and choose a password, as a person would."""
    opened = client.get(path)
    assert opened.status_code == 302  # Django hides the token from the address bar
    form = client.get(opened.url)
    assert "Välj lösenord" in form.content.decode()
    return client.post(opened.url, {"new_password1": password, "new_password2": password})


def test_the_login_form_asks_for_the_e_mail_address_in_any_case(people, client):
    page = client.get(reverse("login")).content.decode()
    assert "E-postadress" in page and 'type="email"' in page
    assert reverse("password_reset") in page
    done = client.post(
        reverse("login"), {"username": people.ks_chair.email.upper(), "password": PASSWORD}
    )
    assert done.status_code == 302


def test_a_person_chooses_a_password_from_the_link_and_logs_in(people, mailoutbox, settings):
    person = people.ks_chair
    client = Client()
    sent = client.post(reverse("password_reset"), {"email": person.email})
    assert sent.status_code == 302 and sent.url == reverse("password_reset_done")
    (mail,) = mailoutbox
    assert mail.to == [person.email] and "välj lösenord" in mail.subject
    (path,) = LINK.findall(mail.body)
    # Sent straight to the mail server: no outbox row holds the live link.
    assert not OutboxEmail.objects.exists()
    assert mail.body.startswith("Hej!") and f"{settings.SITE_URL}/konto/" in mail.body
    done = choose_password(client, path)
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert Client().login(username=person.email, password=NEW_PASSWORD)
    # The link is used up.
    again = Client().get(path, follow=True).content.decode()
    assert "Länken fungerar inte längre" in again


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(db, mailoutbox, client):
    sent = client.post(reverse("password_reset"), {"email": "ingen@kommun.test"})
    assert sent.status_code == 302 and sent.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_short_password_is_refused_and_nothing_changes(people, mailoutbox, client):
    client.post(reverse("password_reset"), {"email": people.samordnare.email})
    (path,) = LINK.findall(mailoutbox[0].body)
    refused = choose_password(client, path, "elva-tecken")  # 11 characters
    assert refused.status_code == 200 and "Lösenordet sparades inte" in refused.content.decode()
    assert Client().login(username=people.samordnare.email, password=PASSWORD)


def test_asking_for_links_is_limited_per_address(people, mailoutbox, settings, client):
    settings.PASSWORD_LINKS_PER_HOUR = 3
    for _ in range(3):
        assert (
            client.post(reverse("password_reset"), {"email": people.ks_chair.email}).status_code
            == 302
        )
    refused = client.post(reverse("password_reset"), {"email": people.ks_chair.email})
    assert refused.status_code == 429 and len(mailoutbox) == 3
    assert "För många länkar på kort tid" in refused.content.decode()


def test_the_administrator_creates_a_person_with_roles_and_they_get_a_link(
    people, orgs, client, mailoutbox
):
    admin = get_user_model().objects.create_superuser(
        "root@samverkan.test", "root@samverkan.test", PASSWORD
    )
    client.force_login(admin)
    add = reverse("admin:workflows_person_add")
    form = client.get(add).content.decode()
    assert 'name="user"' not in form and 'name="email"' in form
    prefix = "assignments"
    created = client.post(
        add,
        {
            "name": "Maja Ny",
            "email": "Maja.Ny@Hoor.test",
            "language": "sv",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-role": "trygghetssamordnare",
            f"{prefix}-0-organisation": orgs.hoor.pk,
            f"{prefix}-0-title": "Trygghetssamordnare",
            f"{prefix}-0-valid_from": "2023-01-01",
            f"{prefix}-0-substitute_for": people.samordnare.pk,
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    person = Person.objects.get(email="maja.ny@hoor.test")
    assert person.user.username == "maja.ny@hoor.test" and not person.user.has_usable_password()
    role = RoleAssignment.objects.get(person=person)
    assert role.organisation == orgs.hoor and role.substitute_for == people.samordnare
    (mail,) = [m for m in mailoutbox if m.to == ["maja.ny@hoor.test"]]
    (path,) = LINK.findall(mail.body)
    choose_password(Client(), path)
    assert Client().login(username="maja.ny@hoor.test", password=NEW_PASSWORD)


def test_the_first_administrator_is_made_by_a_command(db, mailoutbox):
    out = io.StringIO()
    call_command(
        "create_admin", "--email", "Anna.Admin@Kommun.test", "--name", "Anna Admin", stdout=out
    )
    text = out.getvalue()
    assert "Skapade Anna Admin <anna.admin@kommun.test>." in text
    (path,) = LINK.findall(text)
    client = Client()
    choose_password(client, path)
    assert client.login(username="anna.admin@kommun.test", password=NEW_PASSWORD)
    assert client.get(reverse("admin:workflows_person_changelist")).status_code == 200
    assert mailoutbox == []  # the link is printed, not mailed


def test_the_command_refuses_a_bad_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ogiltig e-postadress"):
        call_command(
            "create_admin", "--email", "inte-en-adress", "--name", "X", stdout=io.StringIO()
        )
    assert not Person.objects.exists()


def test_logging_in_still_works_for_people_made_from_e_mail_links(people):
    client = login(Client(), people.lpo_chief)
    assert client.get(reverse("workflows:agreement_list")).status_code == 200


def test_the_readme_and_bin_run_give_the_command_that_works(db):
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (line,) = [
        line
        for line in (root / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("bin/manage create_admin")
    ]
    assert "create_admin" in (root / "bin/run").read_text(encoding="utf-8")
    out = io.StringIO()
    call_command(*shlex.split(line)[1:], stdout=out)
    assert LINK.findall(out.getvalue())
