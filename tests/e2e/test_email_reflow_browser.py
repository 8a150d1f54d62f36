"""Every e-mail kind, as HTML in Swedish and English, fits a 320 px wide phone: long
links, hashes and titles wrap instead of widening the message."""

from __future__ import annotations

import pytest

from tests.workflows.test_email_language import KINDS, html, rendered

pytestmark = [pytest.mark.e2e]

WIDTH = 320


def test_every_e_mail_fits_a_320_px_screen(browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 640})
    too_wide = {}
    for kind in KINDS:
        for language in ("sv", "en"):
            page.set_content(html(rendered(kind, language)))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide[f"{kind} ({language})"] = width
    assert too_wide == {}
