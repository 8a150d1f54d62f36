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
    _guess_kind(result, body)
    result.sections = _sections(body, result)
    _fix_title_spelling(result)
    return result


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*(?:sida\s+)?\d{1,3}(?:\s*\(\d{1,3}\))?\s*$", re.IGNORECASE)
_INITIALS = re.compile(rf"^[{_UPPER}]{{1,3}}(?:\s+[{_UPPER}]{{1,3}}){{0,2}}$")
_SIGNATURE_MARK = re.compile(
    r"^\[?\s*(?:handwritten\s+)?signature\s*\]?$|^\[?\s*(?:namnteckning|signerad)\s*\]?$",
    re.IGNORECASE,
)


def _clean_lines(text: str, result: ImportResult) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\f", "\n")
    out, dropped = [], 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line and _is_junk(line):
            dropped += 1
            continue
        out.append(line)
    if dropped:
        result.notes.append(
            f"Tog bort {dropped} rader med sidnummer, initialer eller signaturrester."
        )
    return out


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
    return re.sub(r"^[-*•]\s+", "", line).replace("**", "").replace("__", "").strip(" *_")


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------


def _take_title(lines: list[str], fmt: str) -> tuple[str | None, list[str]]:
    if fmt == "markdown":
        for index, line in enumerate(lines):
            if re.match(r"^#\s+\S", line):
                return line[1:].strip(), lines[:index] + lines[index + 1 :]
        return None, lines
    for index, line in enumerate(lines):
        if line:
            if len(line) > 200 or line.endswith("."):
                return None, lines
            return line, lines[index + 1 :]
    return None, lines


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
        consumed = _place_date(lines[index], result) or _signatory_at(lines, index, result)
        if consumed:
            index += consumed
            continue
        out.append(lines[index])
        index += 1
    return out


def _place_date(line: str, result: ImportResult) -> int:
    match = _PLACE_DATE.match(_plain(line))
    if not match:
        return 0
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
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


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
    rf"(?:(\d{{1,2}})\s+)?\b({_MONTH})\s+(\d{{4}})\s*{_TO}\s*"
    rf"(?:(\d{{1,2}})\s+)?\b({_MONTH})\s+(\d{{4}})",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(rf"(?<![\d-])(\d{{4}})\s*{_TO}\s*(\d{{4}})(?![\d-])")
_VALIDITY = re.compile(
    r"\b(gäller|gälla|giltig\w*|gällande|avtalsperiod\w*|löptid\w*|period(?:en)?)\b",
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
    """The first date range in the same sentence right after "gäller", "giltig"…"""
    for keyword in _VALIDITY.finditer(body):
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
    for match in re.finditer(_YEARS, title):
        first, last = int(match.group(1)), match.group(2)
        end_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        start, end = datetime.date(first, 1, 1), datetime.date(end_year, 12, 31)
        if _plausible(start, end):
            return start, end, match.group(0)
    return None


def _plausible(start: datetime.date, end: datetime.date) -> bool:
    return 1990 <= start.year <= 2100 and start < end and (end - start).days <= 366 * 10


# ---------------------------------------------------------------------------
# Decision and kind
# ---------------------------------------------------------------------------

_BODIES = {"kommunfullmäktige": "kf", "kommunstyrelsen": "ks"}
_DECIDED_BY = re.compile(
    r"\b(?:godkän|godtag|antag|beslutad|beslutade|faststäl)\w*\s+av\s+"
    r"(kommunfullmäktige|kommunstyrelsen)\b(?:\s+i\s+[\wåäöÅÄÖ]+)?"
    r"(?:\s+(?:den\s+)?(\d{4}-\d{2}-\d{2}))?(?:\s*,?\s*(?:§\s*)?(\d{1,4})(?!\d|-))?"
    r"(?:\s*\(([^)]{3,40})\))?",
    re.IGNORECASE,
)
_DECIDES = re.compile(
    r"\b(kommunfullmäktige|kommunstyrelsen)\b[^.]{0,100}?\bbeslutar\b", re.IGNORECASE
)


def _find_decision(result: ImportResult, body: str) -> None:
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", body):
        lowered = sentence.lower()
        if "kommunfullmäktige" in lowered and re.search(r"kommunstyrelsen\b", lowered):
            continue  # names both bodies (e.g. "strategic by KF, operational by KS")
        match = _DECIDED_BY.search(sentence) or _DECIDES.search(sentence)
        if match:
            _record_decision(result, match)
            return


def _record_decision(result: ImportResult, match: re.Match[str]) -> None:
    body = _BODIES[match.group(1).lower()]
    result.deciding_body = body
    result.sources["deciding_body"] = f"texten: ”{match.group(0).strip()}”"
    if match.re is not _DECIDED_BY:
        return
    date = None
    if match.group(2):
        try:
            date = datetime.date.fromisoformat(match.group(2))
        except ValueError:
            date = None
    result.decision = Decision(
        body=body,
        text=match.group(0).strip(),
        date=date,
        paragraph=match.group(3) or "",
        diarienummer=(match.group(4) or "").strip(),
    )


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
    sections = content_rules.normalise({"sections": sections})["sections"]
    return [s for s in sections if not _is_empty_signature_section(s)]


def _is_empty_signature_section(section: dict[str, Any]) -> bool:
    heading = section["heading"].lower()
    return not section["text"] and not section["items"] and heading.startswith("underskrift")


def _markdown_sections(body: str) -> list[dict[str, Any]]:
    """Shift the headings so the highest level left (after the title) is ``##``."""
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

_FIELD = re.compile(r"^(effektmål|effektmal|ansvarig)\s*:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-*•]\s+")
_BOLD_ITEM = re.compile(r"^[-*•]\s+\*\*(.+?)\*\*\s*:?$")


def _is_heading(line: str) -> bool:
    if len(line) > 90 or len(line.split()) > 12 or line[-1] in ".,;:!?":
        return False
    if _BULLET.match(line) or _FIELD.match(line):
        return False
    return line[0].isupper() or line[0].isdigit() or line[0] in "\"”“'«"


@dataclass
class _Part:
    title: str | None
    bold_item: bool = False
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def has_fields(self) -> bool:
        return any(_FIELD.match(line) for block in self.paragraphs for line in block)


def _text_sections(blocks: list[list[str]]) -> list[dict[str, Any]]:
    parts = _parts(blocks)
    sections: list[dict[str, Any]] = []
    for part in parts:
        if part.title is not None and (part.bold_item or part.has_fields):
            if not sections:
                sections.append({"heading": "", "text": "", "items": []})
            sections[-1]["items"].append(_item(part))
        else:
            text = _join_blocks(part.paragraphs)
            sections.append({"heading": part.title or "", "text": text, "items": []})
    return sections


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
    """Fill effektmål/ansvarig from a block; lines after a field line continue it."""
    rest: list[str] = []
    current: str | None = None
    for line in block:
        match = _FIELD.match(line)
        if match:
            current = "effektmal" if match.group(1).lower().startswith("effekt") else "ansvarig"
            item[current] = _join_field(item[current], match.group(2))
        elif current:
            item[current] = _join_field(item[current], line)
        else:
            rest.append(line)
    return rest


def _join_field(existing: str, addition: str) -> str:
    return f"{existing} {addition}".strip()
