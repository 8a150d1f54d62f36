"""The trail's actions, declared: what each one is called and how its details read.

The values are the action strings stored in the hashed events, so nothing stored
is rewritten. Every edge of a declared lifecycle names one of them; the trail
page, the agreement page, the PDF certificate and the e-mails read their words
from here. Medborgarlöften declare theirs in ``promises/trail_actions.py`` and
``PromisesConfig.ready`` adds them with ``declare``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .agreement_lifecycle import AGREEMENT
from .statemachine import Lifecycle


@dataclass(frozen=True)
class TrailAction:
    action: str
    # What happened, as one sentence. ``%(number)s`` is the version number; other
    # placeholders are the event's details in words (see ``action_label``).
    label: Any
    lifecycle: Lifecycle = AGREEMENT  # whose states from_state and to_state are
    # What the event's hash column holds, when it is not a version of the agreement.
    hash_label: Any = None
    # Labels for detail keys that mean something particular in this action.
    labels: dict[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, TrailAction] = {}


def declare(*actions: TrailAction) -> None:
    for action in actions:
        REGISTRY[action.action] = action


def spec(action: str) -> TrailAction | None:
    return REGISTRY.get(action)


_DAYS_LEFT = {"days": gettext_lazy("Dagar kvar till sista dag")}

declare(
    TrailAction("agreement_created", gettext_lazy("Överenskommelsen skapades")),
    TrailAction(
        "agreement_registered",
        gettext_lazy("Överenskommelsen registrerades i efterhand, beslutad utanför Samverkan"),
        labels={"document_name": gettext_lazy("Källdokument")},
    ),
    TrailAction("version_submitted", gettext_lazy("Version %(number)s lämnades in")),
    TrailAction("version_approved", gettext_lazy("Version %(number)s godkändes")),
    TrailAction("joint_proposal", gettext_lazy("Version %(number)s blev gemensamt förslag")),
    TrailAction(
        "decision_recorded",
        gettext_lazy("Beslut om version %(number)s: %(body)s, %(outcome)s"),
    ),
    TrailAction(
        "signing_opened",
        gettext_lazy("Version %(number)s har bifallits av båda parter och går till underskrift"),
    ),
    TrailAction("signature_added", gettext_lazy("Version %(number)s undertecknades av %(role)s")),
    TrailAction(
        "agreement_signed", gettext_lazy("Version %(number)s är undertecknad av båda parter")
    ),
    TrailAction(
        "agreement_sealed",
        gettext_lazy(
            "Version %(number)s sparades som PDF/A för arkivet och skickades till parterna"
        ),
    ),
    TrailAction("entered_into_force", gettext_lazy("Överenskommelsen började gälla")),
    TrailAction(
        "task_reminder",
        gettext_lazy("Påminnelse med ny länk: %(task)s väntar på %(waiting_for)s"),
    ),
    TrailAction(
        "task_escalated",
        gettext_lazy("%(task)s har väntat länge på %(waiting_for)s: skribenterna fick besked"),
    ),
    TrailAction("revision_opened", gettext_lazy("En revidering påbörjades")),
    TrailAction(
        "revision_closed",
        gettext_lazy("Revideringen avbröts; den gällande versionen gäller som förut"),
    ),
    TrailAction(
        "agreement_terminated",
        gettext_lazy("Överenskommelsen sades upp och upphörde att gälla %(ends_on)s"),
    ),
    TrailAction(
        "notice_given",
        gettext_lazy("Överenskommelsen sades upp; den gäller till och med %(ends_on)s"),
    ),
    TrailAction(
        "agreement_expired",
        gettext_lazy("Perioden tog slut %(period_end)s; överenskommelsen upphörde"),
    ),
    TrailAction(
        "agreement_renewed",
        gettext_lazy("Överenskommelsen förnyades för perioden %(period_start)s – %(period_end)s"),
    ),
    TrailAction(
        "expiry_warning",
        gettext_lazy("Parterna påmindes om att perioden slutar %(period_end)s"),
    ),
    TrailAction(
        "followup_submitted",
        gettext_lazy("Uppföljningsrapporten för %(due_date)s lämnades in"),
        labels={"content_hash": gettext_lazy("Rapportens SHA-256")},
    ),
    TrailAction(
        "followup_reminder",
        gettext_lazy(
            "Påminnelse till skribenterna: uppföljningsrapport ska lämnas senast %(due_date)s"
        ),
        labels=_DAYS_LEFT,
    ),
    TrailAction(
        "followup_escalated",
        gettext_lazy(
            "Uppföljningsrapporten för %(due_date)s är försenad: parternas ledning fick besked"
        ),
    ),
    TrailAction(
        "decision_step_recorded",
        gettext_lazy("Kommunens beslut om version %(number)s: %(step)s %(on)s"),
    ),
    TrailAction(
        "decision_quashed",
        gettext_lazy("Domstolen upphävde kommunens beslut om version %(number)s"),
    ),
    TrailAction(
        "decision_step_reminder",
        gettext_lazy("Påminnelse till nämndsekreteraren: %(step)s"),
    ),
    TrailAction(
        "record_corrected",
        gettext_lazy("Rättelse av %(record)s om version %(number)s: %(field)s"),
    ),
    TrailAction(
        "followup_revision_prompt",
        gettext_lazy("Årlig uppföljning %(due_date)s: skribenterna tillfrågades om revidering"),
    ),
)


# -- what happened, in one sentence ----------------------------------------------------


class _Words(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def action_label(event) -> str:
    """The sentence for an event; a kind not declared reads as its own name in words."""
    declared = spec(event.action)
    if declared is None:
        return event.action.replace("_", " ").capitalize()
    details = event.details or {}
    words = _Words(number=details.get("number", "?"))
    for key, value in details.items():
        if key in DETAILS and _present(value):
            words[key] = DETAILS[key][1](value)
    if "outcome" in details:
        words["outcome"] = words["outcome"].lower()
    if "role" in details:
        words["role"] = _role_definite(details["role"])
    if "waiting_for" in details:
        from .vocabulary import join_and

        words["waiting_for"] = join_and(_people(details["waiting_for"]).split(", ")) or "?"
    return str(declared.label) % words


def states_of(event) -> tuple[str, str] | None:
    """The state change in words, in the lifecycle of the event's document."""
    if not event.to_state or event.from_state == event.to_state:
        return None
    declared = spec(event.action)
    lifecycle = declared.lifecycle if declared else AGREEMENT
    return _state_label(lifecycle, event.from_state), _state_label(lifecycle, event.to_state)


