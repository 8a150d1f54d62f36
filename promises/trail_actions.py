"""The medborgarlöften actions in the agreement's trail, declared like the agreement's
(``workflows/trail_actions.py``); ``PromisesConfig.ready`` declares them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.trail_actions import TrailAction, label_of
from workflows.trail_actions import _yes_no as yes_no

from .lifecycle import PROMISE_SET
from .models import Answer, DelegationStepKind, FollowUpStatus

SET_HASH = _("Medborgarlöftenas innehåll (SHA-256)")


def _action(action: str, label) -> TrailAction:
    return TrailAction(action, label, lifecycle=PROMISE_SET, hash_label=SET_HASH)


PROMISE_ACTIONS = (
    _action("promises_created", _("Medborgarlöften påbörjades")),
    _action(
        "promises_registered",
        _("Medborgarlöftena registrerades i efterhand, beslutade utanför Samverkan"),
    ),
    _action("promises_changed", _("Medborgarlöftena ändrades")),
    _action("promises_approved", _("Medborgarlöftena godkändes av en skribent")),
    _action(
        "promises_proposed",
        _("Medborgarlöftena blev gemensamt förslag och gick till beslut och underskrift"),
    ),
    _action("promises_signed", _("Medborgarlöftena beslutades och undertecknades av %(role)s")),
    _action("promises_returned", _("Medborgarlöftena skickades tillbaka av %(role)s")),
    _action(
        "promises_published", _("Medborgarlöftena är beslutade, undertecknade och publicerade")
    ),
    _action(
        "promises_task_reminder", _("Påminnelse med ny länk: %(task)s väntar på %(waiting_for)s")
    ),
    _action(
        "promises_withdrawn",
        _("Medborgarlöftenas omgång avbröts eftersom överenskommelsen upphörde"),
    ),
    _action(
        "promises_task_escalated",
        _("%(task)s har väntat länge på %(waiting_for)s: skribenterna fick besked"),
    ),
    _action(
        "promises_delegation_step",
        _("Delegationsbeslutet om medborgarlöftena: %(delegation_step)s %(on)s"),
    ),
    _action("promise_followed_up", _("Ett medborgarlöfte följdes upp")),
    _action("promises_reported", _("Årsrapporten om medborgarlöftena skrevs")),
)


def _statuses(value) -> str:
    from django.utils.translation import gettext

    lines = []
    for item in value or []:
        if not isinstance(item, dict):
            continue
        status = label_of(FollowUpStatus, item["status"]) if item.get("status") else None
        when = f" ({item['reported_on']})" if item.get("reported_on") else ""
        lines.append(f"{item.get('title', '?')}: {status or gettext('ingen uppföljning')}{when}")
    return "\n".join(lines)


# The words for the details only medborgarlöften events carry.
PROMISE_DETAILS = {
    "answer": (_("Svar"), lambda value: label_of(Answer, value)),
    "status": (_("Läge"), lambda value: label_of(FollowUpStatus, value)),
    "statuses": (_("Löftenas läge"), _statuses),
    "delegation_step": (_("Vad"), lambda value: label_of(DelegationStepKind, value).lower()),
    "announced_on": (_("Tillkännagivet"), str),
    "announced_separately": (_("Eget tillkännagivande"), yes_no),
}
