"""Logins are throttled per account and per address, with a cool-off; links are not."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN, ADMIN_LOGIN = "/konto/logga-in/", "/admin/login/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def attempt(client: Client, url: str, email: str, password: str):
    return client.post(url, {"username": email, "password": password})


def test_five_wrong_passwords_then_the_right_one_is_refused_with_a_swedish_page(people):
    client = Client()
    for _ in range(5):
        assert attempt(client, LOGIN, people.ks_chair.email, "fel-losenord").status_code == 200
    response = attempt(client, LOGIN, people.ks_chair.email, PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_after_the_cool_off_the_right_password_works(people):
    client = Client()
    for _ in range(6):
        attempt(client, LOGIN, people.ks_chair.email, "fel-losenord")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert attempt(client, LOGIN, people.ks_chair.email, PASSWORD).status_code == 302


def test_one_accounts_failures_do_not_lock_out_others_at_the_same_address(people):
    for _ in range(6):
        attempt(Client(REMOTE_ADDR="192.0.2.10"), LOGIN, people.ks_chair.email, "fel")
    colleague = Client(REMOTE_ADDR="192.0.2.10")
    assert attempt(colleague, LOGIN, people.sekreterare.email, PASSWORD).status_code == 302


def test_many_failures_from_one_address_are_throttled_across_accounts(people, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    guesser = Client(REMOTE_ADDR="192.0.2.66")
    for n in range(8):
        attempt(guesser, LOGIN, f"gissning{n}@kommun.test", "fel")
    assert attempt(guesser, LOGIN, people.sekreterare.email, PASSWORD).status_code == 429


def test_the_admin_login_is_throttled_the_same_way(db):
    get_user_model().objects.create_superuser("root@kommun.test", "root@kommun.test", PASSWORD)
    client = Client()
    for _ in range(5):
        attempt(client, ADMIN_LOGIN, "root@kommun.test", "fel")
    response = attempt(client, ADMIN_LOGIN, "root@kommun.test", PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()
