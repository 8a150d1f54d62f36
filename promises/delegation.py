"""Where a delegated medborgarlöften decision stands in law.

When the KS-ordförande decides a set on the kommunstyrelsen's behalf (a
delegationsbeslut, with the point of the delegationsordning), the decision is
reported (anmäld) to the next KS meeting. It can be appealed for three weeks from
the tillkännagivande of the justerade protocol in which it was anmäld, or from its
own tillkännagivande if the kommun announces it separately (kommunallagen 13 kap.).
The nämndsekreterare records the anmälan (a task) and then confirms laga kraft.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workflows.decision_status import (
    appeal_window_passed,
    appeal_window_words,
    laga_kraft_words,
)
from workflows.legal_dates import last_appeal_day

from .models import Answer, DelegationStep, DelegationStepKind, PromiseAnswer, PromiseSet


@dataclass
class DelegatedDecision:
    answer: PromiseAnswer
    steps: list[DelegationStep] = field(default_factory=list)

    def _step(self, kind: str) -> DelegationStep | None:
        return next((step for step in self.steps if step.kind == kind), None)

    @property
    def anmalan(self) -> DelegationStep | None:
        return self._step(DelegationStepKind.ANMALAN)

    @property
    def laga_kraft(self) -> DelegationStep | None:
        return self._step(DelegationStepKind.LAGA_KRAFT)

    @property
    def last_appeal_day(self) -> datetime.date | None:
        anmalan = self.anmalan
        return last_appeal_day(anmalan.announced_on) if anmalan else None

    def window_passed(self, today: datetime.date | None = None) -> bool:
        return appeal_window_passed(self.last_appeal_day, today)

    def may_confirm_laga_kraft(self, on: datetime.date | None = None) -> bool:
        return self.laga_kraft is None and self.window_passed(on)

    def words(self, today: datetime.date | None = None) -> str:
        """One line for the set's page and the public page (as the agreement's)."""
        if self.laga_kraft is not None:
            return laga_kraft_words(self.laga_kraft.on)
        if self.anmalan is not None:
            return appeal_window_words(self.last_appeal_day, today)
        return _(
            "Beslutat på delegation; ännu inte anmält till kommunstyrelsen. Det kan "
            "överklagas i tre veckor från tillkännagivandet."
        )


def delegated_answers(promise_set: PromiseSet):
    """The answer of the set's current round signed by delegation (one at most)."""
    return PromiseAnswer.objects.filter(
        promise_set=promise_set, round=promise_set.round, answer=Answer.SIGNED
    ).exclude(delegation_point="")


def delegated_decision(promise_set: PromiseSet) -> DelegatedDecision | None:
    """The set's delegated decision in its current round, if the KS-ordförande decided
    by delegation; None for a set decided otherwise."""
    answer = delegated_answers(promise_set).first()
    if answer is None:
        return None
    steps = DelegationStep.objects.filter(answer=answer).select_related("recorded_by")
    return DelegatedDecision(answer=answer, steps=list(steps.order_by("created_at")))
