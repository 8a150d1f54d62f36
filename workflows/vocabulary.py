"""Words the pages show for codes: task headings, link problems, roles, bodies.
The trail's actions read theirs from ``workflows/trail_actions.py``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Agreement,
    DecidingBody,
    Role,
    TaskKind,
)

# The task a link or the inbox asks for, as a page heading.
TASK_HEADINGS = {
    TaskKind.MUNICIPAL_DECISION: gettext_lazy("Registrera kommunens beslut"),
    TaskKind.POLICE_DECISION: gettext_lazy("Registrera Polisens beslut"),
    TaskKind.MUNICIPAL_PROTOCOL: gettext_lazy("Registrera justering och anslag"),
    TaskKind.KS_SIGNATURE: gettext_lazy("Underteckna överenskommelsen"),
    TaskKind.LPO_SIGNATURE: gettext_lazy("Underteckna överenskommelsen"),
}

# Why an e-mail link cannot be used, as the page's heading.
PROBLEM_TITLES = {
    "unknown": gettext_lazy("Länken känns inte igen"),
    "expired": gettext_lazy("Länken har gått ut"),
    "used": gettext_lazy("Länken har redan använts"),
    "superseded": gettext_lazy("Texten har ändrats"),
    "finished": gettext_lazy("Uppgiften är redan avslutad"),
    "task_closed": gettext_lazy("Uppgiften är redan avslutad"),
    "no_session": gettext_lazy("Öppna länken i e-posten igen"),
    "rate_limited": gettext_lazy("För många försök"),
    "other_person": gettext_lazy("Länken är någon annans"),
}

# Whom an open task waits on, in the definite form ("Väntar på beslut: kommunstyrelsen").
TASK_WAITS_ON = {
    TaskKind.POLICE_DECISION: gettext_lazy("lokalpolisområdeschefen"),
    TaskKind.MUNICIPAL_PROTOCOL: gettext_lazy("justering av kommunens protokoll"),
    TaskKind.KS_SIGNATURE: gettext_lazy("kommunstyrelsens ordförande"),
    TaskKind.LPO_SIGNATURE: gettext_lazy("lokalpolisområdeschefen"),
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


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def task_heading(kind: str) -> str:
    return str(TASK_HEADINGS.get(kind, kind))


def task_waits_on(agreement: Agreement, kind: str) -> str:
    if kind == TaskKind.MUNICIPAL_DECISION:
        return str(BODY_DEFINITE.get(agreement.deciding_body, agreement.deciding_body))
    return str(TASK_WAITS_ON.get(kind, kind))


# Kommuner whose own name ends in -s: "Höganäs kommun" is in Höganäs, but
# "Höörs kommun" is in Höör.
_NAMES_ENDING_IN_S = {
    "Alingsås", "Bengtsfors", "Bollnäs", "Borås", "Degerfors", "Grums", "Hagfors",
    "Hofors", "Hällefors", "Höganäs", "Kramfors", "Munkfors", "Mönsterås", "Robertsfors",
    "Sotenäs", "Storfors", "Strängnäs", "Torsås", "Tranås", "Vännäs", "Västerås",
}  # fmt: skip


def place_of(kommun_name: str) -> str:
    """The place a kommun's signatory writes: "Höörs kommun" → "Höör"."""
    name = kommun_name.strip()
    for suffix in (" kommun", " stad"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)].strip()
            if name.endswith("s") and name not in _NAMES_ENDING_IN_S:
                name = name[:-1]
            break
    return name


def join_and(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def roles_definite(roles: list[str]) -> str:
    return join_and([str(ROLE_DEFINITE.get(role, role)) for role in roles])
