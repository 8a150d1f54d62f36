"""Words the pages show for codes: trail actions, next steps, roles. One place for each."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Agreement,
    AuditEvent,
    Body,
    DecidingBody,
    Outcome,
    Role,
    SignatoryRole,
    TaskKind,
)

# What happened, as the trail tells it. ``%(number)s`` is the version number; the
# others are the event's details as words (see ``action_label``).
ACTION_LABELS = {
    "agreement_created": gettext_lazy("Överenskommelsen skapades"),
    "version_submitted": gettext_lazy("Version %(number)s lämnades in"),
    "version_approved": gettext_lazy("Version %(number)s godkändes"),
    "joint_proposal": gettext_lazy("Version %(number)s blev gemensamt förslag"),
    "decision_recorded": gettext_lazy("Beslut om version %(number)s: %(body)s, %(outcome)s"),
    "signing_opened": gettext_lazy(
        "Version %(number)s har bifallits av båda parter och går till underskrift"
    ),
    "signature_added": gettext_lazy("Version %(number)s undertecknades av %(role)s"),
    "agreement_signed": gettext_lazy("Version %(number)s är undertecknad av båda parter"),
    "entered_into_force": gettext_lazy("Överenskommelsen började gälla"),
    "task_reminder": gettext_lazy("Påminnelse med ny länk: %(task)s väntar på %(waiting_for)s"),
    "task_escalated": gettext_lazy(
        "%(task)s har väntat länge på %(waiting_for)s: skribenterna fick besked"
    ),
    # The period in force (services/lifecycle.py).
    "revision_opened": gettext_lazy("En revidering påbörjades"),
    "revision_closed": gettext_lazy(
        "Revideringen avbröts; den gällande versionen gäller som förut"
    ),
    "agreement_terminated": gettext_lazy(
        "Överenskommelsen sades upp och upphörde att gälla %(ends_on)s"
    ),
    "agreement_expired": gettext_lazy(
        "Perioden tog slut %(period_end)s; överenskommelsen upphörde"
    ),
    "agreement_renewed": gettext_lazy(
        "Överenskommelsen förnyades för perioden %(period_start)s – %(period_end)s"
    ),
    "expiry_warning": gettext_lazy("Parterna påmindes om att perioden slutar %(period_end)s"),
    # Follow-up reports (services/followups.py).
    "followup_submitted": gettext_lazy("Uppföljningsrapporten för %(due_date)s lämnades in"),
    "followup_reminder": gettext_lazy(
        "Påminnelse till skribenterna: uppföljningsrapport ska lämnas senast %(due_date)s"
    ),
    "followup_escalated": gettext_lazy(
        "Uppföljningsrapporten för %(due_date)s är försenad: parternas ledning fick besked"
    ),
    "followup_revision_prompt": gettext_lazy(
        "Årlig uppföljning %(due_date)s: skribenterna tillfrågades om revidering"
    ),
}

# The task a link or the inbox asks for, as a page heading.
TASK_HEADINGS = {
    TaskKind.MUNICIPAL_DECISION: gettext_lazy("Registrera kommunens beslut"),
    TaskKind.POLICE_DECISION: gettext_lazy("Registrera Polisens beslut"),
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
}

# Whom an open task waits on, in the definite form ("Väntar på beslut: kommunstyrelsen").
TASK_WAITS_ON = {
    TaskKind.POLICE_DECISION: gettext_lazy("lokalpolisområdeschefen"),
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


class _Words(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def action_label(event: AuditEvent) -> str:
    label = ACTION_LABELS.get(event.action)
    if label is None:
        return event.action
    details = event.details or {}
    words = _Words(number=details.get("number", "?"))
    if "body" in details:
        words["body"] = _label(Body, details["body"])
    if "outcome" in details:
        words["outcome"] = _label(Outcome, details["outcome"]).lower()
    if "role" in details:
        words["role"] = ROLE_DEFINITE.get(details["role"], _label(SignatoryRole, details["role"]))
    if "task" in details:
        words["task"] = _label(TaskKind, details["task"])
    if "due_date" in details:
        words["due_date"] = details["due_date"]
    if "waiting_for" in details:
        words["waiting_for"] = join_and(person_names(details["waiting_for"] or [])) or "?"
    for day in ("ends_on", "period_start", "period_end"):  # ISO dates, as the pages write them
        if details.get(day):
            words[day] = str(details[day])
    return str(label) % words


def person_names(ids: list) -> list[str]:
    """Names for the person ids the trail keeps (names stay outside the hash)."""
    from ..models import Person

    names = dict(
        Person.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list(
            "pk", "name"
        )
    )
    return [names.get(i, str(i)) if isinstance(i, int) else str(i) for i in ids]


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
