"""What every promises service starts with: the locks and who is acting.

Lock order is the agreement's row, then the set's: the agreement's lock is what
serialises its trail (``workflows.services.trail.event_record``), and the
agreement services take the same lock first.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflows.models import Agreement, Person, SignatoryRole, TaskKind
from workflows.services.actors import Actor, drafter_role
from workflows.services.common import agreement_lock
from workflows.services.errors import NotPermitted
from workflows.services.transitions import take

from ..lifecycle import PROMISE_SET
from ..models import PromiseSet

# The two tasks of a round, and the role each one signs in.
SIGNATORY = {
    TaskKind.PROMISES_KS: SignatoryRole.KS_ORDFORANDE,
    TaskKind.PROMISES_LPO: SignatoryRole.LPO_CHEF,
}
PROMISE_KINDS = tuple(SIGNATORY)


def lock(set_id: int) -> tuple[Agreement, PromiseSet]:
    agreement_id = PromiseSet.objects.values_list("agreement_id", flat=True).get(pk=set_id)
    agreement = agreement_lock(agreement_id)
    promise_set = PromiseSet.objects.select_for_update().get(pk=set_id)
    return agreement, promise_set


def as_drafter(person: Person, agreement: Agreement, channel: str) -> Actor:
    assignment = drafter_role(person, agreement)
    if assignment is None:
        raise NotPermitted(
            _("Bara överenskommelsens kommunpolis och trygghetssamordnare kan göra detta.")
        )
    return Actor(person=person, channel=channel, assignment=assignment)


def take_set(agreement: Agreement, promise_set: PromiseSet, step: str, actor: Actor, **kwargs):
    """Take a declared edge of the set's lifecycle; its event goes into the agreement's
    trail, bound to the set's content hash (workflows/services/transitions.py)."""
    from . import notify

    kwargs.setdefault("obj", promise_set)
    kwargs.setdefault("version_hash", promise_set.content_hash)
    return take(
        agreement,
        step,
        actor,
        document=promise_set,
        lifecycle=PROMISE_SET,
        mail=notify.EVENT_MAIL,
        **kwargs,
    )
