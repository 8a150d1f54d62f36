"""A version's structured content: its canonical form, its hash, its text form.

Content is a dict ``{"sections": [section, ...]}`` where a section is
``{"heading": str, "text": str, "items": [item, ...]}`` and an item (an area or a
measure) is ``{"title": str, "text": str, "effektmal": str, "ansvarig": str}``.

The hash is the SHA-256 of the canonical JSON (normalised strings, sorted keys,
no insignificant white space), so the same content always has the same hash,
whichever database stored it and whichever order its keys came back in.

The text form is a small Markdown dialect drafters edit in one text area::

    ## Section heading
    Section text.

    ### Item title
    Item text.
    Effektmål: what the measure should achieve
    Ansvarig: who is responsible
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

Content = dict[str, Any]

SECTION_KEYS = ("heading", "text", "items")
ITEM_KEYS = ("title", "text", "effektmal", "ansvarig")


class ContentError(ValueError):
    """Content that cannot be a version (the message is shown to the user)."""


def _clean(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def normalise(content: Content) -> Content:
    """The canonical form: only known keys, clean strings, nothing empty kept."""
    sections = []
    for raw in content.get("sections") or []:
        items = []
        for raw_item in raw.get("items") or []:
            item = {key: _clean(raw_item.get(key)) for key in ITEM_KEYS}
            if any(item.values()):
                items.append(item)
        section = {"heading": _clean(raw.get("heading")), "text": _clean(raw.get("text"))}
        section["items"] = items
        if section["heading"] or section["text"] or items:
            sections.append(section)
    return {"sections": sections}


def validate(content: Content) -> Content:
    content = normalise(content)
    if not content["sections"]:
        raise ContentError("En version måste ha minst ett avsnitt med text.")
    return content


def canonical_json(content: Content) -> str:
    return json.dumps(normalise(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(content: Content) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


_ITEM_FIELDS = {"effektmål": "effektmal", "effektmal": "effektmal", "ansvarig": "ansvarig"}
_FIELD_LINE = re.compile(r"^(effektmål|effektmal|ansvarig)\s*:\s*(.*)$", re.IGNORECASE)


def to_markdown(content: Content) -> str:
    out: list[str] = []
    for section in normalise(content)["sections"]:
        out.append(f"## {section['heading']}".rstrip())
        if section["text"]:
            out += ["", section["text"]]
        for item in section["items"]:
            out += ["", f"### {item['title']}".rstrip()]
            if item["text"]:
                out += ["", item["text"]]
            if item["effektmal"] or item["ansvarig"]:
                out.append("")
            if item["effektmal"]:
                out.append(f"Effektmål: {item['effektmal']}")
            if item["ansvarig"]:
                out.append(f"Ansvarig: {item['ansvarig']}")
        out.append("")
    return "\n".join(out).strip() + "\n"


def from_markdown(text: str) -> Content:
    """Parse the text form; text before the first heading becomes an untitled section."""
    sections: list[dict[str, Any]] = []
    section: dict[str, Any] | None = None
    item: dict[str, str] | None = None
    body: list[str] = []

    def flush() -> None:
        target = item if item is not None else section
        if target is not None:
            target["text"] = "\n".join(body)
        body.clear()

    for line in _clean(text).split("\n"):
        if line.startswith("## ") or line == "##":
            flush()
            item = None
            section = {"heading": line[2:].strip(), "text": "", "items": []}
            sections.append(section)
        elif line.startswith("### ") or line == "###":
            flush()
            if section is None:
                section = {"heading": "", "text": "", "items": []}
                sections.append(section)
            item = {"title": line[3:].strip(), "text": "", "effektmal": "", "ansvarig": ""}
            section["items"].append(item)
        elif item is not None and (match := _FIELD_LINE.match(line)):
            item[_ITEM_FIELDS[match.group(1).lower()]] = match.group(2).strip()
        else:
            if section is None:
                section = {"heading": "", "text": "", "items": []}
                sections.append(section)
            body.append(line)
    flush()
    return normalise({"sections": sections})
