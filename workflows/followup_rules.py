"""Follow-up: when reports are due, and what a report's content and hash are.

Pure functions over dates and dicts, like ``content.py``: no database.

**Due dates.** A cadence splits each calendar year into terms that end on fixed days
(tertial: 30 April, 31 August, 31 December; half-yearly: 30 June and 31 December;
yearly: 31 December). A term that the agreement's period cuts short ends with the
period instead, so the last report always covers the period's end. Only terms whose
end lies within the period count. A report is due on the term's last day, moved to
the next working day when that day is a Saturday, a Sunday, a Swedish public holiday,
or midsummer, Christmas or New Year's Eve: the days that Lag (1930:173) om beräkning
av lagstadgad tid treats like holidays for a deadline.

**A report's content** is the list of the areas and measures of the version in
force, each with a status and a comment, plus an analysis, recommendations and a
"recommend revision" flag. Its hash is the SHA-256 of its canonical JSON.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from .legal_dates import next_working_day

# The month each term ends in, per cadence (FollowUpCadence values).
TERM_END_MONTHS = {
    "tertial": (4, 8, 12),
    "half_yearly": (6, 12),
    "yearly": (12,),
}


@dataclass(frozen=True)
class DueDate:
    """One report in the schedule: the term it covers and the day it is due."""

    term_start: datetime.date
    term_end: datetime.date
    due: datetime.date

    @property
    def moved(self) -> bool:
        return self.due != self.term_end


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def due_dates(cadence: str, start: datetime.date, end: datetime.date) -> list[DueDate]:
    """The schedule over the period ``start``–``end`` (both inclusive), in order."""
    ends = sorted(
        {
            min(_month_end(year, month), end)
            for year in range(start.year, end.year + 1)
            for month in TERM_END_MONTHS[cadence]
        }
    )
    schedule, term_start = [], start
    for term_end in ends:
        if term_end < start:
            continue
        schedule.append(DueDate(term_start, term_end, next_working_day(term_end)))
        term_start = term_end + datetime.timedelta(days=1)
    return schedule


def next_due(schedule: list[DueDate], today: datetime.date) -> DueDate | None:
    """The first report due today or later; None when all are in the past."""
    return next((entry for entry in schedule if entry.due >= today), None)


def reportable(schedule: list[DueDate], today: datetime.date) -> list[DueDate]:
    """The reports that may be written today: every due date up to the next one."""
    upcoming = next_due(schedule, today)
    return [entry for entry in schedule if upcoming is None or entry.due <= upcoming.due]


# -- a report's content ------------------------------------------------------------


def clean(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or ""))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def item_key(section: str, title: str, taken: set[str]) -> str:
    """A short stable key for an area or measure: the same heading and title give
    the same key in every version, so a report's statuses carry over a revision."""
    base = hashlib.sha256(f"{clean(section)}\n{clean(title)}".encode()).hexdigest()[:10]
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def items_from(content: dict[str, Any], carry: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """The version's areas and measures, in order, each with the status and comment
    that ``carry`` holds under its key (from a draft, a form or an earlier report)."""
    items, taken = [], set()
    for section in content.get("sections") or []:
        for item in section.get("items") or []:
            key = item_key(section.get("heading", ""), item.get("title", ""), taken)
            found = carry.get(key) or {}
            items.append(
                {
                    "key": key,
                    "section": clean(section.get("heading")),
                    "title": clean(item.get("title")),
                    "effektmal": clean(item.get("effektmal")),
                    "ansvarig": clean(item.get("ansvarig")),
                    "status": clean(found.get("status")),
                    "comment": clean(found.get("comment")),
                }
            )
    return items


def canonical_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def report_hash(report: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(report).encode("utf-8")).hexdigest()
