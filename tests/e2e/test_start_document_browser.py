"""A drafter starts an agreement from a Word document in the browser: an unreadable
file first (the page says why and keeps what was typed), then the real one, the
review beside its text with the keyboard, one field changed, version 1 created;
axe-core (WCAG 2.1 AA) on each page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_full_cycle import Pages
from tests.workflows.test_start_document import agreement_docx
from workflows.models import Agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agreement_is_started_from_a_word_document_after_a_review(
    browser, live_server, people, tmp_path
):
    year = timezone.localdate().year + 1
    word = tmp_path / "trygg-i-hoor.docx"
    word.write_bytes(agreement_docx(year))
    broken = tmp_path / "avtal.pdf"
    broken.write_text("Ingen PDF.")
    pages = Pages(browser, live_server.url)
    sam = pages.logged_in(people.samordnare)
    sam.goto("/overenskommelser/ny/")
    pages.check(sam, "ny överenskommelse")

    sam.get_by_label("Gäller från").fill(f"{year}-01-01")
    sam.get_by_label("Gäller till och med").fill(f"{year}-12-31")
    sam.get_by_label("Ladda upp ett dokument").check()
    sam.get_by_label("Dokumentet att ladda upp").set_input_files(str(broken))
    sam.get_by_role("button", name="Skapa överenskommelsen").click()
    expect(sam.get_by_role("alert")).to_contain_text("Filen heter .pdf men är ingen PDF.")
    expect(sam.get_by_label("Gäller från")).to_have_value(f"{year}-01-01")
    expect(sam.get_by_role("button", name="Börja från en tom struktur i stället")).to_be_visible()
    pages.check(sam, "ny överenskommelse, oläsbart dokument")

    sam.get_by_label("Dokumentet att ladda upp").set_input_files(str(word))
    sam.get_by_role("button", name="Skapa överenskommelsen").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Granska det som lästes ur dokumentet")
    source = sam.get_by_role("region", name="Dokumentets text")
    expect(source).to_contain_text("Gemensamma trygghetsvandringar i centrum.")
    source.focus()  # the text scrolls with the keyboard
    sam.keyboard.press("PageDown")
    # Typed on the start page, kept; the text's period is named beside it.
    expect(sam.get_by_label("Gäller till och med")).to_have_value(f"{year}-12-31")
    expect(sam.get_by_text(f"Texten anger: {year}-01-01 – {year + 1}-12-31.")).to_be_visible()
    sam.get_by_label("Gäller till och med").fill(f"{year + 1}-12-31")
    pages.check(sam, "granskning av dokument")

    sam.get_by_label("Titel").fill(f"Trygg i Höör {year}–{year + 1}")
    sam.get_by_role("button", name="Skapa överenskommelsen med version 1").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(f"Trygg i Höör {year}–{year + 1}")
    agreement = Agreement.objects.get()
    assert agreement.latest_version().content["sections"][-1]["items"][0]["ansvarig"] == "Kommunen"

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{page}: {v}" for page, found in pages.violations.items() for v in found
    )
