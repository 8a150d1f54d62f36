"""An email is a row before it is a message, and a message only after commit."""

import pytest
from django.db import transaction

from notifications.models import OutboxEmail, Status
from notifications.services import outbox_relay

from .conftest import enqueue


class Rollback(Exception):
    pass


def test_an_email_enqueued_in_a_transaction_that_rolls_back_is_never_sent(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            enqueue()
            raise Rollback

    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert outbox_relay() == 0
    assert mailoutbox == []


def test_an_email_enqueued_and_committed_is_sent_exactly_once(
    db, django_capture_on_commit_callbacks, mailoutbox, signals
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            email = enqueue(context={"requested_by": "Höör & Eslöv"})
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Testmeddelande från Samverkan"
    assert message.to == ['"Karin Polis" <karin@polisen.test>']
    assert message.from_email == "Samverkan <noreply@samverkan.localhost>"
    assert "Hej Karin Polis!" in message.body
    assert "Det skickades av Höör & Eslöv" in message.body  # plain text is not escaped
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Hej Karin Polis!</p>" in html
    assert "Det skickades av Höör &amp; Eslöv" in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 1, "")
    assert email.sent_at is not None and email.claimed_at is None
    assert signals.sent == [email]
    assert outbox_relay() == 0
    assert len(mailoutbox) == 1


def test_the_same_key_twice_keeps_one_row_and_sends_one_email(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = enqueue(key="agreement/7/proposal")
        second = enqueue(key="agreement/7/proposal", to_email="someone.else@hoor.test")

    assert second == first
    assert second.to_email == "karin@polisen.test"  # the first row wins, unchanged
    assert OutboxEmail.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1


def test_the_generic_reference_is_kept_for_display(db):
    email = enqueue(object_type="agreement", object_id=7)

    email.refresh_from_db()
    assert (email.object_type, email.object_id) == ("agreement", "7")


def test_an_unknown_language_is_refused_before_anything_is_written(db):
    with pytest.raises(ValueError, match="fi"):
        enqueue(language="fi")

    assert not OutboxEmail.objects.exists()


def test_a_batch_of_emails_costs_one_statement_and_repeated_keys_keep_their_first_row(
    db, django_capture_on_commit_callbacks, mailoutbox, django_assert_num_queries
):
    from notifications.services import Outgoing, emails_enqueue

    batch = [
        Outgoing(f"p{n}@kommun.test", f"Person {n}", "notifications/test_email", {}, f"k{n}")
        for n in range(6)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_num_queries(1):
            emails_enqueue(batch)
    assert len(mailoutbox) == 6
    with django_capture_on_commit_callbacks(execute=True):
        emails_enqueue(
            [
                *[Outgoing(f"ny{n}@kommun.test", "Ny", "notifications/test_email", {}, f"k{n}")
                  for n in range(3)],
                Outgoing("ny@kommun.test", "Ny", "notifications/test_email", {}, "k9"),
            ]
        )  # fmt: skip
    assert OutboxEmail.objects.count() == 7
    assert OutboxEmail.objects.get(key="k0").to_email == "p0@kommun.test"  # the first row
    assert [m.to[0] for m in mailoutbox[6:]] == ['"Ny" <ny@kommun.test>']  # only the new key
    assert sorted(m.to[0] for m in mailoutbox if "Person" in m.to[0]) == sorted(
        f'"Person {n}" <p{n}@kommun.test>' for n in range(6)
    )
