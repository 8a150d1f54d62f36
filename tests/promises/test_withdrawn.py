"""When the agreement ends (terminated or expired), a medborgarlöften round still
waiting on it ends too: its tasks closed, its links revoked, the people told."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from promises.services import rounds
from tests.promises.conftest import approve, create_set, links_to
from tests.workflows.conftest import in_force, proposed, signing, termination  # noqa: F401  (fixtures)
from workflows.models import ActionToken
from workflows.services import lifecycle


@pytest.fixture
def waiting(in_force, people, django_capture_on_commit_callbacks):  # noqa: F811
    """Promises of the agreement in force, proposed: the signatories have their links."""
    year = in_force.period_start.year
    promise_set = create_set(in_force, people.samordnare, first_year=year, last_year=year)
    with django_capture_on_commit_callbacks(execute=True):
        approve(promise_set, people.samordnare)
        approve(promise_set, people.kommunpolis)
    promise_set.refresh_from_db()
    assert promise_set.state == "proposed" and rounds.open_tasks(promise_set).count() == 2
    return promise_set


def assert_withdrawn(promise_set, people, mailoutbox, link: str) -> None:
    promise_set.refresh_from_db()
    assert promise_set.state == "withdrawn"
    assert not rounds.open_tasks(promise_set).exists()
    assert not ActionToken.objects.filter(
        kind__startswith="promises", used_at=None, revoked_at=None
    ).exists()
    assert Client().get(link).status_code == 410
    told = [m for m in mailoutbox if m.subject.startswith("Avbrutet, inget att göra")]
    assert sorted(m.to[0] for m in told) == sorted(
        f'"{p.name}" <{p.email}>'
        for p in (people.samordnare, people.kommunpolis, people.ks_chair, people.lpo_chief)
    )
    event = promise_set.agreement.events.get(action="promises_withdrawn")
    assert (event.from_state, event.to_state) == ("proposed", "withdrawn")


def test_terminating_the_agreement_ends_its_open_promise_round(
    waiting, people, mailoutbox, django_capture_on_commit_callbacks
):
    link = links_to(mailoutbox, people.ks_chair)[-1]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.agreement_terminate(
            agreement_id=waiting.agreement_id,
            person=people.lpo_chief,
            reason="Ny organisation.",
            ends_on=timezone.localdate(),
            decision=termination(police=True),
            channel="login",
        )
    assert_withdrawn(waiting, people, mailoutbox, link)


def test_expiry_ends_the_open_promise_round_too(
    waiting, people, mailoutbox, django_capture_on_commit_callbacks
):
    link = links_to(mailoutbox, people.lpo_chief)[-1]
    mailoutbox.clear()
    after = waiting.agreement.period_end + datetime.timedelta(days=1, hours=12)
    with time_machine.travel(after):
        with django_capture_on_commit_callbacks(execute=True):
            assert lifecycle.agreements_expire() == 1
        assert_withdrawn(waiting, people, mailoutbox, link)
