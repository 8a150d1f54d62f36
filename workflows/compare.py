"""What changed between two versions' content, section by section and word by word.

``compare(old, new)`` is pure: it takes two content dicts (see ``workflows.content``)
and returns one ``SectionDiff`` per section, in reading order. Sections are matched
by heading with ``difflib.SequenceMatcher`` over the two heading lists, so added,
removed and reordered sections come out as such; items inside a section are
matched by title the same way. Each text field carries a word-level diff that
renders as HTML with ``<del>``/``<ins>``; everything else in it is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import content as content_rules

Status = Literal["unchanged", "changed", "added", "removed"]
Op = Literal["equal", "delete", "insert", "replace"]

# Two unmatched sections (or items) in the same place count as one changed
# section when this share of their words is the same; below it, one was
# removed and another added.
SAME_THING_RATIO = 0.5

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: Op
    old: str
    new: str


@dataclass(frozen=True)
class FieldDiff:
    """One text field in both versions and the word diff between them."""

    old: str
    new: str
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def html(self) -> SafeString:
        return render_segments(self.segments)


@dataclass(frozen=True)
class ItemDiff:
    status: Status
    fields: dict[str, FieldDiff]
    moved: bool = False

    @property
    def title(self) -> FieldDiff:
        return self.fields["title"]

    @property
    def text(self) -> FieldDiff:
        return self.fields["text"]

    @property
    def effektmal(self) -> FieldDiff:
        return self.fields["effektmal"]

    @property
    def ansvarig(self) -> FieldDiff:
        return self.fields["ansvarig"]


@dataclass(frozen=True)
class SectionDiff:
    status: Status
    heading: FieldDiff
    text: FieldDiff
    items: tuple[ItemDiff, ...]
    moved: bool = False


# -- words -------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff; white space between two changes joins them into one change."""
    a, b = _tokens(old), _tokens(new)
    raw = [
        Segment(op, "".join(a[i1:i2]), "".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ]
    merged: list[Segment] = []
    for index, segment in enumerate(raw):
        between_changes = (
            segment.op == "equal"
            and not segment.old.strip()
            and 0 < index < len(raw) - 1
            and raw[index + 1].op != "equal"
        )
        if merged and merged[-1].op != "equal" and (segment.op != "equal" or between_changes):
            last = merged.pop()
            old_text, new_text = last.old + segment.old, last.new + segment.new
            merged.append(Segment(_op_for(old_text, new_text), old_text, new_text))
        else:
            merged.append(segment)
    return tuple(merged)


def _op_for(old: str, new: str) -> Op:
    if old and new:
        return "replace"
    return "delete" if old else "insert"


def render_segments(segments: Sequence[Segment]) -> SafeString:
    """HTML for a word diff: escaped text, changes in <del>/<ins> with words for
    screen readers (the colour and the strike/underline are for sighted readers)."""
    parts: list[str] = []
    for segment in segments:
        if segment.op == "equal":
            parts.append(escape(segment.new))
            continue
        # White space alone is not a change worth marking: keep the new text's.
        if segment.old.strip():
            parts.append(_marked("del", _("borttaget"), segment.old))
        if segment.new.strip():
            parts.append(_marked("ins", _("tillagt"), segment.new))
        elif segment.new:
            parts.append(escape(segment.new))
    return mark_safe("".join(parts))  # every part above is escaped or format_html


def _marked(tag: str, label: str, text: str) -> str:
    return format_html(
        '<{tag}><span class="visually-hidden">[{label}: </span>{text}'
        '<span class="visually-hidden">]</span></{tag}>',
        tag=tag,
        label=label,
        text=text,
    )


def field_diff(old: str, new: str) -> FieldDiff:
    return FieldDiff(old, new, word_diff(old, new))


# -- matching ----------------------------------------------------------------------

Pair = tuple[dict[str, Any] | None, dict[str, Any] | None, bool]


def _words(thing: dict[str, Any]) -> list[str]:
    """The words of a section (heading, text, items) or of an item."""
    if "items" in thing:
        texts = [thing["heading"], thing["text"]]
        for item in thing["items"]:
            texts += [item[key] for key in content_rules.ITEM_KEYS]
    else:
        texts = [thing[key] for key in content_rules.ITEM_KEYS]
    return " ".join(texts).split()


def _alike(old: dict[str, Any], new: dict[str, Any]) -> bool:
    matcher = SequenceMatcher(None, _words(old), _words(new), autojunk=False)
    return matcher.ratio() >= SAME_THING_RATIO


def match(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], key: Callable[[dict], str]
) -> list[Pair]:
    """Pair old and new things by ``key`` in reading order: (old, new, moved).

    ``(old, None)`` was removed, ``(None, new)`` added. A removed and an added
    thing with the same key are one thing that moved; two different keys in the
    same place are one renamed thing when their words are alike.
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        if op == "equal":
            pairs += [(o, n, False) for o, n in zip(olds, news, strict=True)]
            continue
        while olds and news and _alike(olds[0], news[0]):
            pairs.append((olds.pop(0), news.pop(0), False))
        pairs += [(o, None, False) for o in olds] + [(None, n, False) for n in news]
    return _join_moves(pairs, key)


def _join_moves(pairs: list[Pair], key: Callable[[dict], str]) -> list[Pair]:
    """A thing removed in one place and added with the same key in another has moved:
    it is shown once, at its new place."""
    removed_at: dict[str, int] = {}
    for index, (old, new, _moved) in enumerate(pairs):
        if new is None:
            removed_at.setdefault(key(old), index)
    joined: list[Pair | None] = list(pairs)
    for index, (old, new, _moved) in enumerate(pairs):
        if old is None and (at := removed_at.pop(key(new), None)) is not None:
            joined[index] = (pairs[at][0], new, True)
            joined[at] = None
    return [pair for pair in joined if pair is not None]


# -- sections and items ------------------------------------------------------------

_EMPTY_ITEM = dict.fromkeys(content_rules.ITEM_KEYS, "")
_EMPTY_SECTION: dict[str, Any] = {"heading": "", "text": "", "items": []}


def _status(old: dict | None, new: dict | None, changed: bool) -> Status:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "changed" if changed else "unchanged"


def _item_diff(old: dict | None, new: dict | None, moved: bool) -> ItemDiff:
    a, b = old or _EMPTY_ITEM, new or _EMPTY_ITEM
    fields = {key: field_diff(a[key], b[key]) for key in content_rules.ITEM_KEYS}
    changed = any(f.changed for f in fields.values())
    return ItemDiff(_status(old, new, changed), fields, moved)


def _section_diff(old: dict | None, new: dict | None, moved: bool) -> SectionDiff:
    a, b = old or _EMPTY_SECTION, new or _EMPTY_SECTION
    items = tuple(
        _item_diff(o, n, m) for o, n, m in match(a["items"], b["items"], lambda i: i["title"])
    )
    heading, text = field_diff(a["heading"], b["heading"]), field_diff(a["text"], b["text"])
    changed = heading.changed or text.changed or any(i.status != "unchanged" for i in items)
    return SectionDiff(_status(old, new, changed), heading, text, items, moved)


def compare(old_content: dict[str, Any], new_content: dict[str, Any]) -> list[SectionDiff]:
    """Section diffs from ``old_content`` to ``new_content``, in reading order."""
    old = content_rules.normalise(old_content)["sections"]
    new = content_rules.normalise(new_content)["sections"]
    return [_section_diff(o, n, m) for o, n, m in match(old, new, lambda s: s["heading"])]
