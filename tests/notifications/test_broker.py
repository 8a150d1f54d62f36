"""With a broker: the task is published after commit, and a dead broker loses nothing."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from celery import Celery

from notifications.models import OutboxEmail, Status
from notifications.services import outbox_relay
from notifications.tasks import send_email
from project.celery import app as project_app

from .conftest import enqueue

REDIS_TEST_DB = "redis://127.0.0.1:6379/15"


@contextmanager
def broker(url: str) -> Iterator[Celery]:
    """The project's Celery settings with a real broker, made current for the duration."""
    app = Celery("samverkan-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=url, task_always_eager=False)
    app.set_current()
    try:
        yield app
    finally:
        project_app.set_current()
        app.close()


def redis_is_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_TEST_DB, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def with_broker(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_with_a_dead_broker_the_request_succeeds_and_the_relay_sends_later(
    db, with_broker, django_capture_on_commit_callbacks, mailoutbox, caplog
):
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        with django_capture_on_commit_callbacks(execute=True):
            email = enqueue()

    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert mailoutbox == []
    assert "the relay will send it" in caplog.text

    assert outbox_relay() == 1
    assert len(mailoutbox) == 1


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_a_broker_the_send_task_is_published_after_commit(
    db, with_broker, django_capture_on_commit_callbacks, mailoutbox
):
    queue = redis.Redis.from_url(REDIS_TEST_DB)
    queue.delete("celery")
    try:
        with broker(REDIS_TEST_DB):
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                email = enqueue()
            assert queue.llen("celery") == 0  # not before the commit
            callbacks[0]()
        published = [queue.lpop("celery") for _ in range(queue.llen("celery"))]
    finally:
        queue.delete("celery")

    headers = [json.loads(message)["headers"] for message in published]
    assert [(h["task"], h["argsrepr"]) for h in headers] == [
        ("notifications.tasks.send_email", f"({email.pk},)")
    ]
    assert mailoutbox == []  # a worker sends it, not the request

    assert send_email(email.pk) is True  # what the worker runs
    assert len(mailoutbox) == 1
    assert OutboxEmail.objects.get().status == Status.SENT


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_a_transitions_emails_are_published_as_one_task_after_commit(
    db, with_broker, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.services import Outgoing, emails_enqueue
    from notifications.tasks import send_emails

    queue = redis.Redis.from_url(REDIS_TEST_DB)
    queue.delete("celery")
    batch = [
        Outgoing(f"p{n}@kommun.test", f"Person {n}", "notifications/test_email", {}, f"b{n}")
        for n in range(5)
    ]
    try:
        with broker(REDIS_TEST_DB):
            with django_capture_on_commit_callbacks(execute=True):
                emails_enqueue(batch)
        published = [queue.lpop("celery") for _ in range(queue.llen("celery"))]
    finally:
        queue.delete("celery")

    pks = sorted(OutboxEmail.objects.values_list("pk", flat=True))
    headers = [json.loads(message)["headers"] for message in published]
    assert [(h["task"], h["argsrepr"]) for h in headers] == [
        ("notifications.tasks.send_emails", f"({pks},)")
    ]
    assert mailoutbox == []
    assert send_emails(pks) == 5  # what the worker runs
    assert len(mailoutbox) == 5
