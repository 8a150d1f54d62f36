"""verify_trail reads each version's stored JSON into canonical bytes with orjson
(workflows/trail_records._as_stored); those bytes must be exactly the ones
``content.canonical_json`` hashed when the version was written, or every verification
would fall back to the slower standard library."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.content import canonical_json, content_hash, normalise
from workflows.importer import parse_file
from workflows.trail_records import _as_stored

# The demo's real agreements, in the repository (the seeds beside it may be absent).
DEMO = Path(__file__).resolve().parents[2] / "workflows" / "demo"

# Any text a person could type or paste: every code point but lone surrogates.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
items = st.fixed_dictionaries({"effektmal": texts, "ansvarig": texts, "text": texts})
sections = st.fixed_dictionaries(
    {"heading": texts, "text": texts, "items": st.lists(items, max_size=3)}
)
contents = st.builds(lambda s: normalise({"sections": s}), st.lists(sections, max_size=4))


def fast_path_taken(content) -> bool:
    stored = json.dumps(content)  # the column's text, in Django's own layout
    expected = canonical_json(content).encode("utf-8")
    return _as_stored(stored, content_hash(content)) == expected


@settings(max_examples=300, derandomize=True)
@given(contents)
def test_the_fast_reader_gives_the_canonical_bytes_of_any_text(content):
    fast = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    assert fast == canonical_json(content).encode("utf-8")
    assert fast_path_taken(content)


def test_the_fast_reader_gives_the_canonical_bytes_of_every_demo_agreement():
    texts = sorted(DEMO.glob("*.md"))
    assert texts
    for path in texts:
        content = normalise(parse_file(path).content)
        assert content["sections"] and fast_path_taken(content), path.name
