"""The importer on texts it was not built on (tests/importer_texts/): every field a
reader takes from a text is either read right or left empty, never read wrong."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workflows import importer_coverage as coverage
from workflows.importer import parse

TEXTS = Path(__file__).resolve().parents[1] / "importer_texts"
CORPUS = coverage.texts(TEXTS)


def _marks():
    return [mark for path, expected in CORPUS for mark in coverage.marks_for(path, expected)]


def test_the_corpus_holds_at_least_twenty_texts_of_various_shapes():
    assert len(CORPUS) >= 30
    suffixes = {path.suffix for path, _ in CORPUS}
    assert suffixes == {".txt", ".md"}


@pytest.mark.parametrize(
    "key", ["follow_up_cadence", "decision", "signed_on", "deciding_body", "kind"]
)
def test_each_pattern_is_given_by_three_texts_and_absent_from_three(key):
    given = [path.name for path, expected in CORPUS if expected[key] is not None]
    absent = [path.name for path, expected in CORPUS if expected[key] is None]
    assert len(given) >= 3, given
    assert len(absent) >= 3, absent


def test_periods_are_given_in_many_forms_beside_year_ranges_that_are_not_the_period():
    decoys, forms = [], set()
    for path, expected in CORPUS:
        text = path.read_text(encoding="utf-8")
        period = {expected["period_start"] and expected["period_start"][:4]}
        period.add(expected["period_end"] and expected["period_end"][:4])
        ranges = re.findall(r"(?<!\d)(\d{4})\s*[-–]\s*(\d{4})(?!\d)", text)
        if any({start, end} != period for start, end in ranges):
            decoys.append(path.name)
        forms |= {form for form, pattern in PERIOD_FORMS.items() if re.search(pattern, text)}
    assert len(decoys) >= 3, decoys
    assert forms == set(PERIOD_FORMS)


PERIOD_FORMS = {
    "years with a dash": r"gäller\s+(?:för\s+åren\s+)?\d{4}\s*[-–]\s*\d{4}",
    "dates in words": r"\d{1,2} \w+ \d{4} – \d{1,2} \w+ \d{4}",
    "iso dates": r"\d{4}-\d{2}-\d{2}\s*(?:--|–)\s*\d{4}-\d{2}-\d{2}",
    "years in words": r"för åren \d{4} till och med \d{4}",
    "months in words": r"(?:från|från och med) \w+ \d{4} till och med \w+ \d{4}",
}


def test_signatories_in_columns_and_areas_as_bullets_or_sentences_are_in_the_corpus():
    about = [expected["about"].lower() for _, expected in CORPUS]
    assert sum("kolumn" in text or "column" in text for text in about) >= 3
    assert sum("punkt" in text or "bullet" in text for text in about) >= 3
    assert sum("ansvarar" in text for text in about) >= 3


def test_the_importer_reads_no_field_of_any_test_text_wrong():
    wrong = [m for m in _marks() if m.outcome == coverage.WRONG]
    assert not wrong, "\n".join(f"{m.text} {m.field}: {m.detail}" for m in wrong)


def test_the_importer_finds_most_of_what_the_texts_give():
    counts = coverage.tally(_marks())
    for key in ("title", "kommun", "lokalpolisomrade", "period_start", "period_end", "junk"):
        row = counts[key]
        assert row[coverage.MISSING] <= 2, (key, row)
    for key in ("signatories", "decision", "follow_up_cadence", "areas"):
        row = counts[key]
        assert row[coverage.RIGHT] >= 2 * row[coverage.MISSING], (key, row)


def test_a_value_the_text_does_not_give_is_marked_wrong_not_right():
    result = parse("Samverkansöverenskommelse mellan Ale kommun och lokalpolisområde Ale\n")
    expected = {key: None for key in coverage.SCALARS} | {
        "decision": None,
        "signatories": [],
        "headings": [],
        "areas": [],
    }
    marks = {m.field: m.outcome for m in coverage.compare("x", result, expected)}
    assert marks["kommun"] == coverage.WRONG
    assert marks["period_start"] == coverage.ABSENT
    assert marks["title"] == coverage.WRONG


def test_emphasis_and_signature_lines_left_in_the_sections_are_junk():
    result = parse(
        "# Överenskommelse\n\n## **Bakgrund**\n\nText.\n\nVara den 3 maj 2022\n",
        fmt="markdown",
    )
    result.signed_on = None  # as if the importer had left the line in the text
    result.sections[0]["text"] += "\n\nVara den 3 maj 2022"
    expected = {"title": "Överenskommelse", "signatories": []}
    outcome, detail = coverage._junk(result, expected)
    assert outcome == coverage.WRONG
    assert "ort och datum" in detail


def test_the_command_prints_the_coverage_table_over_the_fixtures():
    out = StringIO()
    call_command("importer_coverage", stdout=out)
    text = out.getvalue()
    assert f"{len(CORPUS)} texter" in text
    for key in coverage.FIELDS:
        assert f"\n{key} " in text
    total = text.splitlines()[-1].split()
    assert total[:2] == ["totalt", "(total)"]
    right, missing, wrong, absent = map(int, total[2:])
    assert wrong == 0
    assert right + missing + wrong + absent == len(CORPUS) * len(coverage.FIELDS)


def test_the_command_refuses_a_folder_without_texts(tmp_path):
    with pytest.raises(CommandError, match="Inga texter"):
        call_command("importer_coverage", str(tmp_path))
