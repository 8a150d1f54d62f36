"""Where other packages plug into the agreement's machinery, declared in one place.

Medborgarlöften add to these from ``promises/registry.py`` (``PromisesConfig.ready``);
workflows itself imports nothing from them. The other plug points are declared
beside what they extend: ``trail_actions.declare`` (trail actions and their words),
``trail_records.RECORD_SOURCES`` (records the verifiers check),
``views.tasks.register_task_pages`` and ``selectors.TASK_SOURCES`` (task pages and
the inbox).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Periodic jobs run after the agreement's own (run_periodic, Celery beat): name → job
# returning how many things it did.
PERIODIC_JOBS: dict[str, Callable[[], int]] = {}

# Demo data loaded after the agreements' (load_demo): each is called with stdout=.
DEMO_LOADERS: list[Callable[..., Any]] = []

# Called in the transaction, under the agreement's lock, when an agreement stops
# applying (terminated or expired): what hangs on it ends with it.
AGREEMENT_ENDED: list[Callable[[Any], None]] = []

# The templates of e-mails that carry a task's link: when one fails for good, the
# drafters are told (workflows/receivers.py), whichever subject the task is about.
TASK_LINK_TEMPLATES: set[str] = {"workflows/email/task_link"}
