"""Reading an existing agreement text into the product's fields. Pure: no database.

``parse(text)`` takes a plain-text PDF extraction (like the texts in shared/seeds/)
or the Markdown text form (workflows/content.py) and returns an ``ImportResult``:
title, parties, period, signatories, sections in the content format, a kind guess
and the deciding body when the text says so. Whatever it cannot find it leaves
empty and names in ``missing``; it never fills a gap with a guess of its own.
``sources`` says where each value came from, ``notes`` what was cleaned away.

What it copes with, from the real extractions:

- stray signature initials ("AKB", "NA"), "Handwritten signature", page numbers
  (alone on a line, or ending each page-long paragraph);
- "ø" for "ö" and dropped letters in a kommun's name ("Höørs", "Höors"): names are
  matched against the list of Sweden's 290 kommuner, and corrected only when
  exactly one kommun is that close;
- a long list of other documents' titles before the real text (seed 004): a run
  of many one-line paragraphs is skipped as a reference list;
- a table of contents ("Innehåll 1. Övergripande mål... 3 ...") in a text whose
  headings are run into the paragraphs: the contents guide the section split.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import content as content_rules

FIELDS = (
    "title",
    "kommun",
    "lokalpolisomrade",
    "period_start",
    "period_end",
    "signatories",
    "sections",
    "kind",
)

# Sweden's 290 kommuner (SKR's list); "_" joins two-word names. The official
# name is the genitive + " kommun" (kommun_genitive).
_KOMMUN_NAMES = (
    "Ale Alingsås Alvesta Aneby Arboga Arjeplog Arvidsjaur Arvika Askersund Avesta "
    "Bengtsfors Berg Bjurholm Bjuv Boden Bollebygd Bollnäs Borgholm Borlänge Borås "
    "Botkyrka Boxholm Bromölla Bräcke Burlöv Båstad Dals-Ed Danderyd Degerfors Dorotea "
    "Eda Ekerö Eksjö Emmaboda Enköping Eskilstuna Eslöv Essunga Fagersta Falkenberg "
    "Falköping Falun Filipstad Finspång Flen Forshaga Färgelanda Gagnef Gislaved Gnesta "
    "Gnosjö Gotland Grums Grästorp Gullspång Gällivare Gävle Göteborg Götene Habo Hagfors "
    "Hallsberg Hallstahammar Halmstad Hammarö Haninge Haparanda Heby Hedemora Helsingborg "
    "Herrljunga Hjo Hofors Huddinge Hudiksvall Hultsfred Hylte Håbo Hällefors Härjedalen "
    "Härnösand Härryda Hässleholm Höganäs Högsby Hörby Höör Jokkmokk Järfälla Jönköping "
    "Kalix Kalmar Karlsborg Karlshamn Karlskoga Karlskrona Karlstad Katrineholm Kil Kinda "
    "Kiruna Klippan Knivsta Kramfors Kristianstad Kristinehamn Krokom Kumla Kungsbacka "
    "Kungsör Kungälv Kävlinge Köping Laholm Landskrona Laxå Lekeberg Leksand Lerum Lessebo "
    "Lidingö Lidköping Lilla_Edet Lindesberg Linköping Ljungby Ljusdal Ljusnarsberg Lomma "
    "Ludvika Luleå Lund Lycksele Lysekil Malmö Malung-Sälen Malå Mariestad Mark Markaryd "
    "Mellerud Mjölby Mora Motala Mullsjö Munkedal Munkfors Mölndal Mönsterås Mörbylånga "
    "Nacka Nora Norberg Nordanstig Nordmaling Norrköping Norrtälje Norsjö Nybro Nykvarn "
    "Nyköping Nynäshamn Nässjö Ockelbo Olofström Orsa Orust Osby Oskarshamn Ovanåker "
    "Oxelösund Pajala Partille Perstorp Piteå Ragunda Robertsfors Ronneby Rättvik Sala "
    "Salem Sandviken Sigtuna Simrishamn Sjöbo Skara Skellefteå Skinnskatteberg Skurup "
    "Skövde Smedjebacken Sollefteå Sollentuna Solna Sorsele Sotenäs Staffanstorp "
    "Stenungsund Stockholm Storfors Storuman Strängnäs Strömstad Strömsund Sundbyberg "
    "Sundsvall Sunne Surahammar Svalöv Svedala Svenljunga Säffle Säter Sävsjö Söderhamn "
    "Söderköping Södertälje Sölvesborg Tanum Tibro Tidaholm Tierp Timrå Tingsryd Tjörn "
    "Tomelilla Torsby Torsås Tranemo Tranås Trelleborg Trollhättan Trosa Tyresö Täby "
    "Töreboda Uddevalla Ulricehamn Umeå Upplands-Bro Upplands_Väsby Uppsala Uppvidinge "
    "Vadstena Vaggeryd Valdemarsvik Vallentuna Vansbro Vara Varberg Vaxholm Vellinge "
    "Vetlanda Vilhelmina Vimmerby Vindeln Vingåker Vårgårda Vänersborg Vännäs Värmdö "
    "Värnamo Västervik Västerås Växjö Ydre Ystad Åmål Ånge Åre Årjäng Åsele Åstorp "
    "Åtvidaberg Älmhult Älvdalen Älvkarleby Älvsbyn Ängelholm Öckerö Ödeshög Örebro "
    "Örkelljunga Örnsköldsvik Östersund Österåker Östhammar Östra_Göinge Överkalix "
    "Övertorneå"
)
KOMMUNER = tuple(name.replace("_", " ") for name in _KOMMUN_NAMES.split())
_IRREGULAR_GENITIVE = {"Falun": "Falu", "Kalmar": "Kalmar"}


def kommun_genitive(base: str) -> str:
    """The genitive a kommun's name takes: Höör -> Höörs, Kävlinge -> Kävlinge, Falun -> Falu."""
    if base in _IRREGULAR_GENITIVE:
        return _IRREGULAR_GENITIVE[base]
    return base if base[-1].lower() in "aeiouyåäösxz" else base + "s"


_GENITIVES = {kommun_genitive(base).casefold(): kommun_genitive(base) for base in KOMMUNER}
_BASES = {base.casefold(): base for base in KOMMUNER}

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_UPPER = "A-ZÅÄÖÉÜØ"
_LOWER = "a-zåäöéüø"


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    organisation: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title}


@dataclass(frozen=True)
class Decision:
    """A decision the text records, e.g. "Godtagna av kommunfullmäktige i Höör
    2016-12-21, § 158 (KSF 2016/562)"."""

    body: str  # "kf" or "ks"
    text: str
    date: datetime.date | None = None
    paragraph: str = ""
    diarienummer: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "paragraph": self.paragraph,
            "diarienummer": self.diarienummer,
            "text": self.text,
        }


