"""The shape of a declared lifecycle: states, edges, and the questions everything asks.

A document kind (an agreement, a medborgarlöften set) declares its lifecycle once,
as data (``workflows/agreement_lifecycle.py``, ``promises/lifecycle.py``). From
that one table come the django-fsm transition methods on the model, the checks
the services make under their lock, the buttons the pages offer, the queries of
the periodic jobs and the diagram in the docs. Nothing else names a state to
decide what may happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django_fsm import transition

# Who takes an edge. The services check the person; the declaration says which kind.
DRAFTER = "drafter"  # the agreement's kommunpolis and trygghetssamordnare
DECIDER = "decider"  # whoever records a track's decision (or decides, for the Police)
SIGNATORY = "signatory"  # KS-ordförande, LPO-chef
PARTY = "party"  # the parties' drafters, chairs and LPO-chef (termination)
FLOW = "flow"  # the viewflow process, when a round's tasks are all done
PERIODIC = "periodic"  # run_periodic / Celery beat, with the clock
WORKER = "worker"  # a worker task asked for by a commit (the sealed PDF/A)

STAYS = None  # an edge that records something without changing the state


@dataclass(frozen=True)
class State:
    value: str
    label: Any  # lazy gettext: Swedish, English through the locale
    phase: str = "none"  # drafting, proposed, signing: where a round stands
    # Plain facts about the state that pages and rules ask for by name.
    traits: frozenset[str] = frozenset()
    # What the page says comes next when nothing in a round waits ("Gäller till och med
    # %(date)s"), and the document's date field that fills it in.
    next_step: Any = ""
    next_step_date: str = ""


@dataclass(frozen=True)
class Edge:
    """One arrow of the graph. ``step`` names what a service does; one step may
    have several edges (a first cycle's and a revision's), told apart by source."""

    name: str
    source: tuple[str, ...]
    target: str | None
    by: tuple[str, ...]
    action: str  # the trail action written when the edge is taken
    email: str = ""  # the e-mail event sent with it ("" for none)
    step: str = ""
    guard: Callable[[Any], bool] | None = None
    label: Any = ""  # a button's words, where a person takes it from a page
    note: str = ""  # one line for the docs

    @property
    def family(self) -> str:
        return self.step or self.name

    @property
    def changes_state(self) -> bool:
        return self.target is not STAYS


@dataclass(frozen=True)
class Stage:
    """One step of the step bar on a document's page, and the states it stands for."""

    label: Any
    states: tuple[str, ...]


@dataclass(frozen=True)
class StageMark:
    label: Any
    done: bool
    current: bool


@dataclass(eq=False)  # compared and hashed by identity: one object per kind
class Lifecycle:
    name: str
    states: tuple[State, ...]
    edges: tuple[Edge, ...]
    initial: str
    state_field: str = "state"
    stages: tuple[Stage, ...] = ()
    _by_value: dict[str, State] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_value = {state.value: state for state in self.states}
        names = [edge.name for edge in self.edges]
        assert len(names) == len(set(names)), "edge names must be unique"
        for edge in self.edges:
            for value in (*edge.source, edge.target):
                assert value is None or value in self._by_value, f"{edge.name}: {value}?"
        for stage in self.stages:
            for value in stage.states:
                assert value in self._by_value, f"stage {stage.label}: {value}?"

    def stage_bar(self, value: str) -> list[StageMark]:
        """The step bar for a document in state ``value``: the stages before its own
        are done. Empty for a state no stage stands for (rejected: the label says it)."""
        at = next((i for i, stage in enumerate(self.stages) if value in stage.states), None)
        if at is None:
            return []
        return [
            StageMark(stage.label, done=index < at, current=index == at)
            for index, stage in enumerate(self.stages)
        ]

    # States ---------------------------------------------------------------

    @property
    def choices(self) -> list[tuple[str, Any]]:
        """The state field's choices and labels, in the declaration's order."""
        return [(state.value, state.label) for state in self.states]

    def state(self, value: str) -> State:
        return self._by_value[value]

    def phase(self, value: str) -> str:
        return self._by_value[value].phase

    def has(self, value: str, trait: str) -> bool:
        return trait in self._by_value[value].traits

    def values_with(self, trait: str) -> tuple[str, ...]:
        return tuple(s.value for s in self.states if trait in s.traits)

    def values_in_phase(self, phase: str) -> tuple[str, ...]:
        return tuple(s.value for s in self.states if s.phase == phase)

    def q_with(self, trait: str) -> Q:
        """A queryset filter: documents in a state that has ``trait``."""
        return Q(**{f"{self.state_field}__in": self.values_with(trait)})

    # Edges ----------------------------------------------------------------

    def edge(self, name: str) -> Edge:
        return next(edge for edge in self.edges if edge.name == name)

    def family(self, step: str) -> tuple[Edge, ...]:
        return tuple(edge for edge in self.edges if edge.family == step)

    def sources(self, step: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for edge in self.family(step) for s in edge.source))

    def q_can(self, step: str) -> Q:
        """A queryset filter: documents from whose state ``step`` may be taken."""
        return Q(**{f"{self.state_field}__in": self.sources(step)})

    def allows(self, step: str, value: str) -> bool:
        """Whether the state allows ``step`` at all (guards aside)."""
        return value in self.sources(step)

    def edge_for(self, document: Any, step: str) -> Edge | None:
        """The edge ``step`` takes from the document's state now, guards included."""
        value = getattr(document, self.state_field)
        for edge in self.family(step):
            if value in edge.source and (edge.guard is None or edge.guard(document)):
                return edge
        return None

    def offered(self, document: Any, capacities: Iterable[str], steps: Iterable[str]) -> list[Edge]:
        """The steps a person with ``capacities`` (drafter, party, …) may take now."""
        held = set(capacities)
        found = []
        for step in steps:
            edge = self.edge_for(document, step)
            if edge is not None and held.intersection(edge.by):
                found.append(edge)
        return found

    # django-fsm ------------------------------------------------------------

    def fsm_methods(self) -> type:
        """A mixin with one django-fsm transition method per state-changing edge, so
        that django-fsm's own introspection (``get_all_state_transitions``,
        ``can_proceed``) reports exactly the declared graph. The methods only
        change the field; the services do the rest."""
        methods = {}
        for edge in self.edges:
            if not edge.source:
                continue  # an entry: the document is created in its target state
            assert not hasattr(models.Model, edge.name), f"{edge.name} would hide Model.{edge.name}"

            def method(self) -> None:  # pragma: no cover - the decorator does the work
                pass

            method.__name__ = method.__qualname__ = edge.name
            method.__doc__ = edge.note
            conditions = [edge.guard] if edge.guard else []
            methods[edge.name] = transition(
                field=self.state_field, source=list(edge.source), target=edge.target,
                conditions=conditions,
            )(method)  # fmt: skip
        return type(f"{self.name.title()}Transitions", (), methods)
