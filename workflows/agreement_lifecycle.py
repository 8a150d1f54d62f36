"""The agreement's lifecycle, declared once.

Every state and every edge of a samverkansöverenskommelse is in the two tables
below: the model's django-fsm methods are made from them, the services take
their edges through ``services/transitions.py``, the pages ask them which
buttons to offer, and ``manage.py lifecycle_docs`` draws ``docs/lifecycle.md``
from them. To add a state or an edge, add a row here (see docs/architecture.md).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .statemachine import (
    DECIDER,
    DRAFTER,
    FLOW,
    PARTY,
    PERIODIC,
    SIGNATORY,
    STAYS,
    WORKER,
    Edge,
    Lifecycle,
    Stage,
    State,
)

# Phases: where a round of versions, decision and signature stands, in a first
# cycle and a revision alike.
DRAFTING, PROPOSED, SIGNING, NONE = "drafting", "proposed", "signing", "none"

# Traits the rules and pages ask for.
APPLIES = "applies"  # a signed text is in force (a revision may be under way)
REVISION = "revision"  # a revision round runs while the text in force applies
REPORTS = "reports"  # follow-up reports are written (in force, or just ended)
BEFORE_FORCE = "before_force"  # never in force yet
ENDED = "ended"  # nothing more happens in this agreement
SIGNED_AHEAD = "signed_ahead"  # signed, the start date still ahead
NO_FOLLOW_UP = "no_follow_up"  # never decided: no follow-up schedule at all
NOTICE = "notice"  # terminated with notice: in force until its end date
CLOSED_EARLY = "closed_early"  # rejected or terminated: it will not apply for its period


def _start_reached(agreement) -> bool:
    return agreement.period_start <= timezone.localdate()


def _start_ahead(agreement) -> bool:
    return not _start_reached(agreement)


def period_over(agreement) -> bool:
    return agreement.period_end < timezone.localdate()


def _notice_ended(agreement) -> bool:
    """In force up to and including its end date: ended the day after."""
    return agreement.ended_on is not None and agreement.ended_on < timezone.localdate()


def _in_period(agreement) -> bool:
    return _start_reached(agreement) and not period_over(agreement)


def _not_over(agreement) -> bool:
    return not period_over(agreement)


def _may_sign(agreement) -> bool:
    """The period has not ended and no court has stopped the decision (inhibition)."""
    from .decision_status import inhibited

    return not period_over(agreement) and not inhibited(agreement)


STATES = (
    State("draft", _("Utkast"), DRAFTING, frozenset({BEFORE_FORCE})),
    State("proposed", _("Gemensamt förslag, inväntar beslut"), PROPOSED, frozenset({BEFORE_FORCE})),
    State("signing", _("Beslutad, inväntar underskrift"), SIGNING, frozenset({BEFORE_FORCE})),
    State(
        "signed",
        _("Undertecknad, ej börjat gälla"),
        NONE,
        frozenset({BEFORE_FORCE, SIGNED_AHEAD}),
        _("Börjar gälla %(date)s"),
        "period_start",
    ),
    State(
        "in_force",
        _("Gällande"),
        NONE,
        frozenset({APPLIES, REPORTS}),
        _("Gäller till och med %(date)s"),
        "period_end",
    ),
    State(
        "notice_given",
        _("Gällande, uppsagd"),
        NONE,
        frozenset({APPLIES, REPORTS, NOTICE}),
        _("Uppsagd: gäller till och med %(date)s"),
        "ended_on",
    ),
    State(
        "revision_draft",
        _("Gällande, revidering pågår"),
        DRAFTING,
        frozenset({APPLIES, REPORTS, REVISION}),
    ),
    State(
        "revision_proposed",
        _("Gällande, revidering inväntar beslut"),
        PROPOSED,
        frozenset({APPLIES, REPORTS, REVISION}),
    ),
    State(
        "revision_signing",
        _("Gällande, revidering inväntar underskrift"),
        SIGNING,
        frozenset({APPLIES, REPORTS, REVISION}),
    ),
    State(
        "rejected",
        _("Avslagen"),
        NONE,
        frozenset({ENDED, NO_FOLLOW_UP, CLOSED_EARLY}),
        _("Inget mer: överenskommelsen avslogs. Parterna kan börja om med en ny överenskommelse."),
    ),
    State(
        "expired",
        _("Upphört"),
        NONE,
        frozenset({ENDED, REPORTS}),
        _("Upphörde efter %(date)s. Parterna kan förnya den."),
        "period_end",
    ),
    State(
        "terminated",
        _("Uppsagd"),
        NONE,
        frozenset({ENDED, CLOSED_EARLY}),
        _("Uppsagd, upphörde %(date)s."),
        "ended_on",
    ),
)

_ROUND_PROPOSED = ("proposed", "revision_proposed")
_ROUND_SIGNING = ("signing", "revision_signing")
_DRAFTING = ("draft", "revision_draft")
_APPLIES = ("in_force", "revision_draft", "revision_proposed", "revision_signing")
_RUNNING = (*_APPLIES, "notice_given")  # in force, a revision or a notice under way
_REPORTING = (*_RUNNING, "expired")  # follow-up reports are written
_ROUND_DECIDED = ("proposed", "signing")
_REVISION_DECIDED = ("revision_proposed", "revision_signing")
# Where a kommun's bifall may still be justerad, announced, appealed or confirmed.
_AFTER_DECISION = ("proposed", "signing", "signed", *_APPLIES)
# Where an agreement can be once a version of it was signed (the worker seals it later).
_SIGNED_ONCE = ("signed", *_REPORTING, "terminated")

EDGES = (
    # Drafting ---------------------------------------------------------------
    Edge("create", (), "draft", (DRAFTER,), "agreement_created", "",
         note="a drafter creates the agreement with version 1"),
    # Registered afterwards: decided (and perhaps signed) before it came into the
    # product; it enters where its facts and the date put it (services/registration.py).
    Edge("register_decided", (), "signing", (DRAFTER,), "agreement_registered",
         "agreement_registered", step="register", guard=_not_over,
         note="registered afterwards: decided by both, not signed; the signatories get links"),
    Edge("register_signed", (), "signed", (DRAFTER,), "agreement_registered",
         "agreement_registered", step="register", guard=_start_ahead,
         note="registered afterwards: signed, the start date ahead"),
    Edge("register_in_force", (), "in_force", (DRAFTER,), "agreement_registered",
         "agreement_registered", step="register", guard=_in_period,
         note="registered afterwards: signed and in its period"),
    Edge("register_expired", (), "expired", (DRAFTER,), "agreement_registered",
         "agreement_registered", step="register", guard=period_over,
         note="registered afterwards: signed, its period over (to renew it)"),
    Edge("submit_version", _DRAFTING, STAYS, (DRAFTER,), "version_submitted",
         "version_submitted", note="a new version voids earlier approvals"),
    Edge("resubmit", ("proposed",), "draft", (DRAFTER,), "version_submitted",
         "version_submitted", step="submit_version",
         note="a new version voids the joint proposal and its round"),
    Edge("resubmit_lapsed", ("signing",), "draft", (DRAFTER,), "version_submitted",
         "version_submitted", step="submit_version", guard=period_over,
         note="the period ended before signing: a new version with a new period"),
    Edge("resubmit_revision", ("revision_proposed",), "revision_draft", (DRAFTER,),
         "version_submitted", "version_submitted", step="submit_version",
         note="a new revised version voids the proposal and its round"),
    Edge("approve_version", _DRAFTING, STAYS, (DRAFTER,), "version_approved",
         "version_approved", note="one drafter approves the latest version"),
    Edge("propose", ("draft",), "proposed", (DRAFTER,), "joint_proposal", "joint_proposal",
         note="both drafters approved the same version: the joint proposal"),
    Edge("propose_revision", ("revision_draft",), "revision_proposed", (DRAFTER,),
         "joint_proposal", "joint_proposal", step="propose",
         note="joint proposal of the revised version"),
    # Decision ---------------------------------------------------------------
    Edge("record_decision", _ROUND_PROPOSED, STAYS, (DECIDER,), "decision_recorded",
         "decision_recorded", note="bifall on one track, or bordläggning"),
    Edge("remit", ("proposed",), "draft", (DECIDER,), "decision_recorded",
         "decision_recorded", note="återremiss on either track"),
    Edge("remit_revision", ("revision_proposed",), "revision_draft", (DECIDER,),
         "decision_recorded", "decision_recorded", step="remit",
         note="återremiss of a revision"),
    Edge("reject", ("proposed",), "rejected", (DECIDER,), "decision_recorded",
         "decision_recorded", note="avslag on either track"),
    Edge("reject_revision", ("revision_proposed",), "in_force", (DECIDER,),
         "decision_recorded", "decision_recorded", step="reject",
         note="avslag of a revision: the text in force stays"),
    Edge("record_justering", _ROUND_PROPOSED, STAYS, (DECIDER,), "decision_step_recorded",
         "decision_step_recorded",
         note="the nämndsekreterare records the justering (and the anslag, if done)"),
    Edge("open_signing", ("proposed",), "signing", (FLOW,), "signing_opened",
         "signing_opened", note="bifall on both tracks"),
    Edge("open_revision_signing", ("revision_proposed",), "revision_signing", (FLOW,),
         "signing_opened", "signing_opened", step="open_signing",
         note="bifall on both tracks of a revision"),
    # Signature --------------------------------------------------------------
    Edge("add_signature", _ROUND_SIGNING, STAYS, (SIGNATORY,), "signature_added",
         "signature_added", guard=_may_sign,
         note="one signatory signs, while the period runs and no inhibition stops it"),
    # The signed e-mail waits for the sealed PDF/A it carries (the edge "seal").
    Edge("sign", ("signing",), "signed", (FLOW,), "agreement_signed", "",
         step="complete_signing", guard=_start_ahead,
         note="both signatures, the start date ahead"),
    Edge("sign_into_force", ("signing",), "in_force", (FLOW,), "agreement_signed",
         "", step="complete_signing", guard=_start_reached,
         note="both signatures, the start date reached"),
    Edge("sign_revision", ("revision_signing",), "in_force", (FLOW,), "agreement_signed",
         "", step="complete_signing",
         note="both signatures: the revised version replaces the text in force"),
    Edge("seal", _SIGNED_ONCE, STAYS, (WORKER,), "agreement_sealed", "agreement_signed",
         note="after the signatures commit: the PDF/A, sealed, sent to everyone at both parties"),
    Edge("enter_into_force", ("signed",), "in_force", (PERIODIC,), "entered_into_force",
         "entered_into_force", guard=_start_reached, note="the start date has come"),
    Edge("remind_task", (*_ROUND_PROPOSED, *_ROUND_SIGNING), STAYS, (PERIODIC,),
         "task_reminder", "task_link", note="a reminder with a fresh link"),
    Edge("escalate_task", (*_ROUND_PROPOSED, *_ROUND_SIGNING), STAYS, (PERIODIC,),
         "task_escalated", "task_escalated", note="the drafters learn whom a task waits on"),
    # After the decision: anslag, laga kraft, appeals (services/decision_steps.py) ----
    Edge("record_decision_step", _AFTER_DECISION, STAYS, (DECIDER,), "decision_step_recorded",
         "decision_step_recorded",
         note="anslag, protokollsutdrag, laga kraft, an appeal and its outcome, inhibition"),
    Edge("quash_decision", _ROUND_DECIDED, "proposed", (DECIDER,), "decision_quashed",
         "decision_quashed", note="the court quashed the kommun's decision: decide again"),
    Edge("quash_revision_decision", _REVISION_DECIDED, "revision_proposed", (DECIDER,),
         "decision_quashed", "decision_quashed", step="quash_decision",
         note="the same, for a revision"),
    Edge("quash_signed_decision", ("signed", "in_force"), STAYS, (DECIDER,),
         "decision_quashed", "decision_quashed", step="quash_decision",
         note="quashed after signing: the parties choose a new decision or termination"),
    Edge("remind_decision_step", _AFTER_DECISION, STAYS, (PERIODIC,),
         "decision_step_reminder", "decision_step_reminder",
         note="the nämndsekreterare: anslag due, or laga kraft to confirm"),
    Edge("correct_record", tuple(state.value for state in STATES), STAYS, (DECIDER, SIGNATORY),
         "record_corrected", "record_corrected",
         note="rättelse of a decision's or signature's date, §, diarienummer or place"),
    # The period in force ----------------------------------------------------
    Edge("open_revision", ("in_force",), "revision_draft", (DRAFTER,), "revision_opened",
         "revision_opened", label=_("Påbörja revidering"),
         note="the text in force applies while a revision is drafted"),
    Edge("close_revision", ("revision_draft",), "in_force", (DRAFTER,), "revision_closed",
         label=_("Avbryt revideringen"), note="a revision withdrawn before its proposal"),
    Edge("renew", (*_APPLIES, "expired"), STAYS, (DRAFTER,), "agreement_renewed",
         label=_("Förnya"), note="the next period's agreement starts in drafting"),
    Edge("terminate", ("signed", *_APPLIES), "terminated", (PARTY,), "agreement_terminated",
         "agreement_terminated", label=_("Säg upp"),
         note="a party's decision ends it today or on an earlier date"),
    Edge("give_notice", ("signed", *_APPLIES), "notice_given", (PARTY,), "notice_given",
         "notice_given",
         note="a party's decision ends it on a later date; a revision under way ends"),
    Edge("end_on_notice", ("notice_given",), "terminated", (PERIODIC,), "agreement_terminated",
         "agreement_terminated", guard=_notice_ended, note="the day after the notice runs out"),
    Edge("expire", _RUNNING, "expired", (PERIODIC,), "agreement_expired", "agreement_expired",
         guard=period_over, note="the day after the end date; a revision lapses with it"),
    Edge("warn_expiry", _APPLIES, STAYS, (PERIODIC,), "expiry_warning", "expiry_warning",
         note="90 and 30 days before the end date"),
    # Follow-up (services/followups.py) ---------------------------------------
    Edge("submit_followup", _REPORTING, STAYS, (DRAFTER,), "followup_submitted",
         "follow_up_submitted", note="a follow-up report, frozen once submitted"),
    Edge("remind_followup", _REPORTING, STAYS, (PERIODIC,), "followup_reminder",
         "follow_up_reminder", note="before and on a report's due date"),
    Edge("escalate_followup", _REPORTING, STAYS, (PERIODIC,), "followup_escalated",
         "follow_up_overdue", note="a report 14 days late"),
    Edge("prompt_revision", ("in_force",), STAYS, (PERIODIC,), "followup_revision_prompt",
         "follow_up_revision_prompt", note="the yearly question whether to revise"),
)  # fmt: skip

# The step bar on the agreement's page. During a revision the agreement stays in force:
# that is where the bar stands; whom the revision waits on is said there.
STAGES = (
    Stage(_("Utkast"), ("draft",)),
    Stage(_("Beslut"), ("proposed",)),
    Stage(_("Underskrift"), ("signing",)),
    Stage(_("Undertecknad"), ("signed",)),
    Stage(_("Gällande"), (*_RUNNING,)),
    Stage(_("Upphört"), ("expired", "terminated")),
)

AGREEMENT = Lifecycle("agreement", STATES, EDGES, initial="draft", stages=STAGES)

# Steps a person takes from the agreement page's lifecycle buttons, in order.
PAGE_STEPS = ("open_revision", "close_revision", "renew", "terminate")
