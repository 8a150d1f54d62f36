"""Medborgarlöften from a text (a PDF extraction, Markdown), read by the agreement
importer (``workflows.importer``): the years, the background, the promises (the
items of the section headed "Medborgarlöften …") and the signature block. No
database. Who answers for a promise is read from its own words, as the text puts it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workflows.importer import ImportResult

from .models import Responsible

_POLICE = re.compile(r"\bpolis", re.IGNORECASE)
_KOMMUN = re.compile(r"\bkommun", re.IGNORECASE)


def is_promises(parsed: ImportResult) -> bool:
    """As ``import_agreement`` tells them apart, to send them here."""
    return "medborgarlöfte" in (parsed.title or "").lower()


def responsible(text: str) -> str:
    """Kommunen, Polisen or both, by whom the promise's text names."""
    police, kommun = bool(_POLICE.search(text)), bool(_KOMMUN.search(text))
    if police and not kommun:
        return Responsible.LPO
    if kommun and not police:
        return Responsible.KOMMUN
    return Responsible.BOTH


@dataclass
class PromisesText:
    first_year: int | None
    last_year: int | None
    background: str
    promises: list[dict[str, Any]] = field(default_factory=list)


def promises_from(parsed: ImportResult) -> PromisesText:
    """The promises are the items of the section whose heading names them; the text
    before that section is the background (the lägesbild)."""
    background, promises, found = [], [], False
    for section in parsed.sections:
        items = section.get("items") or []
        if not found and items and "medborgarlöfte" in (section.get("heading") or "").lower():
            found = True
            promises = [
                {
                    "title": item.get("title") or "",
                    "description": item.get("text") or "",
                    "responsible": responsible(item.get("text") or ""),
                    "unit": item.get("ansvarig") or "",
                    "measure": item.get("effektmal") or "",
                }
                for item in items
            ]
        elif not found:
            background += [p for p in (section.get("heading"), section.get("text")) if p]
    return PromisesText(
        first_year=parsed.period_start.year if parsed.period_start else None,
        last_year=parsed.period_end.year if parsed.period_end else None,
        background="\n\n".join(background),
        promises=promises,
    )
