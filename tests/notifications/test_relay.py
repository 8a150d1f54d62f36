"""The relay: claims due rows, sends each once, retries with backoff, ends in a final state."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.models import OutboxEmail, Status
from notifications.services import email_send, outbox_relay
from tests.conftest import postgres_only

from .conftest import enqueue

START = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)
BROKEN = "tests.notifications.backends.BrokenBackend"


def test_running_the_relay_twice_sends_nothing_new(db, mailoutbox):
    enqueue(key="a")
    enqueue(key="b")

    assert outbox_relay() == 2
    assert outbox_relay() == 0
    assert sorted(m.to[0] for m in mailoutbox) == ['"Karin Polis" <karin@polisen.test>'] * 2
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_broken_mail_server_retries_with_backoff_then_gives_up(
    db, settings, time_machine, django_capture_on_commit_callbacks, mailoutbox, signals
):
    settings.EMAIL_BACKEND = BROKEN
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue()

    waits = []
    for attempt in range(1, 6):
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.PENDING, attempt)
        waits.append(email.next_attempt_at - timezone.now())
        time_machine.shift(waits[-1] - dt.timedelta(seconds=1))
        outbox_relay()
        assert OutboxEmail.objects.get().attempts == attempt  # not due yet: untouched
        time_machine.shift(dt.timedelta(seconds=1))
        outbox_relay()

    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 6)
    assert email.last_error == "SMTPServerDisconnected: Anslutningen till e-postservern bröts"
    assert signals.failed == [email] and signals.sent == []

    time_machine.shift(dt.timedelta(days=1))
    assert outbox_relay() == 0
    assert OutboxEmail.objects.get().status == Status.FAILED  # kept, never lost
    assert mailoutbox == []


def test_max_attempts_comes_from_settings(db, settings, signals):
    settings.EMAIL_BACKEND = BROKEN
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1

    email = enqueue()
    outbox_relay()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert signals.failed == [email]


def test_a_refused_address_fails_at_once_without_retries(db, settings, signals):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"

    email = enqueue()
    outbox_relay()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.last_error.startswith("SMTPRecipientsRefused")
    assert signals.failed == [email]


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_after_the_lease(
    db, time_machine, mailoutbox
):
    time_machine.move_to(START, tick=False)
    dead = enqueue(key="dead")
    OutboxEmail.objects.filter(pk=dead.pk).update(
        status=Status.SENDING, claimed_at=START - dt.timedelta(minutes=5, seconds=1), attempts=1
    )

    assert outbox_relay() == 1

    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_row_freshly_claimed_by_a_living_worker_is_left_alone(db, time_machine, mailoutbox):
    time_machine.move_to(START, tick=False)
    busy = enqueue(key="busy")
    OutboxEmail.objects.filter(pk=busy.pk).update(
        status=Status.SENDING, claimed_at=START - dt.timedelta(minutes=4, seconds=59), attempts=1
    )

    assert outbox_relay() == 0
    assert email_send(busy.pk) is False

    busy.refresh_from_db()
    assert (busy.status, busy.attempts) == (Status.SENDING, 1)
    assert mailoutbox == []


def test_a_row_not_yet_due_is_not_sent(db, time_machine, mailoutbox):
    time_machine.move_to(START, tick=False)
    later = enqueue()
    OutboxEmail.objects.filter(pk=later.pk).update(next_attempt_at=START + dt.timedelta(minutes=1))

    assert outbox_relay() == 0
    assert mailoutbox == []


def test_the_providers_message_id_and_status_are_stored(db, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"

    email = enqueue()
    outbox_relay()

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert (email.provider_message_id, email.provider_status) == ("0", "sent")


def test_the_relay_costs_three_queries_per_email(db, django_assert_num_queries):
    for key in ("a", "b", "c"):
        enqueue(key=key)

    # One to find due rows; per row: the claim, the read, the "sent" update.
    with django_assert_num_queries(1 + 3 * 3):
        assert outbox_relay() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_relays_running_at_once_in_threads_send_each_email_once():
    # Rows written directly: outside a transaction, enqueue would send them at once.
    emails = OutboxEmail.objects.bulk_create(
        OutboxEmail(to_email=f"person{n}@hoor.test", template="notifications/test_email", key=n)
        for n in range(30)
    )
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def relay() -> None:
        try:
            barrier.wait()
            counts.append(outbox_relay())
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == len(emails) == len(mail.outbox)
    assert len({message.to[0] for message in mail.outbox}) == len(emails)
    assert OutboxEmail.objects.filter(status=Status.SENT, attempts=1).count() == len(emails)
