"""How well the importer reads texts it was not built on.

Each test text (``tests/importer_texts/``) has beside it the fields a careful reader
takes from it. Every field of every text is marked right, missing, wrong, or absent
(the text does not give it and the importer left it empty). Wrong is worse than
missing: a value that is not the text's would go into what is decided and signed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .importer import ImportResult, parse_file

RIGHT, MISSING, WRONG, ABSENT = "right", "missing", "wrong", "absent"
OUTCOMES = (RIGHT, MISSING, WRONG, ABSENT)
SCALARS = (
    "title",
    "kommun",
    "lokalpolisomrade",
    "period_start",
    "period_end",
    "kind",
    "deciding_body",
    "follow_up_cadence",
    "signed_place",
    "signed_on",
)
FIELDS = (*SCALARS, "decision", "signatories", "headings", "areas", "effektmal", "ansvarig", "junk")
TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Mark:
    text: str
    field: str
    outcome: str
    detail: str = ""


def texts(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The texts that have expected fields beside them, in name order."""
    found = []
    for path in sorted(directory.iterdir()):
        expected = path.with_suffix(".json")
        if path.suffix in TEXT_SUFFIXES and expected.is_file():
            found.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return found


def marks_for(path: Path, expected: dict[str, Any]) -> list[Mark]:
    return compare(path.name, parse_file(path), expected)


def compare(name: str, result: ImportResult, expected: dict[str, Any]) -> list[Mark]:
    got = _fields_of(result)
    out = [Mark(name, key, *_scalar(got[key], expected[key])) for key in SCALARS]
    out.append(Mark(name, "decision", *_decision(got["decision"], expected["decision"])))
    signatories = [(s["name"], s["title"]) for s in expected["signatories"]]
    out.append(Mark(name, "signatories", *_sequence(got["signatories"], signatories)))
    # An area read as a section of its own keeps its text: the areas field counts it
    # as missing, the headings field does not count it again as wrong.
    areas = expected["areas"]
    area_titles = {_heading(area["title"]) for area in areas}
    headings = [_heading(h) for h in expected["headings"]]
    read = [h for h in got["headings"] if h in headings or h not in area_titles]
    out.append(Mark(name, "headings", *_sequence(read, headings)))
    titles = [_heading(a["title"]) for a in areas]
    out.append(Mark(name, "areas", *_sequence(got["area_titles"], titles)))
    for key in ("effektmal", "ansvarig"):
        out.append(Mark(name, key, *_area_field(got["areas"], areas, key)))
    out.append(Mark(name, "junk", *_junk(result, expected)))
    return out


def tally(marks: Iterable[Mark]) -> dict[str, Counter]:
    counts = {key: Counter() for key in FIELDS}
    for mark in marks:
        counts[mark.field][mark.outcome] += 1
    return counts


def table(marks: list[Mark]) -> str:
    counts = tally(marks)
    header = f"{'fält (field)':<20}{'rätt':>7}{'saknas':>8}{'fel':>6}{'tomt':>7}"
    lines = [header, "-" * len(header)]
    total: Counter = Counter()
    for key in FIELDS:
        row = counts[key]
        total.update(row)
        lines.append(f"{key:<20}" + "".join(f"{row[o]:>{w}}" for o, w in _COLUMNS))
    lines.append("-" * len(header))
    lines.append(f"{'totalt (total)':<20}" + "".join(f"{total[o]:>{w}}" for o, w in _COLUMNS))
    return "\n".join(lines)


_COLUMNS = ((RIGHT, 7), (MISSING, 8), (WRONG, 6), (ABSENT, 7))


# -- comparing ---------------------------------------------------------------


def _fields_of(result: ImportResult) -> dict[str, Any]:
    summary = result.summary()
    areas = [item for section in result.sections for item in section.get("items") or []]
    return {
        **{key: summary[key] for key in SCALARS},
        "decision": summary["decision"],
        "signatories": [(s.name, s.title) for s in result.signatories],
        "headings": [_heading(s["heading"]) for s in result.sections if s["heading"]],
        "area_titles": [_heading(item["title"]) for item in areas],
        "areas": areas,
    }


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip().rstrip(".").strip() or None
    return value


