"""compare(): which sections changed, and which words, between two versions' content."""

from __future__ import annotations

import copy
import re

from tests.conftest import SAMPLE_CONTENT
from workflows import content as content_rules
from workflows.compare import compare, word_diff


def _sections(*pairs: tuple[str, str]) -> dict:
    return {"sections": [{"heading": h, "text": t, "items": []} for h, t in pairs]}


def _statuses(diffs) -> list[tuple[str, str]]:
    return [(d.status, d.heading.new or d.heading.old) for d in diffs]


def _visible(html: str) -> str:
    """The diff as a sighted reader sees it: screen-reader words removed."""
    return re.sub(r'<span class="visually-hidden">.*?</span>', "", str(html))


def test_identical_content_is_unchanged_in_every_section():
    diffs = compare(SAMPLE_CONTENT, copy.deepcopy(SAMPLE_CONTENT))
    assert [d.status for d in diffs] == ["unchanged"] * 3
    assert "<del>" not in diffs[0].text.html and "<ins>" not in diffs[0].text.html


def test_one_changed_word_marks_only_that_section_and_that_word():
    new = copy.deepcopy(SAMPLE_CONTENT)
    new["sections"][2]["text"] = "Lokala BRÅ följer upp varje tertial."
    diffs = compare(SAMPLE_CONTENT, new)
    assert _statuses(diffs) == [
        ("unchanged", "Syfte och mål"),
        ("unchanged", "Samverkansområden"),
        ("changed", "Uppföljning"),
    ]
    assert _visible(diffs[2].text.html) == (
        "Lokala BRÅ följer upp varje <del>år</del><ins>tertial</ins>."
    )


def test_an_added_and_a_removed_section_are_reported_as_such_in_reading_order():
    old = _sections(("Syfte", "Trygghet."), ("Budget", "Ingen egen budget."), ("Slut", "."))
    new = _sections(("Syfte", "Trygghet."), ("Slut", "."), ("Forum", "Lokala BRÅ möts."))
    assert _statuses(compare(old, new)) == [
        ("unchanged", "Syfte"),
        ("removed", "Budget"),
        ("unchanged", "Slut"),
        ("added", "Forum"),
    ]


def test_an_added_section_is_all_inserted_and_a_removed_one_all_deleted():
    diffs = compare(_sections(("Gammal", "Bort med detta.")), _sections(("Ny", "Helt ny text.")))
    removed, added = diffs
    assert (removed.status, added.status) == ("removed", "added")
    assert _visible(removed.text.html) == "<del>Bort med detta.</del>"
    assert _visible(added.text.html) == "<ins>Helt ny text.</ins>"


def test_a_reordered_section_is_shown_once_at_its_new_place_as_moved():
    old = _sections(("A", "Första."), ("B", "Andra."), ("C", "Tredje."))
    new = _sections(("B", "Andra."), ("C", "Tredje."), ("A", "Första."))
    diffs = compare(old, new)
    assert _statuses(diffs) == [("unchanged", "B"), ("unchanged", "C"), ("unchanged", "A")]
    assert [d.moved for d in diffs] == [False, False, True]


def test_a_renamed_section_with_the_same_text_is_one_changed_section():
    old = _sections(("Uppföljning", "Lokala BRÅ följer upp arbetet varje år i december."))
    new = _sections(("Uppföljning och revidering", old["sections"][0]["text"]))
    (diff,) = compare(old, new)
    assert diff.status == "changed"
    assert _visible(diff.heading.html) == "Uppföljning<ins> och revidering</ins>"
    assert not diff.text.changed


def test_items_are_matched_by_title_and_diffed_field_by_field():
    new = copy.deepcopy(SAMPLE_CONTENT)
    item = new["sections"][1]["items"][0]
    item["effektmal"] = "Fler upplever utemiljön som trygg och ren."
    new["sections"][1]["items"].append(
        {"title": "Ringa in", "text": "", "effektmal": "", "ansvarig": "Polisen"}
    )
    section = compare(SAMPLE_CONTENT, new)[1]
    assert section.status == "changed" and not section.text.changed
    changed, added = section.items
    assert (changed.status, added.status) == ("changed", "added")
    assert [key for key, field in changed.fields.items() if field.changed] == ["effektmal"]
    assert (
        _visible(changed.effektmal.html) == "Fler upplever utemiljön som trygg<ins> och ren</ins>."
    )
    assert _visible(added.ansvarig.html) == "<ins>Polisen</ins>"


def test_user_text_is_escaped_in_the_diff_html():
    old = _sections(("Rubrik", '<b>fet</b> & "citat"'))
    new = _sections(("Rubrik", '<script>alert(1)</script> & "citat"'))
    html = str(compare(old, new)[0].text.html)
    assert set(re.findall(r"</?(\w+)", html)) <= {"del", "ins", "span"}
    assert "&lt;" in html and "&amp;" in html and "&quot;citat&quot;" in html


def test_each_change_carries_words_for_screen_readers():
    html = str(compare(_sections(("R", "ett två")), _sections(("R", "ett tre")))[0].text.html)
    assert '<del><span class="visually-hidden">[borttaget: </span>två' in html
    assert '<ins><span class="visually-hidden">[tillagt: </span>tre' in html


def test_white_space_between_two_changed_words_joins_them_into_one_change():
    segments = word_diff("vi ses varje år", "vi möts varje halvår")
    assert [(s.op, s.old, s.new) for s in segments] == [
        ("equal", "vi ", "vi "),
        ("replace", "ses", "möts"),
        ("equal", " varje ", " varje "),
        ("replace", "år", "halvår"),
    ]
    joined = word_diff("a b c d", "a x y d")
    assert [(s.op, s.old, s.new) for s in joined][1] == ("replace", "b c", "x y")


def test_compare_works_on_content_parsed_from_the_text_form():
    text = content_rules.to_markdown(SAMPLE_CONTENT)
    edited = text.replace("Ansvarig: Kommunledningskontoret", "Ansvarig: Polisen")
    diffs = compare(SAMPLE_CONTENT, content_rules.from_markdown(edited))
    assert [d.status for d in diffs] == ["unchanged", "changed", "unchanged"]
    item = diffs[1].items[0]
    assert _visible(item.ansvarig.html) == "<del>Kommunledningskontoret</del><ins>Polisen</ins>"
