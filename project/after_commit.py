"""Work that waits for the transaction to commit: done in this process when no
broker is configured (the embedded default), by a Celery worker otherwise. The
outbox's sending and the sealing of a signed agreement both go this way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def after_commit(function: Callable[[Any], None], argument: Any) -> None:
    """``function(argument)`` once the transaction commits. robust: a failure is
    logged, and never turns the committed request into an error page."""

    def run() -> None:
        function(argument)

    # A named function, not a partial: Django logs a failed callback by __qualname__.
    run.__qualname__ = f"after_commit:{function.__module__}.{function.__qualname__}"
    transaction.on_commit(run, robust=True)


def run_or_publish(task, argument: Any, *, fallback: str) -> None:
    """Run the Celery ``task`` here without a broker, or publish it to a worker. A
    broker that is down is logged with ``fallback``, what picks the work up instead:
    the rows the work needs are committed either way."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task(argument)
        return
    try:
        task.apply_async((argument,))
    except Exception:
        logger.warning("Could not publish %s(%s); %s", task.name, argument, fallback)
