"""Starting an agreement from an uploaded document (views/start.py): what the
importer found in the text, set beside the fields of the review form. No database.

Every field of the review says where its value came from: found in the text
(and where), guessed from it (the importer's kind, a period from the title's
years, the kommun the text names most), not found (then what the drafter typed on
the start page, or nothing), or typed on the start page (which the text does not
overwrite; a different value in the text is named). Nothing is filled in that
neither the text nor the drafter gave, except the blank structure when the text
could not be split into sections, and the review says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import content as content_rules
from .blank_agreement import blank_content
from .importer import ImportResult, parse
from .models import AgreementKind, DecidingBody, FollowUpCadence

LABELS = {
    "title": gettext_lazy("Titel"),
    "parties": gettext_lazy("Parter"),
    "period": gettext_lazy("Period"),
    "kind": gettext_lazy("Typ"),
    "deciding_body": gettext_lazy("Beslutande organ"),
    "follow_up_cadence": gettext_lazy("Uppföljning"),
    "text": gettext_lazy("Avsnitt"),
    "signatories": gettext_lazy("Undertecknare"),
    "decision": gettext_lazy("Beslut"),
}
# The form field a "not found" line links to.
ANCHORS = {
    "title": "id_title",
    "parties": "id_parties",
    "period": "id_period_start",
    "kind": "id_kind_0",
    "deciding_body": "id_deciding_body",
    "follow_up_cadence": "id_follow_up_cadence",
    "text": "id_text",
}
# The values the start page passes on to the review (typed there, or its defaults).
TYPED = ("parties", "kind", "deciding_body", "title", "period_start", "period_end")
TYPED_DEFAULTS = ("follow_up_cadence",)


# -- reading ---------------------------------------------------------------------------

_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.S),
    re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])"),
)


def plain(text: str) -> str:
    """The text without Markdown emphasis: a version holds no ** or __ markers."""
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def read(text: str, fmt: str) -> ImportResult:
    """The importer's reading of an uploaded document's text, without emphasis.
    In Markdown the emphasis goes before parsing ("**Effektmål:** …" is a field);
    a plain text keeps it for the importer, which reads "- **Område**" as an area."""
    result = parse(plain(text) if fmt == "markdown" else text, fmt=fmt)
    if result.title:
        result.title = plain(result.title).strip()
    result.sections = [
        {
            "heading": plain(section.get("heading", "")),
            "text": plain(section.get("text", "")),
            "items": [
                {key: plain(value) for key, value in item.items()}
                for item in section.get("items") or []
            ],
        }
        for section in result.sections
    ]
    return result


# -- the review --------------------------------------------------------------------------


@dataclass
class Review:
    initial: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, SafeString] = field(default_factory=dict)
    not_found: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    other_kommun: str = ""
    sections: int = 0
    areas: int = 0
    with_effektmal: int = 0
    with_ansvarig: int = 0
    signatories: list[Any] = field(default_factory=list)
    decision: Any = None
    signed_place: str = ""
    signed_on: Any = None


def _tag(text: str) -> SafeString:
    return format_html('<span class="tag">{}</span>', text)


def _found(source: str) -> SafeString:
    return format_html("{}", _("Hittat i %(source)s.") % {"source": source})


def _guessed(why: str) -> SafeString:
    return format_html("{} {}", _tag(_("gissat ur texten")), why)


def _missing(then: str = "") -> SafeString:
    return format_html("{} {}", _tag(_("hittades inte i texten")), then)


def _typed(found: str) -> SafeString:
    """A value typed on the start page; what the text says, if it says otherwise."""
    said = _("Som du angav på förra sidan.")
    if not found:
        return format_html("{} {}", said, _missing())
    return format_html("{} {}", said, _("Texten anger: %(value)s.") % {"value": found})


def _label(choices: Any, value: str | None) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return ""


class _Marks:
    """Collects the marks beside the fields and the names of what was not found."""

    def __init__(self, out: Review) -> None:
        self.out = out
        self.missing: list[str] = []

    def __call__(self, name: str, mark: SafeString, missing: bool = False) -> None:
        self.out.marks[name] = mark
        if missing:
            self.missing.append(name)

    def settle(
        self,
        name: str,
        typed: dict[str, Any],
        found: dict[str, Any],
        shown: str,
        mark: SafeString,
        then: str,
    ) -> None:
        """One field: what was typed on the start page wins, what the text gives
        fills the gap; ``shown`` is the text's value as words."""
        if all(typed.values()):
            self.out.initial.update(typed)
            complete = all(found.values())
            if complete and {k: _as_text(v) for k, v in found.items()} == typed:
                self(name, mark)
            else:
                self(name, _typed(shown if complete else ""), missing=not complete)
        elif all(found.values()):
            self.out.initial.update(found)
            self(name, mark)
        else:
            self.out.initial.update({k: v for k, v in typed.items() if v})
            self(name, _missing(then), missing=True)


