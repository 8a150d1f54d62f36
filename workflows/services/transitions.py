"""The one transition runner: every service takes its declared edge through ``take``.

The ritual is the same for every edge of the agreement's lifecycle: under the
agreement's row lock (the caller holds it), re-check that the declaration allows
the step from the state the row has now, change the state through the generated
django-fsm method, save, write the trail event, and write the outbox rows of the
edge's e-mail event, all in the caller's transaction. A service keeps only what is
particular to it: who the person is, the rows it creates, the flow's next step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from ..agreement_lifecycle import AGREEMENT
from ..models import Agreement, AuditEvent
from ..statemachine import Edge, Lifecycle
from . import notify
from .actors import Actor
from .errors import WrongState
from .trail import event_record


def edge_or_refuse(
    document: models.Model, step: str, refusal: str = "", lifecycle: Lifecycle = AGREEMENT
) -> Edge:
    """The declared edge ``step`` takes from the document's state now, or WrongState."""
    edge = lifecycle.edge_for(document, step)
    if edge is None:
        raise WrongState(
            refusal
            or _("Det går inte nu: överenskommelsen är %(state)s.")
            % {"state": document.get_state_display().lower()}
        )
    return edge


def take(
    agreement: Agreement,
    step: str,
    actor: Actor,
    *,
    obj: models.Model | None = None,
    version_hash: str | None = None,
    details: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
    refusal: str = "",
    notice: dict[str, Any] | None = None,
    subject: Any = None,
    edge: Edge | None = None,
    document: models.Model | None = None,
    lifecycle: Lifecycle = AGREEMENT,
    mail: dict[str, Callable] | None = None,
) -> AuditEvent:
    """Take ``step`` on the locked ``agreement`` as ``actor``; returns the trail event.

    ``fields``: other columns the service changed on the document, saved with the
    state. ``notice``: extra words for the edge's e-mail, whose ``subject`` is
    ``obj`` (or the agreement) unless given. ``version_hash`` defaults to the
    version in force's. Another kind of document whose events go into the
    agreement's trail (a medborgarlöften set) passes itself as ``document``, with
    its ``lifecycle`` and its ``mail`` events.
    """
    document = agreement if document is None else document
    edge = edge or edge_or_refuse(document, step, refusal, lifecycle)
    from_state = document.state if edge.source else ""  # an entry edge has no source
    if edge.changes_state and edge.source:
        getattr(document, edge.name)()
    columns = []
    if (edge.changes_state and edge.source) or fields:
        columns = [*(("state",) if edge.changes_state else ()), *fields]
    if columns and document is not agreement:
        document.save(update_fields=columns)
    if version_hash is None:
        in_force = agreement.version_in_force
        version_hash = in_force.content_hash if in_force else ""
    event = event_record(
        agreement=agreement,
        actor=actor,
        action=edge.action,
        obj=obj,
        from_state=from_state,
        to_state=document.state,
        version_hash=version_hash,
        details=details,
        # The agreement's own columns go in the same UPDATE as its chain head.
        saved_with_head=tuple(columns) if document is agreement else (),
    )
    send = (notify.EVENT_MAIL if mail is None else mail).get(edge.email)
    if send is not None:
        subject = subject if subject is not None else obj if obj is not None else agreement
        send(event, subject, **(notice or {}))
    return event