@dataclass
class ImportResult:
    title: str | None = None
    kommun: str | None = None
    lokalpolisomrade: str | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    signatories: list[Signatory] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    kind: str | None = None  # "strategic", "operational", "one_part"
    deciding_body: str | None = None  # "kf", "ks" when the text records who decides
    follow_up_cadence: str | None = None  # "tertial", "half_yearly", "yearly"
    decision: Decision | None = None
    signed_place: str | None = None
    signed_on: datetime.date | None = None
    format: str = "text"
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [name for name in FIELDS if not getattr(self, name)]

    @property
    def content(self) -> dict[str, Any]:
        return {"sections": self.sections}

    @property
    def item_count(self) -> int:
        return sum(len(section.get("items") or []) for section in self.sections)

    def summary(self) -> dict[str, Any]:
        """JSON-ready: the fields, ``sections`` as a count, and what is missing."""
        return {
            "title": self.title,
            "kommun": self.kommun,
            "lokalpolisomrade": self.lokalpolisomrade,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "signatories": [signatory.as_dict() for signatory in self.signatories],
            "sections": len(self.sections),
            "items": self.item_count,
            "kind": self.kind,
            "deciding_body": self.deciding_body,
            "follow_up_cadence": self.follow_up_cadence,
            "decision": self.decision.as_dict() if self.decision else None,
            "signed_place": self.signed_place,
            "signed_on": _iso(self.signed_on),
            "format": self.format,
            "sources": dict(self.sources),
            "notes": list(self.notes),
            "missing": self.missing,
        }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def parse_file(path: str | Path) -> ImportResult:
    path = Path(path)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else None
    return parse(path.read_text(encoding="utf-8-sig"), fmt=fmt)


def parse(text: str, *, fmt: str | None = None) -> ImportResult:
    """Parse an agreement text. ``fmt`` is "markdown", "text" or None (detect)."""
    result = ImportResult()
    lines = _clean_lines(text, result)
    result.format = fmt or ("markdown" if _looks_like_markdown(lines) else "text")
    result.title, lines = _take_title(lines, result.format)
    lines = _skip_reference_lists(lines, result)
    whole = "\n".join(lines)
    _find_parties(result, whole)
    lines = _take_signatures(lines, result)
    body = "\n".join(lines)
    result.title, body = _complete_title(result.title, body)
    _find_period(result, body)
    _find_decision(result, body)
    if result.decision is None:
        _decision_from_header(result, body)
    body = _drop_decision_stamps(body, result)
    _find_cadence(result, body)
    _guess_kind(result, body)
    result.sections = _sections(body, result)
    _fix_title_spelling(result)
    return result


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:sida\s+)?\d{1,3}(?:\s*\(\d{1,3}\)|\s+av\s+\d{1,3}|\s*/\s*\d{1,3})?\s*$", re.IGNORECASE
)
_INITIALS = re.compile(rf"^[{_UPPER}]{{1,3}}(?:\s+[{_UPPER}]{{1,3}}){{0,2}}$")
_SIGNATURE_MARK = re.compile(
    r"^\[?\s*(?:handwritten\s+)?signature\s*\]?$|^\[?\s*(?:namnteckning|signerad)\s*\]?$",
    re.IGNORECASE,
)


_BOLD_FIELD = re.compile(
    r"^(?:[-*•]\s+)?(?:\*\*|__)(effektmål|effektmal|mål|ansvarig)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*",
    re.IGNORECASE,
)


def _clean_lines(text: str, result: ImportResult) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", "    ").replace("\f", "\n")
    out, dropped = [], 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line and _is_junk(line):
            dropped += 1
            continue
        out.append(_BOLD_FIELD.sub(lambda m: f"{m.group(1).capitalize()}: ", line))
    if dropped:
        result.notes.append(
            f"Tog bort {dropped} rader med sidnummer, initialer eller signaturrester."
        )
    return _drop_running_lines(out, result)


def _page_furniture(line: str) -> bool:
    """What a running header or footer names: a party, the document, a year. A
    sub-heading every area repeats ("Aktiviteter") names none of them and stays."""
    return bool(
        _kommun_candidates(line)
        or _lpo_candidates(line)
        or _AGREEMENT_NAME.search(line)
        or re.search(r"\b(?:19|20)\d{2}\b", line)
    )


def _drop_running_lines(lines: list[str], result: ImportResult) -> list[str]:
    """A short line repeated on every page ("Svalövs kommun" in the footer) is a running
    header or footer, not text. Fields and list entries may repeat; they stay."""
    counts: dict[str, int] = {}
    for line in lines:
        if line and len(line) <= 60 and not line.endswith(".") and not _FIELD.match(line):
            if not _BULLET.match(line):
                counts[line] = counts.get(line, 0) + 1
    running = {line for line, count in counts.items() if count >= 3 and _page_furniture(line)}
    if not running:
        return lines
    result.notes.append(
        "Tog bort sidhuvud eller sidfot som upprepas på varje sida: "
        + ", ".join(f"”{line}”" for line in sorted(running))
        + "."
    )
    return [line for line in lines if line not in running]


def _is_junk(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line) or _INITIALS.match(line) or _SIGNATURE_MARK.match(line))


def _looks_like_markdown(lines: list[str]) -> bool:
    return any(re.match(r"^#{1,6}\s+\S", line) for line in lines)


def _blocks(lines: Iterable[str]) -> list[list[str]]:
    """Paragraphs: runs of non-empty lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _unblock(blocks: Iterable[list[str]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines += [*block, ""]
    return lines


def _loose(phrase: str) -> str:
    """A pattern for the phrase with any white space between its words."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _plain(line: str) -> str:
    """A line without Markdown emphasis or list markers."""
    return re.sub(r"^[-*•–]\s+", "", line).replace("**", "").replace("__", "").strip(" *_")


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------


def _take_title(lines: list[str], fmt: str) -> tuple[str | None, list[str]]:
    """The title: a Markdown ``#`` heading, else the first lines that name an
    agreement. A title page spreads it over lines ("Samverkansöverenskommelse" /
    "mellan Tranås kommun och" / "Lokalpolisområde Tranås" / "2021–2024"); a
    letterhead or a tagline before it is dropped, and so are its repetitions as a
    running header."""
    if fmt == "markdown":
        for index, line in enumerate(lines):
            if re.match(r"^#\s+\S", line):
                return _unemphasised(line[1:]), lines[:index] + lines[index + 1 :]
            if line and not _emphasised(line):
                break
    start = _title_start(lines)
    if start is None:
        return None, lines
    taken = [start]
    index = start + 1
    while len(taken) < 5:
        following = _next_filled(lines, index, max_blanks=1)
        if following is None or not _continues_title(lines[taken[-1]], lines[following]):
            break
        taken.append(following)
        index = following + 1
    title = " ".join(_unemphasised(lines[i]) for i in taken)
    headers = {_header_key(line) for line in lines[:start] if line}
    headers |= {_header_key(lines[i]) for i in taken}
    rest = [line for line in lines[index:] if not line or _header_key(line) not in headers]
    return title, rest


_AGREEMENT_NAME = re.compile(
    r"överenskommelse|samverkansavtal|avtal\b|handlingsplan|medborgarlöfte", re.IGNORECASE
)
_TITLE_LINK = re.compile(r"\b(?:och|mellan|i|för|om|med|samt|kring|inom)$|[,–—-]$", re.IGNORECASE)
_TITLE_TAIL = re.compile(r"^(?:\d{4}(?:\s*[-–—/]\s*\d{2,4})?|[a-zåäö].*)$")


def _title_start(lines: list[str]) -> int | None:
    """The first line of the first paragraph that names an agreement in its first
    lines, among the short lines before the text begins; else the first line, when it
    can be a title at all."""
    filled = [index for index, line in enumerate(lines) if line][:6]
    starts = [i for i in filled if i == filled[0] or not lines[i - 1]][:2]  # a letterhead
    for index in starts:
        head = [_unemphasised(line) for line in _blocks(lines[index:])[0][:3]]
        if len(head[0]) > 200 or head[0].endswith("."):
            break
        if _AGREEMENT_NAME.search(" ".join(line for line in head if not line.endswith("."))):
            return index
    if not filled:
        return None
    first = _unemphasised(lines[filled[0]])
    return None if len(first) > 200 or first.endswith(".") else filled[0]


