"""A kommun brings in the agreement it already has in force, in the browser: uploads
the signed PDF, reviews what was read beside the document's text, registers it, and
finds it marked "registrerad i efterhand"; axe-core (WCAG 2.1 AA) on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_full_cycle import Pages
from workflows.models import Agreement, AgreementState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIGNED_PDF_HTML = """<html><body>
<h1>Samverkansöverenskommelse mellan Höörs kommun och Lokalpolisområde Eslöv 2025–2027</h1>
<p>Godkänd av kommunstyrelsen 2024-12-09, § 212, dnr KS 2024/431.</p>
<h2>Syfte</h2>
<p>Kommunen och polisen arbetar tillsammans mot brott och för trygghet i Höör.</p>
<h2>Uppföljning</h2>
<p>Överenskommelsen följs upp årligen.</p>
<p>Höör den 16 december 2024</p>
<p>Johan Svahnberg<br>Kommunstyrelsens ordförande</p>
<p>Veronica Ek<br>Lokalpolisområdeschef</p>
</body></html>"""


def test_an_agreement_in_force_is_registered_from_its_pdf_in_the_browser(
    browser, live_server, people, tmp_path
):
    from weasyprint import HTML

    pdf = tmp_path / "trygg-i-hoor-2025-2027.pdf"
    pdf.write_bytes(HTML(string=SIGNED_PDF_HTML).write_pdf())
    pages = Pages(browser, live_server.url)
    sam = pages.logged_in(people.samordnare)
    sam.get_by_role("link", name="Registrera befintlig överenskommelse").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Registrera befintlig överenskommelse")
    pages.check(sam, "registrera, tomt formulär")

    sam.get_by_label("Källdokument (PDF, Word, text eller Markdown)").set_input_files(str(pdf))
    sam.get_by_role("button", name="Läs dokumentet").click()
    expect(sam.get_by_role("heading", name="Granska det som lästes ut")).to_be_visible()
    expect(sam.get_by_role("region", name="Dokumentets text")).to_contain_text(
        "Kommunen och polisen arbetar tillsammans"
    )
    expect(sam.get_by_label("Kommunens beslutsdatum")).to_have_value("2024-12-09")
    expect(sam.get_by_label("Gäller från")).to_have_value("2025-01-01")
    pages.check(sam, "registrera, granskning")

    sam.get_by_role("button", name="Registrera överenskommelsen").click()
    expect(sam.get_by_role("heading", name="Registrerad i efterhand")).to_be_visible()
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.IN_FORCE
    assert bytes(agreement.registration.document.data) == pdf.read_bytes()
    pages.check(sam, "registrerad överenskommelse")

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{page}: {v}" for page, found in pages.violations.items() for v in found
    )