def _state_label(lifecycle: Lifecycle, value: str) -> str:
    try:
        return str(lifecycle.state(value).label)
    except KeyError:
        return value or "–"


def hash_label(event) -> str | None:
    """None when the event's hash is an agreement version's (shown as the version)."""
    declared = spec(event.action)
    return str(declared.hash_label) if declared and declared.hash_label else None


# -- the details, in words -------------------------------------------------------------


def label_of(choices, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def declare_details(details: dict[str, tuple[Any, Callable[[Any], str]]]) -> None:
    """Words for detail keys another package's events carry (promises/registry.py)."""
    DETAILS.update(details)


def _label(choices_path: str) -> Callable[[Any], str]:
    def show(value: Any) -> str:
        from django.utils.module_loading import import_string

        choices = import_string(choices_path)
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)

    return show


def _date(value: Any) -> str:
    return str(value)  # stored as 2023-03-20 already


def _moment(value: Any) -> str:
    """An ISO moment (an authentication's time) in Swedish time, to the second."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _methods(value: Any) -> str:
    return ", ".join(str(v) for v in value or [])


def _paragraph(value: Any) -> str:
    text = str(value).strip()
    return text if text.startswith("§") else f"§ {text}"


def _roles(value: Any) -> str:
    return ", ".join(_label("workflows.models.Role")(role) for role in value or [])


def _people(value: Any) -> str:
    """Person ids (names stay outside the hash) or, in older events, names."""
    from .models import Person

    value = value or []
    ids = [item for item in value if isinstance(item, int)]
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    words = [names.get(item, str(item)) if isinstance(item, int) else str(item) for item in value]
    return ", ".join(words)


def _agreement_no(value: Any) -> str:
    return _("överenskommelse nr %(pk)s") % {"pk": value}


def _agreement_nos(value: Any) -> str:
    return ", ".join(_agreement_no(pk) for pk in value or [])


def _version_no(value: Any) -> str:
    return _("version %(number)s") % {"number": value}


def _yes_no(value: Any) -> str:
    return _("ja") if value else _("nej")


def _stage(value: Any) -> str:
    stages = {
        "before": _("före sista dagen"),
        "due": _("på sista dagen"),
        "overdue": _("försenad"),
    }
    return stages.get(value, str(value))


def _signatures(value: Any) -> str:
    role = _label("workflows.models.SignatoryRole")
    return "; ".join(
        _("%(role)s, %(place)s den %(date)s")
        % {"role": role(i.get("role")), "place": i.get("place"), "date": i.get("signed_on")}
        for i in value or []
        if isinstance(i, dict)
    )


def _registered(kind: str) -> Callable[[Any], str]:
    def show(value: Any) -> str:
        from . import registered

        return getattr(registered, f"{kind}_words")(value)

    return show


def _record(value: Any) -> str:
    return _label("workflows.models.CorrectedRecord")(value).lower()


def _field(value: Any) -> str:
    from .corrections import FIELD_WORDS

    return str(FIELD_WORDS.get(value, value))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_text(item) for item in value.values())
    return str(value)


# key in an event's details → (label, how its value reads). Shown in this order.
DETAILS: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "title": (gettext_lazy("Titel"), str),
    "kind": (gettext_lazy("Typ"), _label("workflows.models.AgreementKind")),
    "deciding_body": (gettext_lazy("Beslutande organ"), _label("workflows.models.DecidingBody")),
    "follow_up_cadence": (
        gettext_lazy("Uppföljning"),
        _label("workflows.models.FollowUpCadence"),
    ),
    "previous_kind": (gettext_lazy("Tidigare typ"), _label("workflows.models.AgreementKind")),
    "previous_deciding_body": (
        gettext_lazy("Tidigare beslutande organ"),
        _label("workflows.models.DecidingBody"),
    ),
    "previous_follow_up_cadence": (
        gettext_lazy("Tidigare uppföljning"),
        _label("workflows.models.FollowUpCadence"),
    ),
    "period": (gettext_lazy("Period"), str),
    "period_start": (gettext_lazy("Gäller från"), _date),
    "period_end": (gettext_lazy("Gäller till och med"), _date),
    "renewed_from": (gettext_lazy("Förnyelse av"), _agreement_no),
    "overlaps": (gettext_lazy("Samma parter och typ, överlappande period"), _agreement_nos),
    "duplicate_reason": (gettext_lazy("Skäl att ändå skapa den"), str),
    "parent": (gettext_lazy("Bygger på"), _version_no),
    "change_note": (gettext_lazy("Ändringsnotering"), str),
    "voided_approvals": (gettext_lazy("Godkännanden som upphörde att gälla"), _roles),
    "body": (gettext_lazy("Beslutande organ"), _label("workflows.models.Body")),
    "outcome": (gettext_lazy("Utfall"), _label("workflows.models.Outcome")),
    "meeting_date": (gettext_lazy("Sammanträdesdatum"), _date),
    "paragraph": (gettext_lazy("Paragraf"), _paragraph),
    "diarienummer": (gettext_lazy("Diarienummer"), str),
    "note": (gettext_lazy("Anteckning"), str),
    "next_meeting_date": (gettext_lazy("Nytt sammanträdesdatum"), _date),
    "decided_by": (gettext_lazy("Beslutsfattare"), str),
    "delegation_point": (gettext_lazy("Punkt i delegationsordningen"), str),
    "notice_months": (gettext_lazy("Uppsägningstid i månader"), str),
    "step": (gettext_lazy("Vad"), _label("workflows.models.StepKind")),
    "on": (gettext_lazy("Datum"), _date),
    "justerare": (gettext_lazy("Justerare"), str),
    "url": (gettext_lazy("Länk"), str),
    "court": (gettext_lazy("Domstol"), str),
    "case_number": (gettext_lazy("Målnummer"), str),
    "appeal_outcome": (gettext_lazy("Utgång"), _label("workflows.models.AppealOutcome")),
    "document_name": (gettext_lazy("Dokument"), str),
    "document_sha256": (gettext_lazy("Dokumentets SHA-256"), str),
    "sealed_by": (gettext_lazy("Förseglad av"), str),
    "last_appeal_day": (gettext_lazy("Sista dag att överklaga"), _date),
    "presenter": (gettext_lazy("Föredragande"), str),
    "previous_period": (gettext_lazy("Tidigare period"), str),
    "previous_kommun": (gettext_lazy("Tidigare kommun"), str),
    "previous_lokalpolisomrade": (gettext_lazy("Tidigare lokalpolisområde"), str),
    "role": (gettext_lazy("Undertecknade som"), _label("workflows.models.SignatoryRole")),
    "signatures": (gettext_lazy("Underskrifter"), _signatures),
    "replaces": (gettext_lazy("Ersätter"), _version_no),
    "task": (gettext_lazy("Uppgift"), _label("workflows.models.TaskKind")),
    "waiting_for": (gettext_lazy("Väntar på"), _people),
    "record": (gettext_lazy("Rättad post"), _record),
    "field": (gettext_lazy("Rättad uppgift"), _field),
    "old": (gettext_lazy("Tidigare värde"), str),
    "new": (gettext_lazy("Rättat värde"), str),
    "reason": (gettext_lazy("Skäl"), str),
    "ends_on": (gettext_lazy("Upphör"), _date),
    "days": (gettext_lazy("Dagar före periodens slut"), str),
    "renewal": (gettext_lazy("Förnyad som"), _agreement_no),
    "due_date": (gettext_lazy("Sista dag för rapporten"), _date),
    "term_start": (gettext_lazy("Perioden som följs upp börjar"), _date),
    "term_end": (gettext_lazy("Perioden som följs upp slutar"), _date),
    "stage": (gettext_lazy("Påminnelse"), _stage),
    "days_late": (gettext_lazy("Dagar försenad"), str),
    "recommend_revision": (gettext_lazy("Rekommenderar revidering"), _yes_no),
    "content_hash": (gettext_lazy("SHA-256"), str),
    "decide_by": (gettext_lazy("Beslut önskas senast"), _date),
    "due": (gettext_lazy("Skulle vara klar senast"), _date),
    "identified_by": (gettext_lazy("Identifierad med"), _label("workflows.models.IdentifiedBy")),
    "identity_provider": (gettext_lazy("Identitetsutfärdare"), str),
    "acr": (gettext_lazy("Tillitsnivå (acr)"), str),
    "amr": (gettext_lazy("Metod (amr)"), _methods),
    "auth_time": (gettext_lazy("Identifierad"), _moment),
    "identity": (gettext_lazy("Bunden identitet"), str),
    "promises": (gettext_lazy("Antal löften"), str),
    "previous_hash": (gettext_lazy("Tidigare SHA-256"), str),
    "round": (gettext_lazy("Omgång"), str),
    "comment": (gettext_lazy("Kommentar"), str),
    "reported_on": (gettext_lazy("Datum"), _date),
    "year": (gettext_lazy("År"), str),
    "summary": (gettext_lazy("Sammanfattning"), str),
    "follow_up_from": (gettext_lazy("Uppföljning i Samverkan från"), _date),
    "registered_decisions": (gettext_lazy("Beslut enligt underlaget"), _registered("decisions")),
    "registered_signatures": (
        gettext_lazy("Underskrifter enligt underlaget"),
        _registered("signatures"),
    ),
}

# Shown elsewhere in the row (the version column, "Ort och datum", the parties)
# or only a row id that the page links instead.
HIDDEN = {
    "number",
    "track",
    "place",
    "signed_on",
    "kommun",
    "lokalpolisomrade",
    "party",
    "task_id",
    "follow_up",
    "promise",
    "report",
    "row",  # the SHA-256 of the record's row, for the verifiers
    "decision",
    "record_id",
}


def event_facts(event, agreement) -> list[tuple[str, str]]:
    """The event's details as (label, words), for the trail page and the PDF."""
    details = event.details or {}
    declared = spec(event.action)
    overrides = declared.labels if declared else {}
    facts = []
    if details.get("place") or details.get("signed_on"):
        facts.append((_("Ort och datum"), _signed(details)))
    facts += _party_facts(details, agreement)
    for key, (label, shown) in DETAILS.items():
        if _present(details.get(key)):
            if key == "meeting_date" and details.get("track") == "police":
                label = _("Beslutsdatum")  # the LPO-chef decides without a meeting
            facts.append((str(overrides.get(key, label)), shown(details[key])))
    for key, value in details.items():
        if key not in DETAILS and key not in HIDDEN and _present(value):
            facts.append((_("Övrig uppgift"), _text(value)))
    return facts


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _signed(details: dict[str, Any]) -> str:
    return _("%(place)s den %(date)s") % {
        "place": details.get("place") or "–",
        "date": details.get("signed_on") or "–",
    }


def _party_facts(details: dict[str, Any], agreement) -> list[tuple[str, str]]:
    """Organisation ids in the details, by the names of the agreement's parties."""
    names = {agreement.kommun_id: agreement.kommun.name}
    names[agreement.lokalpolisomrade_id] = agreement.lokalpolisomrade.name
    facts = []
    for key, label in (
        ("kommun", _("Kommun")),
        ("lokalpolisomrade", _("Lokalpolisområde")),
        ("party", _("Part")),
    ):
        if _present(details.get(key)):
            facts.append((label, names.get(details[key], str(details[key]))))
    return facts


def _role_definite(role: str) -> str:
    """ "kommunstyrelsens ordförande": the signing role as the sentence needs it."""
    from .vocabulary import ROLE_DEFINITE

    return str(ROLE_DEFINITE.get(role) or _label("workflows.models.SignatoryRole")(role))
