"""docs/lifecycle.md, written from the declared lifecycles (settings.LIFECYCLES).

The diagram and the tables are the declaration itself, drawn: nothing here is
written by hand, so the docs cannot drift from the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import override

from .statemachine import Edge, Lifecycle

TITLES = {"agreement": "The agreement", "promise_set": "A medborgarlöften set"}

HEADER = """# Lifecycles

<!-- Written by `manage.py lifecycle_docs` from the declarations; do not edit by hand.
     tests/workflows/test_lifecycle_declaration.py fails when this file is stale. -->

Each kind of document declares its lifecycle once: `workflows/agreement_lifecycle.py`
and `promises/lifecycle.py`, in the shape of `workflows/statemachine.py`. The
models' django-fsm transition methods are made from the declaration, every service
takes its edge through `workflows/services/transitions.py`, and the pages ask the
declaration what to offer. How to add a state or an edge: `docs/architecture.md`.

An edge that stays in its state (`⟲`) records an event without changing the
state. Who takes an edge: `drafter` (kommunpolis, trygghetssamordnare),
`decider` (whoever records a track's decision), `signatory` (KS-ordförande,
LPO-chef), `party` (the parties' drafters, chairs and LPO-chef), `flow` (the
viewflow round, when its tasks are done), `periodic` (`run_periodic`, Celery beat).
"""


def render() -> str:
    parts = [HEADER]
    for path in settings.LIFECYCLES:
        parts.append(_lifecycle(import_string(path)))
    return "\n".join(parts)


def _lifecycle(lifecycle: Lifecycle) -> str:
    lines = [f"## {TITLES.get(lifecycle.name, lifecycle.name)} (`{lifecycle.name}`)", ""]
    lines += ["```mermaid", "stateDiagram-v2"]
    for edge in lifecycle.edges:
        if not edge.changes_state:
            continue
        for source in edge.source or ("[*]",):
            lines.append(f"    {source} --> {edge.target}: {edge.name}")
    ended = [
        s.value
        for s in lifecycle.states
        if not any(s.value in e.source for e in lifecycle.edges if e.changes_state)
    ]
    lines += [f"    {value} --> [*]" for value in ended]
    lines += ["```", "", "| state | Swedish | English | phase | traits |", "|---|---|---|---|---|"]
    for state in lifecycle.states:
        traits = ", ".join(sorted(state.traits)) or "–"
        labels = f"{state.label} | {_english(state.label)}"
        lines.append(f"| `{state.value}` | {labels} | {state.phase} | {traits} |")
    lines += [
        "",
        "| edge | from | to | by | trail action | e-mail | when |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [_edge_row(edge) for edge in lifecycle.edges]
    return "\n".join(lines) + "\n"


def _edge_row(edge: Edge) -> str:
    source = ", ".join(f"`{s}`" for s in edge.source) or "(new)"
    target = f"`{edge.target}`" if edge.changes_state else "⟲"
    guard = f" (guard: `{edge.guard.__name__}`)" if edge.guard else ""
    return (
        f"| `{edge.name}` | {source} | {target} | {', '.join(edge.by)} | `{edge.action}` "
        f"| {edge.email or '–'} | {edge.note}{guard} |"
    )


def _english(label) -> str:
    with override("en"):
        return str(label)
