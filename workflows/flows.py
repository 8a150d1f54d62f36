"""The decision-and-signature round as a viewflow process.

viewflow owns the human tasks (which are open, whose they are) and the graph;
the rules, states, decisions and signatures stay in workflows/services/. Each
node here calls a service; the If nodes route on the agreement's own state,
which the service has already changed, so the two can never disagree.

Node names are stored in the database as strings: renaming one breaks
running processes, so they match TaskKind on purpose.
"""

from __future__ import annotations

from django.http import Http404
from viewflow import this
from viewflow.workflow import flow, lock

from .agreement_lifecycle import AGREEMENT
from .models import AgreementProcess
from .services import rounds


def no_frontend(request, *args, **kwargs):
    """viewflow's own task pages are not used: ours are in workflows/views/."""
    raise Http404


class AgreementFlow(flow.Flow):
    """Beslut och underskrift"""

    process_class = AgreementProcess
    # nowait=False: the services already hold the agreement's row lock, and a
    # NOWAIT failure inside their transaction would abort it on PostgreSQL.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Next(this.split_decisions)
    split_decisions = flow.Split().Next(this.municipal_decision).Next(this.police_decision)
    # A court quashed the kommun's decision before signing: the Police's bifall
    # stands, so the round starts over with the kommun's decision alone.
    redecide = flow.StartHandle(this.start_process).Next(this.municipal_decision)

    # Registered afterwards, decided by both outside the product: signing only.
    sign_registered = flow.StartHandle(this.start_process).Next(this.split_signatures)

    municipal_decision = (
        flow.View(no_frontend)
        .Assign(this.assignee)
        .onCreate(this.task_opened)
        .Next(this.check_municipal)
    )
    police_decision = (
        flow.View(no_frontend)
        .Assign(this.assignee)
        .onCreate(this.task_opened)
        .Next(this.check_police)
    )
    # One gateway after the kommun's decision or its protocol: on to signing once the
    # protocol is ready (justerad, or laga kraft where the kommun says so:
    # decision_status.municipal_ready_for_signing), to the protocol task while the
    # round runs, else stopped. One node where two If nodes cost a task row each.
    check_municipal = (
        flow.Switch()
        .Case(this.join_decisions, this.protocol_ready)
        .Case(this.municipal_protocol, this.still_proposed)
        .Default(this.stopped)
    )
    # No longer reached; kept so that the finished tasks of processes that ran
    # through it (node names are stored) still resolve.
    check_protocol = (
        flow.If(this.protocol_ready).Then(this.join_decisions).Else(this.municipal_protocol)
    )
    municipal_protocol = (
        flow.View(no_frontend)
        .Assign(this.assignee)
        .onCreate(this.task_opened)
        .Next(this.check_municipal)
    )
    check_police = flow.If(this.still_proposed).Then(this.join_decisions).Else(this.stopped)
    join_decisions = flow.Join().Next(this.open_signing)
    open_signing = flow.Function(this.signing_opened).Next(this.split_signatures)

    split_signatures = flow.Split().Next(this.ks_signature).Next(this.lpo_signature)
    ks_signature = (
        flow.View(no_frontend)
        .Assign(this.assignee)
        .onCreate(this.task_opened)
        .Next(this.join_signatures)
    )
    lpo_signature = (
        flow.View(no_frontend)
        .Assign(this.assignee)
        .onCreate(this.task_opened)
        .Next(this.join_signatures)
    )
    join_signatures = flow.Join().Next(this.complete)
    complete = flow.Function(this.signed).Next(this.end)

    end = flow.End()
    stopped = flow.TerminateEnd()

    def start_process(self, activation, agreement):
        activation.process.artifact = agreement
        return activation.process

    def still_proposed(self, activation) -> bool:
        """Avslag or återremiss on the other track has ended the round already.
        Asked once per gateway (the Switch's two cases both ask)."""
        if not hasattr(activation, "still_proposed"):
            state = rounds.agreement_state(activation.process)
            activation.still_proposed = AGREEMENT.allows("open_signing", state)
        return activation.still_proposed

    def protocol_ready(self, activation) -> bool:
        """The round still runs and the kommun's protocol is ready for signing."""
        return self.still_proposed(activation) and rounds.protocol_ready_for_signing(
            activation.process
        )

    def assignee(self, activation):
        return rounds.task_assignee(activation.process, activation.flow_task.name)

    def task_opened(self, activation) -> None:
        rounds.task_opened(activation.task)

    def signing_opened(self, activation) -> None:
        rounds.signing_open(activation.process)

    def signed(self, activation) -> None:
        rounds.signing_complete(activation.process)
