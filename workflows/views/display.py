"""Words the pages show for codes: trail actions, next steps, roles. One place for each."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Agreement, AgreementState, AuditEvent, DecidingBody, Role
from ..models.organisations import DRAFTER_ROLES

# What happened, as the trail tells it. ``%(number)s`` is the version number.
ACTION_LABELS = {
    "agreement_created": gettext_lazy("Överenskommelsen skapades"),
    "version_submitted": gettext_lazy("Version %(number)s lämnades in"),
    "version_approved": gettext_lazy("Version %(number)s godkändes"),
    "joint_proposal": gettext_lazy("Version %(number)s blev gemensamt förslag"),
}

# "Väntar på godkännande från kommunpolisen": the role in its definite form.
ROLE_DEFINITE = {
    Role.KOMMUNPOLIS: gettext_lazy("kommunpolisen"),
    Role.TRYGGHETSSAMORDNARE: gettext_lazy("trygghetssamordnaren"),
    Role.KS_ORDFORANDE: gettext_lazy("kommunstyrelsens ordförande"),
    Role.LPO_CHEF: gettext_lazy("lokalpolisområdeschefen"),
}

DIFF_STATUS_LABELS = {
    "unchanged": gettext_lazy("Oförändrat"),
    "changed": gettext_lazy("Ändrat"),
    "added": gettext_lazy("Tillagt"),
    "removed": gettext_lazy("Borttaget"),
}

BODY_DEFINITE = {
    DecidingBody.KS: gettext_lazy("kommunstyrelsen"),
    DecidingBody.KF: gettext_lazy("kommunfullmäktige"),
}


def action_label(event: AuditEvent) -> str:
    label = ACTION_LABELS.get(event.action)
    if label is None:
        return event.action
    return str(label) % {"number": (event.details or {}).get("number", "?")}


def join_and(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def roles_definite(roles: list[str]) -> str:
    return join_and([str(ROLE_DEFINITE.get(role, role)) for role in roles])


@dataclass(frozen=True)
class NextStep:
    step: str
    waiting_on: str = ""


def next_step(
    agreement: Agreement, latest_number: int | None, approved_roles: set[str]
) -> NextStep | None:
    """What has to happen next and whom it waits on; None when nothing more will."""
    state = agreement.state
    if state == AgreementState.DRAFT:
        missing = [role for role in DRAFTER_ROLES if role not in approved_roles]
        step = _("Båda skribenterna godkänner version %(number)s som gemensamt förslag") % {
            "number": latest_number
        }
        waiting = _("Väntar på godkännande från %(who)s") % {"who": roles_definite(missing)}
        return NextStep(step, waiting if missing else "")
    if state == AgreementState.PROPOSED:
        body = BODY_DEFINITE.get(agreement.deciding_body, agreement.deciding_body)
        step = _("Beslut i %(body)s och av lokalpolisområdeschefen") % {"body": body}
        return NextStep(step, _("Väntar på beslut"))
    if state == AgreementState.SIGNING:
        who = roles_definite([Role.KS_ORDFORANDE, Role.LPO_CHEF])
        return NextStep(_("Underskrift"), _("Väntar på underskrift av %(who)s") % {"who": who})
    if state == AgreementState.SIGNED:
        return NextStep(_("Börjar gälla %(date)s") % {"date": agreement.period_start.isoformat()})
    if state == AgreementState.IN_FORCE:
        return NextStep(
            _("Gäller till och med %(date)s") % {"date": agreement.period_end.isoformat()}
        )
    return None