def _continues_title(line: str, following: str) -> bool:
    following = _unemphasised(following)
    if not following or len(following) > 120 or following.endswith("."):
        return False
    return bool(_TITLE_LINK.search(_unemphasised(line)) or _TITLE_TAIL.match(following))


def _header_key(line: str) -> str:
    return re.sub(r"\s+", " ", _unemphasised(line)).casefold()


def _emphasised(line: str) -> bool:
    return bool(re.match(r"^(\*\*|__).+(\*\*|__)$", line.strip()))


def _unemphasised(line: str) -> str:
    """Without Markdown heading marks and emphasis: "# **Överenskommelse**"."""
    text = re.sub(r"^#{1,6}\s+", "", line.strip())
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


_YEARS = r"(?<!\d)(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})(?![\d-])"


def _complete_title(title: str | None, body: str) -> tuple[str | None, str]:
    """Seed 004: the title line lacks the years, the text repeats it with them.
    Take the years into the title and drop the repetition from the text."""
    if not title or re.search(_YEARS, title):
        return title, body
    pattern = _loose(title) + r"\s+(\d{4}\s*[-–—]\s*\d{4})\b"
    match = re.search(pattern, body)
    if not match:
        return title, body
    return f"{title} {match.group(1)}", body[: match.start()] + body[match.end() :].lstrip()


# ---------------------------------------------------------------------------
# Reference lists (seed 004)
# ---------------------------------------------------------------------------

_LIST_MIN_RUN = 20
_LIST_MIN_KOMMUNER = 5


def _skip_reference_lists(lines: list[str], result: ImportResult) -> list[str]:
    """Drop a list of other documents' titles: a run of many one-line paragraphs
    naming many different kommuner, with the short heading block just before it
    and a label line ("Transkript:") after it."""
    blocks = _blocks(lines)
    keep = [True] * len(blocks)
    for start, end in _one_line_runs(blocks):
        if not _names_many_kommuner(blocks[start:end]):
            continue
        if start > 0 and _is_short_block(blocks[start - 1]):
            start -= 1
        if end < len(blocks) and _is_label(blocks[end]) and not _is_label(blocks[end - 1]):
            end += 1
        keep[start:end] = [False] * (end - start)
        result.notes.append(
            f"Hoppade över en lista med {end - start} rader som ser ut att vara andra "
            "dokuments titlar (inte överenskommelsens text)."
        )
    if all(keep):
        return lines
    return _unblock(block for block, kept in zip(blocks, keep, strict=True) if kept)


def _one_line_runs(blocks: list[list[str]]) -> list[tuple[int, int]]:
    """Runs of at least _LIST_MIN_RUN one-line paragraphs; a label ("Transkript:")
    ends a run and belongs to it."""
    runs, start = [], None
    for index, block in enumerate([*blocks, ["#"]]):
        short = _is_list_line(block)
        if short and start is None:
            start = index
        if start is not None and (not short or _is_label(block)):
            end = index + 1 if short else index
            if end - start >= _LIST_MIN_RUN:
                runs.append((start, end))
            start = None
    return runs


def _is_list_line(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1 and len(line) <= 200 and not line.startswith("#") and not _FIELD.match(line)
    )


def _names_many_kommuner(blocks: list[list[str]]) -> bool:
    names = set(_kommun_candidates("\n".join(line for block in blocks for line in block)))
    return len(names) >= _LIST_MIN_KOMMUNER


def _is_short_block(block: list[str]) -> bool:
    return len(block) <= 3 and all(len(line) <= 80 for line in block)


def _is_label(block: list[str]) -> bool:
    return len(block) == 1 and len(block[0]) <= 40 and block[0].endswith(":")


# ---------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------

_KOMMUN_MENTION = re.compile(
    rf"(?<![\w-])((?:[{_UPPER}][{_LOWER}]+[ -])?[{_UPPER}][\w-]*)\s+([Kk]ommuns?|[Ss]tad)\b"
)
_LPO_MENTION = re.compile(
    rf"\b[Ll]okalpolisområde(?:t|s)?\s+([{_UPPER}][{_LOWER}]+(?:[/-][{_UPPER}][{_LOWER}]+)?)"
)
_LPO_GENITIVE = re.compile(rf"\b([{_UPPER}][{_LOWER}]+s)\s+lokalpolisområde\b")


def _find_parties(result: ImportResult, text: str) -> None:
    title = result.title or ""
    kommun = _best(_kommun_candidates(title), _kommun_candidates(text))
    if kommun:
        result.kommun = f"{kommun} kommun"
        result.sources["kommun"] = "titeln" if kommun in _kommun_candidates(title) else "texten"
        others = sorted(set(_kommun_candidates(text)) - {kommun})
        if others:
            result.notes.append(
                "Texten nämner även: " + ", ".join(f"{name} kommun" for name in others) + "."
            )
    lpo = _best(_lpo_candidates(title), _lpo_candidates(text))
    if lpo:
        result.lokalpolisomrade = f"Lokalpolisområde {lpo}"
        result.sources["lokalpolisomrade"] = "titeln" if lpo in _lpo_candidates(title) else "texten"


def _best(in_title: list[str], in_text: list[str]) -> str | None:
    """The name the title uses, else the one the text uses most (first on a tie)."""
    if in_title:
        return in_title[0]
    if not in_text:
        return None
    return max(dict.fromkeys(in_text), key=in_text.count)


def _kommun_candidates(text: str) -> list[str]:
    """Official genitive names ("Höörs") of the kommuner the text names, in order."""
    found = []
    for match in _KOMMUN_MENTION.finditer(text):
        words = match.group(1)
        name = kommun_name(words) or kommun_name(re.split(r"[ ]", words)[-1])
        if name:
            found.append(name)
    return found


def kommun_name(written: str) -> str | None:
    """The official genitive for a name as written ("Höørs", "Höors", "Höör" ->
    "Höörs"), or None when it is no kommun or several are equally close."""
    word = written.replace("ø", "ö").replace("Ø", "Ö").strip()
    key = word.casefold()
    if key in _GENITIVES:
        return _GENITIVES[key]
    if key in _BASES:
        return kommun_genitive(_BASES[key])
    if len(key) < 5:
        return None
    close = {_GENITIVES[g] for g in _GENITIVES if _one_edit(key, g)}
    return close.pop() if len(close) == 1 else None


def _lpo_candidates(text: str) -> list[str]:
    found = [_lpo_name(m.group(1)) for m in _LPO_MENTION.finditer(text)]
    for match in _LPO_GENITIVE.finditer(text):
        base = _BASES.get(match.group(1)[:-1].casefold())
        if base:
            found.append(base)
    return [name for name in found if name]


def _lpo_name(written: str) -> str | None:
    """LPO names are mostly kommun names: correct them the same way; strip a
    genitive s ("lokalpolisområde Eslövs gemensamma")."""
    word = written.replace("ø", "ö").replace("Ø", "Ö")
    if "/" in word or "-" in word:
        return word
    for candidate in (word, word[:-1] if word.endswith("s") else None):
        if candidate and candidate.casefold() in _BASES:
            return _BASES[candidate.casefold()]
    if word.endswith("s"):
        return None
    corrected = kommun_name(word)
    base = _base_of(corrected) if corrected else None
    return base or word