def review(
    result: ImportResult, pairs: dict[str, tuple[Any, Any]], typed: dict[str, str], fmt: str
) -> Review:
    """The review form's starting values and what to say beside each field.
    ``pairs`` are the drafter's own (kommun, LPO) pairs by form key; ``typed`` what
    the start page sent (``TYPED``, ``TYPED_DEFAULTS``)."""
    out = Review(notes=list(result.notes))
    sources = result.sources
    mark = _Marks(out)

    # Title: the first line, or the Markdown's top heading.
    where = _("dokumentets huvudrubrik") if fmt == "markdown" else _("textens första rad")
    mark.settle(
        "title",
        {"title": (typed.get("title") or "").strip()},
        {"title": result.title or ""},
        f"”{result.title}”",
        _found(where),
        _("Lämnas fältet tomt blir titeln typ, kommun och år."),
    )

    _review_parties(out, result, pairs, typed, mark)

    # Period: from a phrase in the text, or guessed from the title's years.
    source = sources.get("period", "")
    if source.startswith("titelns år"):
        period_mark = _guessed(_("av årtalen i titeln, hela år: %(source)s") % {"source": source})
    else:
        period_mark = _found(source or _("texten"))
    mark.settle(
        "period",
        {
            "period_start": typed.get("period_start") or "",
            "period_end": typed.get("period_end") or "",
        },
        {"period_start": result.period_start, "period_end": result.period_end},
        f"{_iso(result.period_start)} – {_iso(result.period_end)}",
        period_mark,
        _("Ange periodens första och sista dag."),
    )

    # Kind: the importer's guess from the title.
    kind = result.kind if _label(AgreementKind, result.kind) else ""
    mark.settle(
        "kind",
        {"kind": typed.get("kind") or ""},
        {"kind": kind},
        _label(AgreementKind, kind).lower(),
        _guessed(_("av %(source)s") % {"source": sources.get("kind", _("titeln"))}),
        _("Välj typen."),
    )

    # Deciding body: when the text says who decides.
    body = result.deciding_body if _label(DecidingBody, result.deciding_body) else ""
    mark.settle(
        "deciding_body",
        {"deciding_body": typed.get("deciding_body") or ""},
        {"deciding_body": body},
        _label(DecidingBody, body).lower(),
        _found(sources.get("deciding_body") or _("texten")),
        _("Förvalt: som typen brukar, fullmäktige för strategisk, annars styrelsen."),
    )

    # The start page has a default cadence; what the text says wins.
    cadence = result.follow_up_cadence
    if _label(FollowUpCadence, cadence):
        out.initial["follow_up_cadence"] = cadence
        source = sources.get("follow_up_cadence") or _("texten")
        mark("follow_up_cadence", _found(source))
    else:
        fallback = typed.get("follow_up_cadence") or FollowUpCadence.YEARLY
        out.initial["follow_up_cadence"] = fallback
        then = _("Förvalt: %(label)s.") % {"label": _label(FollowUpCadence, fallback).lower()}
        mark("follow_up_cadence", _missing(then), missing=True)

    _review_text(out, result, mark)

    out.signatories = list(result.signatories)
    out.decision = result.decision
    out.signed_place = result.signed_place or ""
    out.signed_on = result.signed_on
    missing = list(mark.missing)
    if not result.signatories:
        missing.append("signatories")
    if result.decision is None:
        missing.append("decision")
    out.not_found = [
        {"label": LABELS[name], "anchor": ANCHORS.get(name, "")} for name in missing
    ] + _missing_fields(result)
    return out


