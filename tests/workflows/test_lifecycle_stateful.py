"""Random sequences of actions by random people, with the clock moving, never leave
the declared lifecycle (Hypothesis, stateful).

Every step calls the real service as a person (or the periodic job) would; a
refusal is a domain error and changes nothing. After each step: every new trail
event is a declared edge taken by someone the edge allows, nobody without a role
in the agreement ever acted, and ``verify_trail`` is OK.

CI runs 200 examples with a fixed seed (``HYPOTHESIS_PROFILE=ci``, the default);
``HYPOTHESIS_PROFILE=long`` runs 2,000 with fresh randomness for local runs.
"""

from __future__ import annotations

import copy
import datetime
import os

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import SAMPLE_CONTENT
from workflows.agreement_lifecycle import AGREEMENT
from workflows.models import Agreement, AuditEvent
from workflows.models.trail import Channel
from workflows.services import decisions, drafting, lifecycle, periodic, rounds
from workflows.services.errors import DomainError
from workflows.services.trail import chain_verify
from workflows.statemachine import DECIDER, DRAFTER, FLOW, PARTY, PERIODIC, SIGNATORY, WORKER

settings.register_profile(
    "ci",
    max_examples=200,
    stateful_step_count=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=2000,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# What each named person may do in the fixture agreement (operational, decided by KS).
CAPACITIES = {
    # A party's decision to terminate is recorded by its decision-makers, not drafted.
    "samordnare": {DRAFTER},
    "kommunpolis": {DRAFTER},
    "sekreterare": {DECIDER, PARTY},
    "ks_chair": {DECIDER, SIGNATORY, PARTY},
    "kf_chair": {PARTY},
    "lpo_chief": {DECIDER, SIGNATORY, PARTY},
    "auditor": set(),
    "outsider": set(),
}
NAMES = sorted(CAPACITIES)


def someone(*likely: str):
    """Half the time a person the step is meant for, half the time anyone at all:
    the walk gets deep into the lifecycle and still tries every wrong person."""
    return st.one_of(st.sampled_from(likely), st.sampled_from(NAMES))


DRAFTERS = someone("samordnare", "kommunpolis")
OUTCOMES = ["bifall", "bifall", "bifall", "avslag", "aterremiss", "bordlaggning"]
TASK_KINDS = ["municipal_decision", "police_decision", "ks_signature", "lpo_signature"]


def make_machine(orgs, people, start):
    by_pk = {getattr(people, name).pk: name for name in NAMES}

    class LifecycleMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()  # each example rolls back to the people alone
            self.clock = time_machine.travel(start, tick=False)
            self.now = self.clock.start()
            self.agreement = drafting.agreement_create(
                kommun=orgs.hoor,
                lokalpolisomrade=orgs.lpo,
                kind="operational",
                title="Operativ samverkansöverenskommelse Höör 2027–2028",
                period_start=datetime.date(2027, 3, 1),
                period_end=datetime.date(2028, 12, 31),
                content=SAMPLE_CONTENT,
                author=people.samordnare,
                channel=Channel.LOGIN,
            )
            self.seen = self.agreement.trail_length
            self.texts = 0

        def teardown(self):
            self.clock.stop()
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def attempt(self, call, *args, **kwargs):
            try:
                with transaction.atomic():
                    call(*args, **kwargs)
            except DomainError:
                pass  # refused: the invariants check that nothing changed
            self.agreement.refresh_from_db()

        def person(self, name):
            return getattr(people, name)

        @initialize(steps=st.integers(min_value=0, max_value=9))
        def start_somewhere_along_the_lifecycle(self, steps):
            """Start an example anywhere from draft to a revision being signed."""
            for _ in range(steps):
                self.expected_next_step()

        @rule()
        def expected_next_step(self):
            """What the right person would do next (the walk's way forward)."""
            phase = self.agreement.phase
            if phase == "drafting":
                if self.agreement.in_revision and self.agreement.latest_version().pk == (
                    self.agreement.version_in_force_id
                ):
                    return self.submit_version("samordnare")
                self.approve_latest("samordnare")
                return self.approve_latest("kommunpolis")
            if phase == "proposed":
                self.decide("sekreterare", "municipal_decision", "bifall")
                return self.decide("lpo_chief", "police_decision", "bifall")
            if phase == "signing":
                self.sign("ks_chair", "ks_signature")
                return self.sign("lpo_chief", "lpo_signature")
            if AGREEMENT.allows("enter_into_force", self.agreement.state):
                return self.time_passes_and_the_periodic_job_runs(60)
            if self.agreement.allows("open_revision"):
                return self.open_revision("samordnare")

        # -- actions ------------------------------------------------------------

        @precondition(lambda self: self.agreement.allows("submit_version"))
        @rule(name=DRAFTERS)
        def submit_version(self, name):
            self.texts += 1
            content = copy.deepcopy(SAMPLE_CONTENT)
            content["sections"][2]["text"] = f"Uppföljning, variant {self.texts}."
            latest = self.agreement.latest_version()
            self.attempt(
                drafting.version_submit,
                agreement_id=self.agreement.pk,
                author=self.person(name),
                content=content,
                change_note="",
                seen_latest=latest.number,
                parent_number=latest.number,
                channel=Channel.LOGIN,
            )

        @rule(name=DRAFTERS)
        def approve_latest(self, name):
            version = self.agreement.latest_version()
            self.attempt(
                drafting.version_approve,
                version_id=version.pk,
                person=self.person(name),
                channel=Channel.LOGIN,
            )

        @rule(
            name=someone("sekreterare", "ks_chair", "lpo_chief"),
            kind=st.sampled_from(TASK_KINDS[:2]),
            outcome=st.sampled_from(OUTCOMES),
        )
        def decide(self, name, kind, outcome):
            task = self.open_task(kind)
            if task is None:
                return
            day = timezone.localdate()
            self.attempt(
                decisions.decision_record,
                task_id=task.pk,
                person=self.person(name),
                version_hash=self.agreement.latest_version().content_hash,
                fields=decisions.DecisionInput(
                    outcome,
                    day,
                    next_meeting_date=day + datetime.timedelta(days=14),
                    note="Förtydliga ansvaret." if outcome == "aterremiss" else "",
                    paragraph="§ 12",
                    diarienummer="KS 2027/1",
                    decided_by="Veronica Ek",
                ),
                channel=Channel.LOGIN,
            )

        @rule(name=someone("ks_chair", "lpo_chief"), kind=st.sampled_from(TASK_KINDS[2:]))
        def sign(self, name, kind):
            task = self.open_task(kind)
            if task is None:
                return
            self.attempt(
                decisions.signature_add,
                task_id=task.pk,
                person=self.person(name),
                version_hash=self.agreement.latest_version().content_hash,
                place="Höör",
                signed_on=timezone.localdate(),
                channel=Channel.LOGIN,
            )

        @rule(name=DRAFTERS)
        def open_revision(self, name):
            self.attempt(
                lifecycle.revision_open,
                agreement_id=self.agreement.pk,
                person=self.person(name),
                channel=Channel.LOGIN,
            )

        @rule(name=DRAFTERS)
        def close_revision(self, name):
            self.attempt(
                lifecycle.revision_close,
                agreement_id=self.agreement.pk,
                person=self.person(name),
                channel=Channel.LOGIN,
            )

        @rule(name=someone("ks_chair", "lpo_chief", "sekreterare"))
        def terminate(self, name):
            self.attempt(
                lifecycle.agreement_terminate,
                agreement_id=self.agreement.pk,
                person=self.person(name),
                reason="Ny organisation.",
                ends_on=min(timezone.localdate(), self.agreement.period_end),
                decision=lifecycle.TerminationDecision(
                    decided_on=timezone.localdate(), diarienummer="KS 2027/9", paragraph="§ 9"
                ),
                channel=Channel.LOGIN,
            )

        @rule(name=DRAFTERS)
        def renew(self, name):
            self.attempt(
                lifecycle.agreement_renew,
                agreement_id=self.agreement.pk,
                person=self.person(name),
                channel=Channel.LOGIN,
            )

        @rule(days=st.sampled_from([1, 6, 12, 40, 120, 400]))
        def time_passes_and_the_periodic_job_runs(self, days):
            self.now.shift(datetime.timedelta(days=days))
            periodic.run_all()
            self.agreement.refresh_from_db()

        def open_task(self, kind):
            return next(
                (t for t in rounds.open_tasks(self.agreement) if t.flow_task.name == kind), None
            )

        # -- what must always hold -------------------------------------------------

        @invariant()
        def every_new_event_is_a_declared_edge_by_someone_it_allows(self):
            if not hasattr(self, "agreement"):
                return
            events = AuditEvent.objects.filter(agreement=self.agreement, seq__gt=self.seen)
            for event in events.order_by("seq"):
                edge = _edge_of(event)
                assert edge is not None, (event.action, event.from_state, event.to_state)
                if event.actor_id is None:
                    assert {FLOW, PERIODIC, WORKER} & set(edge.by), edge.name
                else:
                    held = CAPACITIES[by_pk[event.actor_id]]
                    assert held & set(edge.by), (by_pk[event.actor_id], edge.name)
                self.seen = event.seq

        @invariant()
        def the_state_is_declared_and_the_trail_verifies(self):
            if not hasattr(self, "agreement"):
                return
            state = Agreement.objects.values_list("state", flat=True).get(pk=self.agreement.pk)
            AGREEMENT.state(state)  # raises for a state the declaration does not have
            assert chain_verify(self.agreement.pk).ok

    return LifecycleMachine


def _edge_of(event):
    """The declared edge an event records: its action, taken from its from-state."""
    for edge in AGREEMENT.edges:
        if edge.action != event.action:
            continue
        if not edge.source:
            if event.from_state == "" and event.to_state == edge.target:
                return edge
        elif event.from_state in edge.source and event.to_state == (
            edge.target if edge.changes_state else event.from_state
        ):
            return edge
    return None


@pytest.mark.real_clock  # the machine runs its own clock
def test_random_actions_by_random_people_stay_inside_the_declared_lifecycle(orgs, people):
    start = datetime.datetime(2027, 1, 10, 12, tzinfo=datetime.UTC)
    run_state_machine_as_test(make_machine(orgs, people, start), settings=PROFILE)
