"""What happens next to an agreement and whom it waits on, as the pages say it.

The lifecycle declaration says which phase the agreement is in and what a state
without a round says ("Gäller till och med …"); this module turns that, the
approvals and the open tasks into a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .agreement_lifecycle import DRAFTING, PROPOSED, SIGNING
from .forms import DECISION_KINDS
from .models import Agreement, Role, TaskKind
from .models.organisations import DRAFTER_ROLES
from .vocabulary import BODY_DEFINITE, roles_definite, task_waits_on


@dataclass(frozen=True)
class NextStep:
    step: str
    waiting_on: str = ""


def next_step(
    agreement: Agreement,
    latest_number: int | None,
    approved_roles: set[str],
    open_kinds: list[str] | None = None,
    *,
    revision_started: bool = True,
) -> NextStep | None:
    """What has to happen next and whom it waits on; None when nothing more will.
    ``open_kinds``: the kinds of the round's open tasks, whom a decision or
    signature still waits on (``selectors.open_task_kinds``). ``revision_started``:
    False while a revision has no version of its own yet (``selectors.revision_versions``):
    the latest version is then the one in force, and approving it again means nothing."""
    state = agreement.lifecycle_state
    in_round = _IN_ROUND.get(state.phase)
    if in_round is not None:
        return in_round(agreement, latest_number, approved_roles, open_kinds, revision_started)
    if state.next_step:
        day = getattr(agreement, state.next_step_date) if state.next_step_date else None
        return NextStep(str(state.next_step) % {"date": day.isoformat() if day else "–"})
    return None


def _drafting(agreement, latest_number, approved_roles, open_kinds, revision_started):
    if agreement.in_revision and not revision_started:
        return NextStep(
            _("Skribenterna skriver en reviderad version; den gällande gäller under tiden."),
            _("Väntar på en ny version från skribenterna"),
        )
    missing = [role for role in DRAFTER_ROLES if role not in approved_roles]
    step = _("Båda skribenterna godkänner version %(number)s som gemensamt förslag") % {
        "number": latest_number
    }
    waiting = _("Väntar på godkännande från %(who)s") % {"who": roles_definite(missing)}
    return NextStep(step, waiting if missing else "")


def _deciding(agreement, latest_number, approved_roles, open_kinds, revision_started):
    body = BODY_DEFINITE.get(agreement.deciding_body, agreement.deciding_body)
    step = _("Beslut i %(body)s och av lokalpolisområdeschefen") % {"body": body}
    if open_kinds is None:
        return NextStep(step, _("Väntar på beslut"))
    who = _waits_on(agreement, open_kinds, DECISION_KINDS)
    return NextStep(step, _("Väntar på beslut: %(who)s") % {"who": who} if who else "")


def _signing(agreement, latest_number, approved_roles, open_kinds, revision_started):
    step = _("Underskrift av kommunstyrelsens ordförande och lokalpolisområdeschefen")
    if open_kinds is None:
        who = roles_definite([Role.KS_ORDFORANDE, Role.LPO_CHEF])
        return NextStep(step, _("Väntar på underskrift av %(who)s") % {"who": who})
    who = _waits_on(agreement, open_kinds, (TaskKind.KS_SIGNATURE, TaskKind.LPO_SIGNATURE))
    return NextStep(step, _("Väntar på underskrift: %(who)s") % {"who": who} if who else "")


# A round's phase says whose move it is; the other states say it in the declaration.
_IN_ROUND = {DRAFTING: _drafting, PROPOSED: _deciding, SIGNING: _signing}


def _waits_on(agreement: Agreement, open_kinds: list[str], kinds: tuple[str, ...]) -> str:
    return ", ".join(task_waits_on(agreement, kind) for kind in open_kinds if kind in kinds)