def _heading(text: str) -> str:
    return _norm(re.sub(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+", "", text.strip())) or ""


def _scalar(got: Any, expected: Any) -> tuple[str, str]:
    got, expected = _norm(got), _norm(expected)
    if expected is None:
        return (ABSENT, "") if got is None else (WRONG, f"väntade inget, fick {got!r}")
    if got is None:
        return MISSING, f"väntade {expected!r}"
    if got == expected:
        return RIGHT, ""
    return WRONG, f"väntade {expected!r}, fick {got!r}"


def _decision(got: dict | None, expected: dict | None) -> tuple[str, str]:
    if expected is None:
        return (ABSENT, "") if got is None else (WRONG, f"väntade inget, fick {got!r}")
    if got is None:
        return MISSING, f"väntade {expected!r}"
    keys = ("body", "date", "paragraph", "diarienummer")
    wrong = [k for k in keys if _norm(got.get(k)) and _norm(got[k]) != _norm(expected.get(k))]
    if wrong:
        return WRONG, "; ".join(f"{k}: väntade {expected.get(k)!r}, fick {got[k]!r}" for k in wrong)
    lacking = [k for k in keys if _norm(expected.get(k)) and not _norm(got.get(k))]
    return (MISSING, "saknar " + ", ".join(lacking)) if lacking else (RIGHT, "")


def _sequence(got: list, expected: list) -> tuple[str, str]:
    """Right when equal; missing when the result is the expected list with some left
    out; wrong when it holds anything the text does not give, or in another order."""
    got = [_norm_item(value) for value in got]
    expected = [_norm_item(value) for value in expected]
    if not expected:
        return (ABSENT, "") if not got else (WRONG, f"väntade inga, fick {got!r}")
    if got == expected:
        return RIGHT, ""
    extra = [value for value in got if value not in expected]
    if extra:
        return WRONG, f"oväntade {extra!r}"
    if got != [value for value in expected if value in got]:
        return WRONG, f"fel ordning: {got!r}"
    return MISSING, f"saknar {[value for value in expected if value not in got]!r}"


def _norm_item(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_norm(part) for part in value)
    return _norm(value)


def _area_field(got: list[dict], expected: list[dict], key: str) -> tuple[str, str]:
    by_title = {_heading(item["title"]): item for item in got}
    outcomes = []
    for area in expected:
        item = by_title.get(_heading(area["title"]))
        if item is None:
            if area[key] is not None:
                outcomes.append((MISSING, f"{area['title']}: området saknas"))
            continue
        outcome, detail = _scalar(item.get(key) or None, area[key])
        outcomes.append((outcome, f"{area['title']}: {detail}" if detail else ""))
    for outcome in (WRONG, MISSING):
        details = [detail for found, detail in outcomes if found == outcome]
        if details:
            return outcome, "; ".join(details)
    return (RIGHT, "") if any(o == RIGHT for o, _ in outcomes) else (ABSENT, "")


_PLACE_DATE_LINE = re.compile(r"(?m)^\s*[A-ZÅÄÖ][\wåäö-]+,?\s+den\s+\d")


def _junk(result: ImportResult, expected: dict[str, Any]) -> tuple[str, str]:
    """What must never reach the text that is decided: emphasis markers, the title
    again as a heading, the signature block."""
    found = []
    title = _norm(expected["title"] or "") or ""
    labels = [result.title or ""]
    for section in result.sections:
        labels.append(section["heading"])
        labels += [item["title"] for item in section.get("items") or []]
    for label in labels:
        if re.search(r"\*\*|__|^#|^\*|\*$", label.strip()):
            found.append(f"betoningstecken i {label!r}")
    for section in result.sections:
        heading = _norm(section["heading"]) or ""
        if title and heading and (heading == title or title.endswith(heading)):
            found.append(f"titeln som rubrik: {heading!r}")
    body = "\n".join(_section_text(section) for section in result.sections)
    for signatory in expected["signatories"]:
        if signatory["name"] in body:
            found.append(f"undertecknarens namn i texten: {signatory['name']!r}")
    place_date = _PLACE_DATE_LINE.search(body)
    if place_date:
        found.append(f"ort och datum i texten: {place_date.group(0).strip()!r}")
    return (WRONG, "; ".join(found)) if found else (RIGHT, "")


def _section_text(section: dict[str, Any]) -> str:
    parts = [section["heading"], section["text"]]
    for item in section.get("items") or []:
        parts += [item["title"], item["text"], item.get("effektmal", ""), item.get("ansvarig", "")]
    return "\n".join(part for part in parts if part)
