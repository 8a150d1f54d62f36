"""English pages: the catalog in locale/en is complete, and choosing English gives English.

Swedish stays the language of record: without a choice in the switcher the pages
are Swedish. The switch goes through Django's own set_language view (the form in
base.html), which sets the language cookie that project.locale reads. Each test
starts in Swedish again (the autouse ``swedish`` fixture in tests/conftest.py).
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.conftest import login

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# What the list and the agreement page say about the fixture agreement (a draft).
LIST_WORDS = {
    # English: Swedish
    "My agreements": "Mina överenskommelser",
    "Parties": "Parter",
    "Next step": "Nästa steg",
    ">Draft<": ">Utkast<",
    "Both drafters approve version 1 as the joint proposal": (
        "Båda skribenterna godkänner version 1 som gemensamt förslag"
    ),
    "Log out": "Logga ut",
}
DETAIL_WORDS = {
    "Overview": "Översikt",
    "Decision-making body": "Beslutande organ",
    "Municipal Executive Board": "Kommunstyrelsen",
    "Operational agreement": "Operativ överenskommelse",
    "Decision trail": "Beslutsspår",
    "The agreement was created": "Överenskommelsen skapades",
    "Version 1 was submitted": "Version 1 lämnades in",
    "Approve version 1": "Godkänn version 1",
}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def choose(client, language: str, next_url: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def assert_words(html: str, words: dict[str, str], *, english: bool) -> None:
    for en, sv in words.items():
        present, absent = (en, sv) if english else (sv, en)
        assert present in html, f"{present!r} missing"
        assert absent not in html, f"{absent!r} on the page"


# -- the pages ------------------------------------------------------------------------


def test_choosing_english_serves_the_agreement_list_in_english(people, agreement, client):
    login(client, people.samordnare)
    list_url = reverse("workflows:agreement_list")
    choose(client, "en", list_url)

    html = page(client, list_url)

    assert '<html lang="en">' in html
    assert_words(html, LIST_WORDS, english=True)
    assert "Awaiting approval from the municipal police officer" in html


def test_choosing_english_serves_the_agreement_page_in_english(people, agreement, client):
    login(client, people.kommunpolis)
    detail_url = reverse("workflows:agreement_detail", args=[agreement.pk])
    choose(client, "en", detail_url)

    html = page(client, detail_url)

    assert '<html lang="en">' in html
    assert_words(html, DETAIL_WORDS, english=True)
    assert_words(html, {"Log out": "Logga ut"}, english=True)


def test_without_a_choice_the_pages_stay_swedish(people, agreement, client):
    login(client, people.samordnare)
    # An English browser is not a choice (project.locale).
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"

    listing = page(client, reverse("workflows:agreement_list"))
    detail = page(client, reverse("workflows:agreement_detail", args=[agreement.pk]))

    assert '<html lang="sv">' in listing
    assert '<html lang="sv">' in detail
    assert_words(listing, LIST_WORDS, english=False)
    assert_words(detail, DETAIL_WORDS, english=False)


def test_choosing_swedish_again_gives_swedish(people, agreement, client):
    login(client, people.samordnare)
    list_url = reverse("workflows:agreement_list")
    choose(client, "en", list_url)
    assert '<html lang="en">' in page(client, list_url)

    choose(client, "sv", list_url)
    html = page(client, list_url)

    assert '<html lang="sv">' in html
    assert_words(html, LIST_WORDS, english=False)


# -- the catalog ----------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr {index: text}, flags.
    Enough of the format for what makemessages writes (no msgctxt, no obsolete #~)."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"flags": [], "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field, f"continuation without a field: {line!r}"
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += ast.literal_eval(line)
            else:
                entry[name] += ast.literal_eval(line)
        else:
            match = re.fullmatch(r'(msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")', line)
            assert match, f"unexpected line in {path.name}: {line!r}"
            name, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
            field = (name, index)
            if name == "msgstr":
                entry["msgstr"][index] = ast.literal_eval(text)
            else:
                entry[name] = ast.literal_eval(text)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|</?\w+>")


def messages() -> list[dict]:
    return [entry for entry in po_entries(PO_FILE) if entry["msgid"]]


def test_every_message_has_an_english_translation():
    entries = messages()
    assert len(entries) > 400  # the whole catalog, not an empty or truncated file
    untranslated = [
        entry["msgid"]
        for entry in entries
        if not entry["msgstr"] or not all(text.strip() for text in entry["msgstr"].values())
    ]
    assert not untranslated, f"{len(untranslated)} without English: {untranslated[:5]}"
    fuzzy = [entry["msgid"] for entry in po_entries(PO_FILE) if "fuzzy" in entry["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:5]}"


def test_plural_messages_have_both_english_forms():
    plurals = [entry for entry in messages() if "msgid_plural" in entry]
    assert plurals
    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]


def test_translations_keep_the_placeholders_and_markup():
    for entry in messages():
        for index, text in entry["msgstr"].items():
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else entry["msgid"]
            # The singular may say "one" instead of the number.
            expected = set(PLACEHOLDER.findall(source))
            if index == 0 and "msgid_plural" in entry:
                assert set(PLACEHOLDER.findall(text)) <= expected | set(
                    PLACEHOLDER.findall(entry["msgid_plural"])
                ), entry["msgid"]
                continue
            assert set(PLACEHOLDER.findall(text)) == expected, entry["msgid"]


def test_the_compiled_catalog_matches_the_po_file():
    """The .mo is committed (no gettext needed to run); it must be compiled from this .po."""
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.info().get("language") == "en"
    stale = []
    for entry in messages():
        if "msgid_plural" in entry:
            pairs = [
                (catalog.ngettext(entry["msgid"], entry["msgid_plural"], 1), entry["msgstr"][0]),
                (catalog.ngettext(entry["msgid"], entry["msgid_plural"], 2), entry["msgstr"][1]),
            ]
        else:
            pairs = [(catalog.gettext(entry["msgid"]), entry["msgstr"][0])]
        stale += [entry["msgid"] for compiled, text in pairs if compiled != text]
    assert not stale, f"run compilemessages: {len(stale)} differ, e.g. {stale[:3]}"


# What makemessages leaves out (README); locale/ is left out so that the real
# catalog is never touched.
NOT_SCANNED = {".venv", "bench", "tests", "staticfiles", "var", "locale", ".git"}


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_the_catalog_has_every_string_the_code_marks(tmp_path, monkeypatch):
    """A string marked for translation after the last makemessages would show in
    Swedish on the English pages. Extracts afresh from a copy of the sources (so
    the real locale/ is not merged into) and compares."""
    source = tmp_path / "src"
    source.mkdir()
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name in NOT_SCANNED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, source / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, source / item.name)
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0)
    fresh = {entry["msgid"] for entry in po_entries(tmp_path / "locale/en/LC_MESSAGES/django.po")}
    assert len(fresh) > 400, "the extraction found too little: is the copy complete?"
    ours = {entry["msgid"] for entry in po_entries(PO_FILE)}
    missing = sorted(fresh - ours)
    assert not missing, f"run makemessages and translate: {missing[:5]} ({len(missing)} new)"