def _base_of(genitive: str) -> str | None:
    return next((b for b in KOMMUNER if kommun_genitive(b) == genitive), None)


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            rest = index + 1 if len(a) == len(b) else index
            return a[rest:] == b[index + 1 :]
    return True


def _fix_title_spelling(result: ImportResult) -> None:
    """Correct a misspelt kommun name in the title ("Höors kommun")."""
    if not result.title:
        return
    fixed = _KOMMUN_MENTION.sub(_corrected_mention, result.title)
    if fixed != result.title:
        result.notes.append(f"Rättade kommunens namn i titeln: ”{result.title}” → ”{fixed}”.")
        result.title = fixed


def _corrected_mention(match: re.Match[str]) -> str:
    words, suffix = match.group(1), match.group(2)
    name = kommun_name(words)
    if name:
        return f"{name} {suffix}"
    last = words.split(" ")[-1]
    name = kommun_name(last)
    if not name:
        return match.group(0)
    return f"{words[: len(words) - len(last)]}{name} {suffix}"


# ---------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------

_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|af|von|van|de|[{_UPPER}]\.)){{1,3}}$")
_NOT_NAME_WORDS = {
    "kommun", "kommunen", "polisen", "polismyndigheten", "lokalpolisområde", "region",
    "stad", "trygga", "samverkan", "lokala", "brå",
}  # fmt: skip
_TITLE_WORDS = re.compile(
    r"ordförande|ordf\.|chef\b|kommunpolis|polis\b|samordnare|direktör|sekreterare|"
    r"kommunalråd|ledamot|polismästare|polisintendent|handläggare",
    re.IGNORECASE,
)
_ORG_LINE = re.compile(r"kommun|lokalpolisområde|polis|stad\b|region", re.IGNORECASE)
_PLACE_DATE = re.compile(
    rf"^(?P<place>[{_UPPER}][{_LOWER}]+),?(?:\s+den)?\s+"
    r"(?:(?P<y>\d{4})[- ]?(?P<m>\d{2})[- ]?(?P<d>\d{2})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<mon>{_MONTH})\s+(?P<y2>\d{{4}}))$",
    re.IGNORECASE,
)


def _is_name(line: str) -> bool:
    text = _plain(line)
    if not _NAME.match(text):
        return False
    return not any(word.casefold() in _NOT_NAME_WORDS for word in text.split())


def _is_title(line: str) -> bool:
    text = _plain(line)
    return (
        0 < len(text) <= 70
        and len(text.split()) <= 6
        and ":" not in text
        and not text.endswith(".")
        and bool(_TITLE_WORDS.search(text))
    )


def _is_org(line: str) -> bool:
    text = _plain(line)
    return 0 < len(text) <= 60 and len(text.split()) <= 5 and bool(_ORG_LINE.search(text))


def _take_signatures(lines: list[str], result: ImportResult) -> list[str]:
    """Remove signature blocks (name, title, organisation) and "Ort den datum" lines;
    record them. They belong to the signing, not to the agreement's text."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        consumed = (
            _placeholder(lines, index)
            or _place_date(lines[index], result)
            or _signatories_in_columns(lines, index, result)
            or _signatory_at(lines, index, result)
        )
        if consumed:
            index += consumed
            continue
        out.append(lines[index])
        index += 1
    return out


def _columns(line: str) -> list[str]:
    """The cells of a line that sets signatures side by side: a Markdown table row,
    or columns apart by two spaces or more (as a PDF's text extraction gives them)."""
    text = line.strip()
    if text.startswith("|") and text.endswith("|"):
        return [_plain(cell) for cell in text.strip("|").split("|")]
    return [_plain(cell) for cell in re.split(r"\s{2,}", text)]


_PLACEHOLDER = re.compile(
    r"^(?:[.…_\-–]{3,}|\|?[\s:|-]*-{3,}[\s:|-]*\|?|ort\s+och\s+datum|ort\s*/\s*datum|datum|"
    r"namnförtydligande|underskrift|namnteckning)$",
    re.IGNORECASE,
)
_ON_BEHALF = re.compile(rf"^För\s+[{_UPPER}]")


def _placeholder(lines: list[str], index: int) -> int:
    """A signature line to write on ("…………", "Ort och datum", a table's "|---|"), or
    "För Falköpings kommun   För Polismyndigheten" just above the names."""
    cells = [cell for cell in _columns(lines[index]) if cell]
    if not cells:
        return 0
    if all(_PLACEHOLDER.match(cell) for cell in cells):
        return 1
    if all(_ON_BEHALF.match(cell) and len(cell) <= 60 for cell in cells):
        following = _next_filled(lines, index + 1, max_blanks=2)
        while following is not None and _placeholder(lines, following):
            following = _next_filled(lines, following + 1, max_blanks=2)
        if following is not None and _names_in(lines[following]):
            return 1
    return 0


def _names_in(line: str) -> bool:
    cells = [cell for cell in _columns(line) if cell]
    return bool(cells) and all(_is_name(cell) for cell in cells)


def _signatories_in_columns(lines: list[str], index: int, result: ImportResult) -> int:
    """Names side by side, their titles side by side below, perhaps their
    organisations: read column by column, left first."""
    names = [cell for cell in _columns(lines[index]) if cell]
    if len(names) < 2 or not all(_is_name(name) for name in names):
        return 0
    title_at = _next_filled(lines, index + 1, max_blanks=2)
    if title_at is None:
        return 0
    titles = [cell for cell in _columns(lines[title_at]) if cell]
    if len(titles) != len(names) or not all(_is_title(title) for title in titles):
        return 0
    end = title_at + 1
    organisations = [""] * len(names)
    if end < len(lines) and lines[end]:
        cells = [cell for cell in _columns(lines[end]) if cell]
        if len(cells) == len(names) and all(_is_org(c) and not _is_name(c) for c in cells):
            organisations = [cell.replace("ø", "ö") for cell in cells]
            end += 1
    for name, title, organisation in zip(names, titles, organisations, strict=True):
        result.signatories.append(Signatory(name=name, title=title, organisation=organisation))
    return end - index


def _place_date(line: str, result: ImportResult) -> int:
    cells = [cell for cell in _columns(line) if cell]
    matches = [_PLACE_DATE.match(cell) for cell in cells]
    if not cells or not all(matches):
        return 0
    match = matches[0]
    day = _date_of(match)
    if day is None:
        return 0
    if result.signed_on is None:
        result.signed_place = match.group("place").replace("ø", "ö")
        result.signed_on = day
    return 1


def _date_of(match: re.Match[str]) -> datetime.date | None:
    if match.group("y"):
        parts = (match.group("y"), match.group("m"), match.group("d"))
    else:
        parts = (match.group("y2"), MONTHS[match.group("mon").lower()], match.group("d2"))
    return _valid_date(*parts)


def _signatory_at(lines: list[str], index: int, result: ImportResult) -> int:
    """Lines consumed by a signature block starting at ``index`` (0 if none)."""
    if not _is_name(lines[index]):
        return 0
    title_at = _next_filled(lines, index + 1, max_blanks=2)
    if title_at is None or not _is_title(lines[title_at]):
        return 0
    end = title_at + 1
    organisation = ""
    if end < len(lines) and lines[end] and _is_org(lines[end]) and not _is_name(lines[end]):
        organisation = _plain(lines[end]).replace("ø", "ö")
        end += 1
    name, title = _plain(lines[index]), _plain(lines[title_at])
    result.signatories.append(Signatory(name=name, title=title, organisation=organisation))
    return end - index


def _next_filled(lines: list[str], start: int, max_blanks: int) -> int | None:
    for index in range(start, min(len(lines), start + max_blanks + 1)):
        if lines[index]:
            return index
    return None


# ---------------------------------------------------------------------------
# Period
# ---------------------------------------------------------------------------

_TO = r"(?:-{1,2}|–|—|till\s+och\s+med|t\.\s?o\.\s?m\.?|tom|till)"
_ISO_RANGE = re.compile(rf"(\d{{4}}-\d{{2}}-\d{{2}})\s*{_TO}\s*(\d{{4}}-\d{{2}}-\d{{2}})")
_MONTH_RANGE = re.compile(
    rf"(?:(\d{{1,2}})\s+)?\b({_MONTH})\s+(\d{{4}})\s*{_TO}\s*(?:den\s+)?"
    rf"(?:(\d{{1,2}})\s+)?\b({_MONTH})\s+(\d{{4}})",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(rf"(?<![\d-])(\d{{4}})\s*{_TO}\s*(\d{{4}})(?![\d-])")
_VALIDITY = re.compile(
    r"\b(gäller|gälla|giltig\w*|gällande|avtalsperiod\w*|löptid\w*|löper|period(?:en)?|"
    r"för\s+åren)\b",
    re.IGNORECASE,
)


def _find_period(result: ImportResult, body: str) -> None:
    found = _period_in_validity_phrase(body)
    if found:
        result.period_start, result.period_end, phrase = found
        result.sources["period"] = f"texten: ”{phrase}”"
        return
    found = _period_in_title(result.title or "")
    if found:
        result.period_start, result.period_end, phrase = found
        result.sources["period"] = f"titelns år: ”{phrase}”"


Period = tuple[datetime.date, datetime.date, str]


def _period_in_validity_phrase(body: str) -> Period | None:
    """The first date range in the same sentence right after "gäller", "giltig"…; a
    noun ("för åren", "perioden") just after "förra"/"tidigare" is the earlier one's."""
    for keyword in _VALIDITY.finditer(body):
        word = keyword.group(1).lower()
        verb = word in ("gäller", "gälla", "löper") or word.startswith("giltig")
        if not verb and _EARLIER.search(body[max(0, keyword.start() - 40) : keyword.start()]):
            continue
        window = _sentence_rest(body, keyword.end())
        for finder in (_iso_range, _month_range, _year_range):
            found = finder(window)
            if found:
                return found
    return None


def _sentence_rest(body: str, start: int) -> str:
    window = body[start : start + 160]
    window = window.split("\n\n")[0]
    stop = re.search(rf"\.\s+[{_UPPER}]", window)
    return window[: stop.start()] if stop else window


def _iso_range(text: str) -> Period | None:
    for match in _ISO_RANGE.finditer(text):
        try:
            start = datetime.date.fromisoformat(match.group(1))
            end = datetime.date.fromisoformat(match.group(2))
        except ValueError:
            continue
        if _plausible(start, end):
            return start, end, match.group(0)
    return None


def _month_range(text: str) -> Period | None:
    for match in _MONTH_RANGE.finditer(text):
        start = _day(match.group(3), match.group(2), match.group(1), first=True)
        end = _day(match.group(6), match.group(5), match.group(4), first=False)
        if start and end and _plausible(start, end):
            return start, end, match.group(0)
    return None


def _day(year: str, month: str, day: str | None, *, first: bool) -> datetime.date | None:
    y, m = int(year), MONTHS[month.lower()]
    d = int(day) if day else (1 if first else calendar.monthrange(y, m)[1])
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def _year_range(text: str) -> Period | None:
    for match in _YEAR_RANGE.finditer(text):
        start = datetime.date(int(match.group(1)), 1, 1)
        end = datetime.date(int(match.group(2)), 12, 31)
        if _plausible(start, end):
            return start, end, match.group(0)
    return None


def _period_in_title(title: str) -> Period | None:
    """The title's years ("2019–2022", "2018/19"), or its one year ("… 2024")."""
    for match in re.finditer(_YEARS, title):
        first, last = int(match.group(1)), match.group(2)
        end_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        start, end = datetime.date(first, 1, 1), datetime.date(end_year, 12, 31)
        if _plausible(start, end):
            return start, end, match.group(0)
    years = re.findall(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])", title)
    if len(years) == 1:
        year = int(years[0])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), years[0]
    return None


