"""A whole lifecycle, from creation to in force, against bare viewflow in the same run.

Run from ``bench/transitions.py`` (the same child process and database). Each step
goes through its service in its own transaction, as a person does it; its statements
are counted from the first to the last (BEGIN and COMMIT left out). Bare viewflow runs
a flow of the same shape and the same five human tasks (``BareFlow``: start, two
decisions of which the kommun's has its justering, then two signatures), each task
completed as ``viewflow_floor`` completes one, with nothing of ours around it.

E-mails stay in the outbox (``outbox_not_sent``) and the seal is not asked for: both
are a worker's, after the commit, and have their own budgets in the edge tests.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Task

from .setup import MEETING, content, draft_create, open_task


class BareFlow(flow.Flow):
    """The agreement round's shape with nothing but viewflow in it."""

    start = flow.StartHandle().Next(this.split)
    split = flow.Split().Next(this.municipal).Next(this.police)
    municipal = flow.View(lambda request: None).Next(this.protocol)
    protocol = flow.View(lambda request: None).Next(this.join)
    police = flow.View(lambda request: None).Next(this.join)
    join = flow.Join().Next(this.split_signatures)
    split_signatures = flow.Split().Next(this.ks).Next(this.lpo)
    ks = flow.View(lambda request: None).Next(this.join_signatures)
    lpo = flow.View(lambda request: None).Next(this.join_signatures)
    join_signatures = flow.Join().Next(this.end)
    end = flow.End()


BARE_TASKS = ("municipal", "protocol", "police", "ks", "lpo")


def _issued(captured: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in captured.captured_queries
        if q["sql"].strip().upper() not in {"BEGIN", "COMMIT", "BEGIN IMMEDIATE"}
    )


class Meter:
    """Statements and seconds per named step, over every lifecycle run."""

    def __init__(self) -> None:
        self.statements: dict[str, list[int]] = defaultdict(list)
        self.seconds: dict[str, list[float]] = defaultdict(list)

    @contextmanager
    def step(self, name: str):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            yield
            self.seconds[name].append(time.perf_counter() - t0)
        self.statements[name].append(_issued(captured))

    def summary(self) -> dict:
        steps = {name: min(counts) for name, counts in self.statements.items()}
        runs = len(next(iter(self.seconds.values())))
        per_run = [sum(self.seconds[name][i] for name in self.seconds) for i in range(runs)]
        return {
            "steps": steps,
            "statements": sum(steps.values()),
            "seconds": sorted(per_run)[len(per_run) // 2],  # the median run
            "runs": runs,
        }


def ours(people, runs: int) -> dict:
    from workflows.models.trail import Channel
    from workflows.services import rounds
    from workflows.services.decision_steps import justering_record
    from workflows.services.decisions import DecisionInput, decision_record, signature_add
    from workflows.services.drafting import version_approve
    from workflows.services.identity import by_command

    meter, text = Meter(), content()
    seal = rounds.seal_after_commit
    rounds.seal_after_commit = lambda version: None  # a worker's, after the commit
    try:
        for n in range(runs):
            with meter.step("create"):
                agreement = draft_create(people, f"Hela livscykeln {n + 1}", text)
            version = agreement.versions.get()
            for name, drafter in (("approve", people.samordnare), ("propose", people.kommunpolis)):
                with meter.step(name):
                    version_approve(version_id=version.pk, person=drafter, channel=Channel.LOGIN)
            for name, kind, person in (
                ("municipal_bifall", "municipal_decision", people.sekreterare),
                ("justering", "municipal_protocol", people.sekreterare),
                ("police_bifall", "police_decision", people.lpo_chief),
                ("first_signature", "ks_signature", people.ks_chair),
                ("second_signature", "lpo_signature", people.lpo_chief),
            ):
                task = open_task(agreement.pk, kind)
                common = {"task_id": task.task_id, "person": person, "channel": Channel.LOGIN}
                with meter.step(name):
                    if name == "justering":
                        justering_record(
                            **common,
                            version_hash=task.version_hash,
                            justerad_on=MEETING,
                            justerare="Anna Ordförande, Bo Justerare",
                            anslag_on=None,
                            anslag_url="",
                        )
                    elif kind.endswith("_decision"):
                        decision_record(
                            **common,
                            version_hash=task.version_hash,
                            fields=DecisionInput(
                                "bifall", MEETING, paragraph="§ 42", diarienummer="KS 2023/17",
                                decided_by="LPO-chef",
                            ),
                        )  # fmt: skip
                    else:
                        signature_add(
                            **{**common, "channel": Channel.COMMAND},
                            version_hash=task.version_hash,
                            place="Höör",
                            signed_on=MEETING,
                            identification=by_command(person),
                        )
            agreement.refresh_from_db()
            assert agreement.applies, agreement.state
    finally:
        rounds.seal_after_commit = seal
    return meter.summary()


def bare(people, runs: int) -> dict:
    """Bare viewflow: start, then each task completed by its person, in its own
    transaction, in the order the lifecycle above completes its tasks."""
    from workflows.services.actors import user_for

    user = user_for(people.ks_chair)
    meter = Meter()
    for _ in range(runs):
        with meter.step("start"), transaction.atomic():
            process = BareFlow.start.run()
        for name in BARE_TASKS:
            node = getattr(BareFlow, name)
            task_id = Task.objects.get(process=process, flow_task=node).pk
            with meter.step(name), transaction.atomic():
                with Task.objects.get(pk=task_id).activation() as activation:
                    activation.assign(user)
                    activation.start(None)
                    activation.execute()
    return meter.summary()


def run(people, runs: int = 5) -> dict:
    return {"ours": ours(people, runs), "bare": bare(people, runs)}
