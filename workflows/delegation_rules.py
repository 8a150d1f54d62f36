"""Which decisions the kommunstyrelsen may have delegated: a revision that only
changes the action plan (the areas and measures under the sections, with their
effektmål and ansvarig), not the agreement's own text. The decision is then taken
by a delegate and reported (anmäld) to the next KS meeting (issue 13)."""

from __future__ import annotations

from .content import normalise
from .models import Agreement, Version


def action_plan_only(before: dict, after: dict) -> bool:
    """Every section keeps its heading and text; only its items may differ."""

    def frame(content: dict) -> list[tuple[str, str]]:
        return [(s["heading"], s["text"]) for s in normalise(content)["sections"]]

    return frame(before) == frame(after)


def delegable(agreement: Agreement, version: Version) -> bool:
    """A revision of the text in force that changes only its action plan."""
    in_force = agreement.version_in_force
    return (
        in_force is not None
        and in_force.pk != version.pk
        and agreement.applies
        and action_plan_only(in_force.content, version.content)
    )