def _plausible(start: datetime.date, end: datetime.date) -> bool:
    return 1990 <= start.year <= 2100 and start < end and (end - start).days <= 366 * 10


# ---------------------------------------------------------------------------
# Decision and kind
# ---------------------------------------------------------------------------

_BODIES = {"kommunfullmäktige": "kf", "kommunstyrelsen": "ks"}
_BODY = rf"(kommunfullmäktige|kommunstyrelsen)\b(?:\s+i\s+[{_UPPER}][{_LOWER}]+(?:\s+kommun)?)?"
# "Godkänd av kommunstyrelsen …", "har godkänts av", "antogs av": decided. "beslutas
# av", "ska beslutas av": who decides, not yet a decision.
_DECIDED_BY = re.compile(
    r"\b(?:godkän(?:d|t|da|ts)|godtag(?:en|et|na|its)|antag(?:en|et|na|its)|antogs|"
    r"beslutad(?:e|es)?|beslutats|faststäl(?:ld|lt|lda|ldes|lts))\s+av\s+" + _BODY,
    re.IGNORECASE,
)
_DECIDED_BY_LATER = re.compile(r"\b(?:beslutas|fastställs|godkänns|antas)\s+av\s+" + _BODY, re.I)
_DECIDES = re.compile(
    r"\b(kommunfullmäktige|kommunstyrelsen)\b[^.]{0,100}?\bbeslutar\b", re.IGNORECASE
)
# What the decision is about must be the agreement: a stamp ("Godkänd av …" first in
# its sentence) or a sentence whose subject names it. "Riktlinjerna antogs av …" is not.
_SUBJECT = re.compile(
    r"överenskommelse|samverkansavtal|avtal|handlingsplan|\bdel(?:en)?\b|dokument", re.I
)
_DATE_WORDS = re.compile(rf"(?:den\s+)?(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")
_PARAGRAPH = re.compile(r"§\s*(\d{1,4})\b")
_BARE_PARAGRAPH = re.compile(r"^\s*,?\s*(\d{1,4})(?![\d/:-])")
_DIARIENUMMER = r"(?:[A-ZÅÄÖ]{1,5}\s?/?\s?)?\d{4}[/:]\d{1,6}(?:-\d{1,4})?"
_DNR = re.compile(
    rf"(?:\b(?:dnr|diarienummer|diarienr)\.?:?\s*({_DIARIENUMMER}))|\(\s*({_DIARIENUMMER})\s*\)",
    re.IGNORECASE,
)


def _find_decision(result: ImportResult, body: str) -> None:
    later = None
    for sentence in _sentences(body):
        sentence = _unemphasised(sentence.lstrip("> "))
        lowered = sentence.lower()
        if "kommunfullmäktige" in lowered and re.search(r"kommunstyrelsen\b", lowered):
            continue  # names both bodies (e.g. "strategic by KF, operational by KS")
        match = _DECIDED_BY.search(sentence)
        if match and _about_the_agreement(sentence[: match.start()]):
            _record_decision(result, match, sentence)
            return
        later = later or _DECIDED_BY_LATER.search(sentence) or _DECIDES.search(sentence)
    if later and _about_the_agreement(later.string[: later.start()]):
        _record_body(result, later)


