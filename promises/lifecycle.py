"""The lifecycle of a medborgarlöften set, declared once (see workflows/statemachine.py).

The set's own states; its events go into the agreement's trail. The model's
django-fsm methods, the services' checks and the pages' questions come from here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.statemachine import (
    DECIDER,
    DRAFTER,
    FLOW,
    PARTY,
    PERIODIC,
    SIGNATORY,
    STAYS,
    Edge,
    Lifecycle,
    State,
)

EDITABLE = "editable"  # the drafters may change the promises
PUBLIC = "public"  # decided, signed and on the public page

STATES = (
    State("draft", _("Utkast"), "drafting", frozenset({EDITABLE})),
    State("proposed", _("Gemensamt förslag, inväntar beslut och underskrift"), "signing"),
    State("returned", _("Skickat tillbaka till skribenterna"), "drafting", frozenset({EDITABLE})),
    State("published", _("Beslutade och publicerade"), "none", frozenset({PUBLIC})),
    State("withdrawn", _("Avbrutna: överenskommelsen upphörde"), "none"),
)

_EDITABLE = ("draft", "returned")

EDGES = (
    Edge("create", (), "draft", (DRAFTER,), "promises_created",
         note="the drafters start a set for a period of the agreement"),
    Edge("register", (), "published", (DRAFTER,), "promises_registered", "promises_published",
         note="registered afterwards: decided and signed outside the product"),
    Edge("edit", ("draft",), STAYS, (DRAFTER,), "promises_changed", "promises_changed",
         note="a change voids earlier approvals"),
    Edge("reopen", ("returned",), "draft", (DRAFTER,), "promises_changed", "promises_changed",
         step="edit", note="a change after the set was sent back"),
    Edge("approve", _EDITABLE, STAYS, (DRAFTER,), "promises_approved", "promises_approved",
         note="one drafter approves the content"),
    Edge("propose", _EDITABLE, "proposed", (DRAFTER,), "promises_proposed", "promises_proposed",
         note="both drafters approved the same content"),
    Edge("sign", ("proposed",), STAYS, (SIGNATORY,), "promises_signed", "promises_answered",
         note="the KS-ordförande or the LPO-chef decides and signs"),
    Edge("send_back", ("proposed",), "returned", (SIGNATORY,), "promises_returned",
         "promises_answered", note="a signatory sends it back with a reason"),
    Edge("publish", ("proposed",), "published", (FLOW,), "promises_published",
         "promises_published", note="both signed"),
    Edge("withdraw", ("proposed",), "withdrawn", (PARTY, PERIODIC), "promises_withdrawn",
         "promises_withdrawn",
         note="the agreement was terminated or expired: the round ends, its links with it"),
    Edge("remind_task", ("proposed", "published"), STAYS, (PERIODIC,),
         "promises_task_reminder", note="a reminder with a fresh link"),
    Edge("escalate_task", ("proposed", "published"), STAYS, (PERIODIC,),
         "promises_task_escalated", "promises_task_escalated",
         note="the drafters learn whom a task waits on"),
    Edge("record_delegation_step", ("published",), STAYS, (DECIDER,),
         "promises_delegation_step", "promises_delegation_step",
         note="a delegated decision: its anmälan to the KS (the task), then laga kraft"),
    Edge("follow_up", ("published",), STAYS, (DRAFTER,), "promise_followed_up",
         "promise_followed_up", note="where one promise stands"),
    Edge("report", ("published",), STAYS, (DRAFTER,), "promises_reported",
         "promises_reported", note="the yearly report"),
)  # fmt: skip

PROMISE_SET = Lifecycle("promise_set", STATES, EDGES, initial="draft")