def _iso(day: Any) -> str:
    return day.isoformat() if day else ""


def _as_text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _review_parties(out: Review, result: ImportResult, pairs, typed, mark) -> None:
    def same(a: Any, b: str | None) -> bool:
        return bool(b) and a.name.casefold() == b.casefold()

    by_kommun = [key for key, (kommun, _lpo) in pairs.items() if same(kommun, result.kommun)]
    exact = [key for key in by_kommun if same(pairs[key][1], result.lokalpolisomrade)]
    fallback = typed.get("parties") if typed.get("parties") in pairs else next(iter(pairs), "")
    if exact and result.sources.get("kommun") == "texten":
        out.initial["parties"] = exact[0]
        mark("parties", _guessed(_("den kommun texten nämner oftast; titeln nämner ingen")))
    elif exact:
        out.initial["parties"] = exact[0]
        mark("parties", _found(_("titeln")))
    elif len(by_kommun) == 1:
        out.initial["parties"] = by_kommun[0]
        lpo = pairs[by_kommun[0]][1]
        if result.lokalpolisomrade:
            why = _(
                "texten nämner %(kommun)s men %(named)s, medan kommunen samverkar med %(lpo)s"
            ) % {"kommun": result.kommun, "named": result.lokalpolisomrade, "lpo": lpo.name}
            mark("parties", _guessed(why))
        else:
            where = _("titeln") if result.sources.get("kommun") == "titeln" else _("texten")
            mark(
                "parties",
                _found(
                    _("%(where)s: %(kommun)s, som samverkar med %(lpo)s")
                    % {"where": where, "kommun": result.kommun, "lpo": lpo.name}
                ),
            )
    else:
        out.initial["parties"] = fallback
        if result.kommun:
            out.other_kommun = result.kommun
            mark(
                "parties",
                _missing(
                    _("Texten gäller %(kommun)s, som inte är en av dina parter.")
                    % {"kommun": result.kommun}
                ),
                missing=True,
            )
        else:
            mark("parties", _missing(_("Välj bland dina parter.")), missing=True)


def _review_text(out: Review, result: ImportResult, mark) -> None:
    if result.sections:
        out.initial["text"] = content_rules.to_markdown(result.content)
        out.sections = len(result.sections)
        items = [item for section in result.sections for item in section.get("items") or []]
        out.areas = len(items)
        out.with_effektmal = sum(1 for item in items if item.get("effektmal"))
        out.with_ansvarig = sum(1 for item in items if item.get("ansvarig"))
        mark(
            "text",
            _found(
                _("texten: %(sections)s avsnitt och %(areas)s områden")
                % {"sections": out.sections, "areas": out.areas}
            ),
        )
    else:
        out.initial["text"] = content_rules.to_markdown(blank_content())
        mark(
            "text",
            _missing(_("Fältet har den tomma strukturen med vägledning: skriv in texten.")),
            missing=True,
        )


def _missing_fields(result: ImportResult) -> list[dict[str, Any]]:
    """Areas without an effektmål or an ansvarig, by name."""
    items = [item for section in result.sections for item in section.get("items") or []]
    out = []
    for key, label in (("effektmal", _("Effektmål")), ("ansvarig", _("Ansvarig"))):
        lacking = [item.get("title") or _("(utan rubrik)") for item in items if not item.get(key)]
        if lacking:
            out.append(
                {
                    "label": _("%(field)s för %(areas)s")
                    % {"field": label, "areas": ", ".join(lacking)},
                    "anchor": "id_text",
                }
            )
    return out
