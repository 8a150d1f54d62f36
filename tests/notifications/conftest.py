from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from notifications.models import OutboxEmail
from notifications.services import email_enqueue
from notifications.signals import email_failed, email_sent, email_undelivered

KARIN = {"to_email": "karin@polisen.test", "to_name": "Karin Polis"}


def enqueue(**overrides: object) -> OutboxEmail:
    """A real email through the real entry point, with a real template of this app."""
    arguments = {
        **KARIN,
        "language": "sv",
        "template": "notifications/test_email",
        "context": {"requested_by": "Sam Samordnare"},
        "key": "test/1",
        **overrides,
    }
    return email_enqueue(**arguments)


@pytest.fixture
def signals() -> Iterator[SimpleNamespace]:
    """Every email_sent, email_failed and email_undelivered sent during the test."""
    received = SimpleNamespace(sent=[], failed=[], undelivered=[])
    pairs = [(email_sent, received.sent), (email_failed, received.failed)]
    pairs.append((email_undelivered, received.undelivered))
    receivers = []
    for signal, log in pairs:

        def receiver(sender: object, email: OutboxEmail, log: list = log, **kw: object) -> None:
            log.append(email)

        signal.connect(receiver, weak=False)
        receivers.append((signal, receiver))
    yield received
    for signal, receiver in receivers:
        signal.disconnect(receiver)