def _about_the_agreement(before: str) -> bool:
    before = before.strip(" *_>-–(")
    return not before or bool(_SUBJECT.search(before))


# A document's header table: "Diarienummer: KS 2021/0345   Beslutad av: Kommunstyrelsen".
_LABELLED = re.compile(rf"^([{_UPPER}][{_LOWER} ]{{2,24}}):\s*(.+)$")
_DECIDED_LABELS = ("beslutad av", "antagen av", "fastställd av", "godkänd av", "beslutsinstans")
_DATE_LABELS = ("beslutsdatum", "datum för beslut", "beslutad", "antagen", "fastställd")
_DNR_LABELS = ("diarienummer", "dnr", "diarienr", "ärendenummer")
_METADATA_LABELS = (
    *_DECIDED_LABELS, *_DATE_LABELS, *_DNR_LABELS, "dokumenttyp", "dokumentansvarig",
    "version", "gäller från", "gäller till", "upprättad av", "reviderad", "giltig till",
)  # fmt: skip


def _header_table(line: str) -> dict[str, str] | None:
    """The labelled cells of a line of a document's header table, when every cell is
    labelled and one label is one such tables use."""
    cells = [cell for cell in _columns(line) if cell]
    matches = [_LABELLED.match(cell) for cell in cells]
    if not cells or not all(matches):
        return None
    labels = {m.group(1).strip().lower(): m.group(2).strip() for m in matches if m}
    return labels if any(label in _METADATA_LABELS for label in labels) else None


def _decision_from_header(result: ImportResult, body: str) -> None:
    cells: dict[str, str] = {}
    for line in body.split("\n")[:60]:
        cells.update(_header_table(line) or {})
    decided_by = next((cells[k] for k in _DECIDED_LABELS if k in cells), "")
    named = re.match(r"(kommunfullmäktige|kommunstyrelsen)\b", decided_by.lower())
    if not named:
        return
    body_code = _BODIES[named.group(1)]
    result.deciding_body = body_code
    when = next((cells[k] for k in _DATE_LABELS if k in cells), "")
    date, _found = _first_date(when)
    section = _PARAGRAPH.search(when)
    dnr = next((cells[k] for k in _DNR_LABELS if k in cells), "")
    text = "; ".join(f"{label.capitalize()}: {value}" for label, value in cells.items())
    result.sources["deciding_body"] = f"dokumentets huvud: ”{_squeeze(text)}”"
    result.decision = Decision(
        body=body_code,
        text=_squeeze(text),
        date=date,
        paragraph=section.group(1) if section else "",
        diarienummer=dnr if re.fullmatch(_DIARIENUMMER, dnr) else "",
    )


def _drop_decision_stamps(body: str, result: ImportResult) -> str:
    """A line that is only a decision stamp ("Godkänd av kommunstyrelsen 2019-03-11,
    § 45"), or a line of the document's header table, records the earlier decision;
    it is not text to decide again."""
    kept = []
    for line in body.split("\n"):
        if _header_table(line):
            result.notes.append(f"Tog bort en rad ur dokumentets huvud: ”{_squeeze(line)}”.")
            continue
        plain = _unemphasised(line.lstrip("> ")).strip("()")
        match = _DECIDED_BY.match(plain)
        if match and len(plain) <= 160 and not re.search(r"\.\s+\S", plain):
            result.notes.append(f"Tog bort beslutsraden ur texten: ”{plain}”.")
            continue
        kept.append(line)
    return "\n".join(kept)


def _record_body(result: ImportResult, match: re.Match[str]) -> str:
    body = _BODIES[match.group(1).lower()]
    result.deciding_body = body
    result.sources["deciding_body"] = f"texten: ”{_squeeze(match.group(0))}”"
    return body


def _record_decision(result: ImportResult, match: re.Match[str], sentence: str) -> None:
    body = _record_body(result, match)
    tail = sentence[match.end() :][:120]
    paragraph = ""
    date, found = _first_date(tail)
    section = _PARAGRAPH.search(tail)
    if section:
        paragraph = section.group(1)
    elif found:
        bare = _BARE_PARAGRAPH.match(tail[found.end() :])
        paragraph = bare.group(1) if bare else ""
    dnr = _DNR.search(tail)
    result.decision = Decision(
        body=body,
        text=_squeeze(sentence),
        date=date,
        paragraph=paragraph,
        diarienummer=(dnr.group(1) or dnr.group(2)).strip() if dnr else "",
    )


def _first_date(text: str) -> tuple[datetime.date | None, re.Match[str] | None]:
    """The first date in ``text``, ISO or in words ("den 24 april 2018"), and where."""
    iso, words = _ISO_DATE.search(text), _DATE_WORDS.search(text)
    found = min((m for m in (iso, words) if m), key=lambda m: m.start(), default=None)
    if found is None:
        return None, None
    if found is iso:
        return _valid_date(*found.group(1).split("-")), found
    return _valid_date(found.group(3), MONTHS[found.group(2).lower()], found.group(1)), found


def _valid_date(year: str | int, month: str | int, day: str | int) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


# How often the agreement is followed up, in the sentence that says it is followed up.
_FOLLOW_UP = re.compile(r"\bfölj\w*\s+upp\b|\buppfölj\w*", re.IGNORECASE)
_CADENCES = (
    ("tertial", r"\btertial\w*|\btre\s+gånger\s+(?:per|om|i)\s+år(?:et)?\b|var\s+fjärde\s+månad"),
    (
        "half_yearly",
        r"\bhalvår\w*|\btvå\s+gånger\s+(?:per|om|i)\s+år(?:et)?\b|var\s+sjätte\s+månad",
    ),
    ("yearly", r"\bårlig\w*|\ben\s+gång\s+(?:per|om|i)\s+år(?:et)?\b|\bvarje\s+år\b"),
)


_EARLIER = re.compile(r"\b(?:förra|tidigare|föregående)\b", re.IGNORECASE)


def _find_cadence(result: ImportResult, body: str) -> None:
    """Only a sentence about following up, with one frequency the product knows:
    "följs upp minst en gång per tertial", "årliga uppföljningar". A sentence naming
    two frequencies, or one the product has no cadence for, says nothing."""
    for sentence in _sentences(body):
        if not _FOLLOW_UP.search(sentence) or _EARLIER.search(sentence):
            continue
        found = {name for name, pattern in _CADENCES if re.search(pattern, sentence, re.I)}
        if len(found) == 1:
            result.follow_up_cadence = found.pop()
            result.sources["follow_up_cadence"] = f"texten: ”{_squeeze(sentence)}”"
            return


