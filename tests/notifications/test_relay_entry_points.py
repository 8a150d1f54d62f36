"""The relay runs from beat (Celery task) and from the command line (send_outbox)."""

from django.core.management import call_command

from notifications.models import Status
from notifications.tasks import relay_outbox
from project.celery import app

from .conftest import enqueue


def test_send_outbox_sends_what_is_due_and_says_how_much(db, mailoutbox, capsys):
    email = enqueue()

    call_command("send_outbox")

    assert capsys.readouterr().out == "Skickade 1 e-postmeddelanden.\n"
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(mailoutbox) == 1


def test_the_relay_task_sends_what_is_due(db, mailoutbox):
    enqueue()

    assert relay_outbox.delay().get() == 1
    assert relay_outbox.delay().get() == 0
    assert len(mailoutbox) == 1


def test_beat_runs_the_relay_every_30_seconds(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-relay-outbox"]

    assert entry["schedule"] == 30.0
    assert entry["task"] in app.tasks
