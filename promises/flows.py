"""Decision and signature of a set of medborgarlöften, as a viewflow process.

The KS-ordförande and the LPO-chef decide and sign together, without a meeting:
two human tasks in parallel, each done from an e-mail link (or the inbox). When
both have signed, the promises are published. A "no" from either sends the set
back to the drafters, and the round stops (the other task is cancelled).

viewflow owns the tasks; the set's state stays in its own field, changed by the
services in promises/services/, and the If nodes route on it.

Node names are stored in the database as strings: they equal TaskKind's
``promises_ks``, ``promises_lpo`` and ``promises_anmalan`` on purpose; do not
rename them.
"""

from __future__ import annotations

from viewflow import this
from viewflow.workflow import flow, lock

from workflows.flows import no_frontend

from .lifecycle import PROMISE_SET
from .models import PromiseProcess
from .services import rounds


class PromiseFlow(flow.Flow):
    """Medborgarlöften: beslut och underskrift"""

    process_class = PromiseProcess
    # nowait=False: the services already hold the set's row lock (as in AgreementFlow).
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Next(this.split)
    split = flow.Split().Next(this.promises_ks).Next(this.promises_lpo)

    promises_ks = (
        flow.View(no_frontend).Assign(this.assignee).onCreate(this.task_opened).Next(this.check_ks)
    )
    promises_lpo = (
        flow.View(no_frontend).Assign(this.assignee).onCreate(this.task_opened).Next(this.check_lpo)
    )
    check_ks = flow.If(this.still_proposed).Then(this.join).Else(this.stopped)
    check_lpo = flow.If(this.still_proposed).Then(this.join).Else(this.stopped)
    join = flow.Join().Next(this.publish)
    publish = flow.Function(this.published).Next(this.check_delegated)
    # A KS-ordförande who decided by delegation: the nämndsekreterare reports the
    # decision (anmälan) to the next KS meeting.
    check_delegated = flow.If(this.delegated).Then(this.promises_anmalan).Else(this.end)
    promises_anmalan = (
        flow.View(no_frontend).Assign(this.assignee).onCreate(this.task_opened).Next(this.end)
    )

    end = flow.End()
    stopped = flow.TerminateEnd()

    def start_process(self, activation, promise_set):
        activation.process.artifact = promise_set
        return activation.process

    def still_proposed(self, activation) -> bool:
        return PROMISE_SET.allows("publish", rounds.set_state(activation.process))

    def assignee(self, activation):
        return rounds.task_assignee(activation.process, activation.flow_task.name)

    def task_opened(self, activation) -> None:
        rounds.task_opened(activation.task)

    def published(self, activation) -> None:
        rounds.promises_publish(activation.process)

    def delegated(self, activation) -> bool:
        return rounds.delegated(activation.process)