def _sentences(body: str) -> list[str]:
    """Sentences, and a heading run into its paragraph ("Uppföljning\nÖverenskommelsen
    följs upp …") apart from the sentence after it."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", body):
        lines = sentence.strip().split("\n")
        while len(lines) > 1 and _is_heading(lines[0].strip()) and lines[1][:1].isupper():
            out.append(lines.pop(0))
        if any(line.strip() for line in lines):
            out.append("\n".join(lines))
    return out


def _squeeze(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


_AGREEMENT_WORDS = re.compile(r"överenskommelse|samverkansavtal|\bavtal\b", re.IGNORECASE)


def _guess_kind(result: ImportResult, body: str) -> None:
    """Only what the title says: "strategisk", "operativ", or an agreement that
    calls itself neither (one part), unless the text says it is one of two parts."""
    title = (result.title or "").lower()
    if "strategisk" in title:
        kind, why = "strategic", "titeln (”strategisk”)"
    elif "operativ" in title:
        kind, why = "operational", "titeln (”operativ”)"
    elif "medborgarlöfte" in title:
        result.notes.append("Dokumentet är medborgarlöften, inte en överenskommelse.")
        return
    elif _AGREEMENT_WORDS.search(title) and not re.search(r"\btvå delar\b", body, re.I):
        kind, why = "one_part", "titeln (varken strategisk eller operativ del)"
    else:
        return
    result.kind = kind
    result.sources["kind"] = why


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def _sections(body: str, result: ImportResult) -> list[dict[str, Any]]:
    if result.format == "markdown":
        sections = _markdown_sections(body)
    else:
        blocks = _strip_page_numbers(_blocks(body.split("\n")), result)
        sections = _toc_sections(blocks, result) or _text_sections(blocks)
    _complete_areas(sections, result)
    sections = content_rules.normalise({"sections": sections})["sections"]
    return [s for s in sections if not _is_empty_signature_section(s)]


def _is_empty_signature_section(section: dict[str, Any]) -> bool:
    heading = section["heading"].lower()
    return not section["text"] and not section["items"] and heading.startswith("underskrift")


def _joined_field_lines(body: str) -> str:
    """A field soft-wrapped in Markdown ("Effektmål: … Krogar mot knark" / "ska öka
    varje säsong.") is one paragraph: join its lines."""
    out: list[str] = []
    in_field = False
    for line in body.split("\n"):
        starts_other = not line or line.startswith(("#", "|", ">")) or _BULLET.match(line)
        if in_field and not starts_other and not _FIELD.match(line):
            out[-1] = f"{out[-1]} {line.strip()}"
            continue
        out.append(line)
        in_field = bool(_FIELD.match(line))
    return "\n".join(out)


def _markdown_sections(body: str) -> list[dict[str, Any]]:
    """Shift the headings so the highest level left (after the title) is ``##``."""
    body = _joined_field_lines(body)
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", body, re.MULTILINE)]
    shift = 2 - min(levels) if levels else 0

    def reheading(match: re.Match[str]) -> str:
        level = len(match.group(1)) + shift
        return f"{'#' * level} " if level <= 3 else ""

    return content_rules.from_markdown(re.sub(r"^(#{1,6})\s", reheading, body, flags=re.M))[
        "sections"
    ]


# -- page numbers at the end of page-long paragraphs (seed 004) -----------------

_TRAILING_NUMBER = re.compile(r"^(.*\S)\s+(\d{1,3})$", re.DOTALL)


def _strip_page_numbers(blocks: list[list[str]], result: ImportResult) -> list[list[str]]:
    """When three or more long paragraphs end with ascending numbers, those numbers
    are page numbers: drop them."""
    ends = [
        (index, int(m.group(2)))
        for index, block in enumerate(blocks)
        if len(block[-1]) > 100 and (m := _TRAILING_NUMBER.match(block[-1]))
    ]
    numbers = [number for _, number in ends]
    if len(ends) < 3 or numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
        return blocks
    out = [list(block) for block in blocks]
    for index, _ in ends:
        out[index][-1] = _TRAILING_NUMBER.match(out[index][-1]).group(1)
    result.notes.append(f"Tog bort {len(ends)} sidnummer i slutet av stycken.")
    return out


# -- a table of contents guides the split (seed 004) ---------------------------

_TOC_START = re.compile(r"^(innehåll|innehållsförteckning)\b", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(\d{1,2}(?:\.\d{1,2})*)\.?\s+([^\d.][^.]*?)\s*\.{2,}\s*\d{1,3}")


@dataclass(frozen=True)
class _TocEntry:
    number: str
    title: str

    @property
    def is_item(self) -> bool:
        return "." in self.number


def _toc_sections(blocks: list[list[str]], result: ImportResult) -> list[dict[str, Any]]:
    for index, block in enumerate(blocks):
        text = " ".join(block)
        if _TOC_START.match(text):
            entries = [_TocEntry(m.group(1), m.group(2).strip()) for m in _TOC_ENTRY.finditer(text)]
            if len(entries) >= 3:
                sections = _split_by_toc(blocks[:index], blocks[index + 1 :], entries)
                if sections:
                    result.notes.append(
                        "Delade texten i avsnitt efter innehållsförteckningen "
                        f"({len(entries)} rubriker)."
                    )
                    return sections
    return []


def _split_by_toc(
    before: list[list[str]], after: list[list[str]], entries: list[_TocEntry]
) -> list[dict[str, Any]]:
    body = "\n\n".join("\n".join(block) for block in after)
    cuts = _toc_positions(body, entries)
    if len(cuts) < max(3, len(entries) // 2):
        return []
    sections: list[dict[str, Any]] = []
    preamble = _join_blocks(before) + "\n\n" + body[: cuts[0][0]]
    if preamble.strip():
        sections.append({"heading": "", "text": preamble.strip(), "items": []})
    for number, (_start, end, entry) in enumerate(cuts):
        stop = cuts[number + 1][0] if number + 1 < len(cuts) else len(body)
        _add_part(sections, entry, body[end:stop].strip())
    return sections


def _toc_positions(body: str, entries: list[_TocEntry]) -> list[tuple[int, int, _TocEntry]]:
    cuts, position = [], 0
    for entry in entries:
        pattern = rf"(?<![\d.]){re.escape(entry.number)}\.?\s+{_loose(entry.title)}"
        match = re.compile(pattern).search(body, position)
        if match:
            cuts.append((match.start(), match.end(), entry))
            position = match.end()
    return cuts


def _add_part(sections: list[dict[str, Any]], entry: _TocEntry, text: str) -> None:
    if entry.is_item and sections and sections[-1]["heading"]:
        sections[-1]["items"].append(
            {"title": entry.title, "text": text, "effektmal": "", "ansvarig": ""}
        )
    else:
        sections.append({"heading": entry.title, "text": text, "items": []})


def _join_blocks(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks)


# -- plain text: headings are short lines on their own -------------------------

_FIELD = re.compile(r"^(effektmål|effektmal|mål|ansvarig)\s*:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-*•–]\s+")
_BOLD_ITEM = re.compile(r"^[-*•]\s+\*\*(.+?)\*\*\s*:?$")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
# A heading that names the agreement's areas: the parts under it are areas.
_AREA_HEADING = re.compile(
    r"områden|problem|fokus|insats|prioriter|åtgärder|samverkansområd", re.IGNORECASE
)
# The headings every agreement has; never an area, whatever its text says.
_SECTION_WORDS = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:inledning|bakgrund|syfte|mål\b|övergripande|"
    r"organisation|uppföljning|giltighet|avtalstid|avtalsperiod|period|budget|resurser|"
    r"ekonomi|kommunikation|lägesbild|gemensam lägesbild|medborgarlöfte|"
    r"samverkans(?!områd)|forum|parter|beslut|revider|kontakt|underskrift|roller|ansvar|"
    r"styrning|utgångspunkter|underlag)",
    re.IGNORECASE,
)


def _is_heading(line: str) -> bool:
    if len(line) > 90 or len(line.split()) > 12 or line[-1] in ".,;:!?" or ": " in line:
        return False
    if _BULLET.match(line) or _FIELD.match(line):
        return False
    return line[0].isupper() or line[0].isdigit() or line[0] in "\"”“'«"


def _split_headings(blocks: list[list[str]]) -> list[list[str]]:
    """Headings run into their paragraphs, as a Word document saved as text or a PDF
    without blank lines gives them: a short heading-shaped line that follows the end
    of a sentence, a list or a field, and is not the start of a wrapped sentence."""
    out: list[list[str]] = []
    for block in blocks:
        current: list[str] = []
        after_heading = False
        for index, line in enumerate(block):
            following = block[index + 1] if index + 1 < len(block) else ""
            if len(block) > 1 and _heading_in_block(block, index, following, after_heading):
                if current:
                    out.append(current)
                out.append([line])
                current, after_heading = [], True
            else:
                current.append(line)
                after_heading = False
        if current:
            out.append(current)
    return out


def _heading_in_block(block: list[str], index: int, following: str, after_heading: bool) -> bool:
    line = block[index]
    if len(line) > 70 or not _is_heading(line) or _TITLE_LINK.search(line):
        return False
    if following and following[0].islower():
        return False
    if index == 0 or after_heading:
        return True
    before = block[index - 1]
    return before[-1] in ".!?" or bool(_BULLET.match(before) or _FIELD.match(before))


@dataclass
class _Part:
    title: str | None
    bold_item: bool = False
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def has_fields(self) -> bool:
        return any(_FIELD.match(line) for block in self.paragraphs for line in block)

    @property
    def names_responsibility(self) -> bool:
        return bool(_responsible(_join_blocks(self.paragraphs)))


def _text_sections(blocks: list[list[str]]) -> list[dict[str, Any]]:
    parts = _parts(_split_headings(blocks))
    numbered = any(part.title and _NUMBERED.match(part.title) for part in parts)
    sections: list[dict[str, Any]] = []
    areas = False  # under a heading that names the areas
    for part in parts:
        if part.title is not None and _is_area(part, areas, numbered):
            if not sections:
                sections.append({"heading": "", "text": "", "items": []})
            sections[-1]["items"].append(_item(part))
            continue
        text = _join_blocks(part.paragraphs)
        sections.append({"heading": part.title or "", "text": text, "items": []})
        areas = bool(part.title and _AREA_HEADING.search(part.title))
    return sections


def _is_area(part: _Part, under_areas: bool, numbered: bool) -> bool:
    """An area: a bold list entry, a part with Effektmål/Ansvarig lines, or (under a
    heading that names the areas) a part that says who is responsible or, in a text
    that numbers its sections, an unnumbered part. The headings every agreement has
    are never areas."""
    title = part.title or ""
    if part.bold_item or part.has_fields:
        return True
    if not under_areas or _SECTION_WORDS.match(title):
        return False
    if numbered:
        return not _NUMBERED.match(title)
    return part.names_responsibility


def _parts(blocks: list[list[str]]) -> list[_Part]:
    parts = [_Part(title=None)]
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else []
        bold = _BOLD_ITEM.match(block[0]) if len(block) == 1 else None
        if bold:
            parts.append(_Part(title=bold.group(1).strip(), bold_item=True))
        elif len(block) == 1 and _is_heading(block[0]):
            parts.append(_Part(title=block[0]))
        elif len(block) == 1 and _is_list_heading(block[0], following):
            parts.append(_Part(title=block[0].rstrip(":").strip()))
        else:
            parts[-1].paragraphs.append(block)
    if parts[0].title is None and not parts[0].paragraphs:
        parts.pop(0)
    return parts


def _is_list_heading(line: str, following: list[str]) -> bool:
    """ "Medborgarlöften 2023-2024:" before a bold list of promises."""
    return (
        line.endswith(":")
        and _is_heading(line[:-1].strip() or "x.")
        and len(line) <= 60
        and bool(following)
        and bool(_BOLD_ITEM.match(following[0]))
    )


def _item(part: _Part) -> dict[str, str]:
    item = {"title": part.title or "", "text": "", "effektmal": "", "ansvarig": ""}
    text_blocks: list[list[str]] = []
    for block in part.paragraphs:
        rest = _take_fields(block, item)
        if rest:
            text_blocks.append(rest)
    item["text"] = _join_blocks(text_blocks)
    return item


def _take_fields(block: list[str], item: dict[str, str]) -> list[str]:
    """Fill effektmål/ansvarig from a block; lines after a field line continue it
    until a line that starts a sentence of its own."""
    rest: list[str] = []
    current: str | None = None
    for line in block:
        match = _FIELD.match(line)
        if match:
            current = "ansvarig" if match.group(1).lower() == "ansvarig" else "effektmal"
            item[current] = _join_field(item[current], match.group(2))
        elif current and not _starts_sentence(item[current], line):
            item[current] = _join_field(item[current], line)
        else:
            current = None
            rest.append(line)
    return rest


def _starts_sentence(field_text: str, line: str) -> bool:
    return field_text.endswith((".", "!", "?")) and line[:1].isupper()


def _join_field(existing: str, addition: str) -> str:
    return f"{existing} {addition}".strip()


# -- areas: bullets under an area heading, responsibility in sentences ----------

_RESPONSIBLE = re.compile(
    rf"(?:^|(?<=[.!?])\s+)((?:[{_UPPER}][\w-]*)(?:\s+(?:och\s+)?[\w-]+){{0,3}}?)\s+"
    r"ansvarar\b",
)


def _responsible(text: str) -> list[str]:
    """Who "ansvarar för" in the sentences of an area: "Kommunen", "Polisen",
    "Kommunen och Polisen", in order, each once."""
    found: list[str] = []
    for match in _RESPONSIBLE.finditer(re.sub(r"\s+", " ", text)):
        subject = match.group(1)
        if subject not in found:
            found.append(subject)
    return found


def _complete_areas(sections: list[dict[str, Any]], result: ImportResult) -> None:
    """Say what was read from where, since neither is written as a field."""
    from_sentences = 0
    for section in sections:
        if not section["items"] and _AREA_HEADING.search(section["heading"] or ""):
            if _bullets_to_areas(section):
                result.notes.append(
                    f"Läste {len(section['items'])} punkter under ”{section['heading']}” "
                    "som områden."
                )
        for item in section["items"]:
            if not item["ansvarig"]:
                subjects = _responsible(item["text"])
                if subjects:
                    item["ansvarig"] = ", ".join(subjects)
                    from_sentences += 1
    if from_sentences:
        result.notes.append(
            f"Ansvarig i {from_sentences} områden är läst ur meningar med ”ansvarar för”."
        )


def _bullets_to_areas(section: dict[str, Any]) -> bool:
    """Problem areas listed as bullets under the heading that names them: one list of
    short entries, nothing between them."""
    lines = section["text"].split("\n")
    bullets = [line for line in lines if _BULLET.match(line)]
    if len(bullets) < 2 or any(len(line) > 100 for line in bullets):
        return False
    first = lines.index(bullets[0])
    last = len(lines) - 1 - lines[::-1].index(bullets[-1])
    if any(not _BULLET.match(line) for line in lines[first : last + 1] if line):
        return False
    section["items"] = [
        {"title": _plain(line), "text": "", "effektmal": "", "ansvarig": ""} for line in bullets
    ]
    section["text"] = "\n".join([*lines[:first], *lines[last + 1 :]]).strip()
    return True
