"""Ny överenskommelse from an uploaded document: the file is read (PDF, Word, text,
Markdown), its text shown beside the fields the importer filled, and version 1 is
created only from the reviewed form. Real files, made here: PDFs with WeasyPrint
and pypdf, Word documents with python-docx."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfWriter
from weasyprint import HTML

from tests.conftest import login
from tests.workflows.test_pages import html
from tests.workflows.test_start import START, fields
from workflows import content as content_rules
from workflows.blank_agreement import SECTIONS
from workflows.models import Agreement
from workflows.uploads import UnreadableDocument, extract
from workflows.views.start import DOCUMENTS

TYPE_INSTEAD = "Du kan skriva in texten i stället."

AGREEMENT_HTML = """
<h1>Samverkansöverenskommelse Höörs kommun 2025–2026</h1>
<p>Överenskommelsen mellan Höörs kommun och Lokalpolisområde Eslöv gäller från
2025-01-01 till 2026-12-31. Den följs upp varje år.</p>
<h2>Syfte och mål</h2>
<p>Minska brottsligheten och öka tryggheten i kommunen.</p>
<h2>Samverkansområden</h2>
<h3>Trygg centrummiljö</h3>
<p>Gemensamma trygghetsvandringar i centrum.</p>
<p>Effektmål: Fler känner sig trygga i centrum.</p>
<p>Ansvarig: Kommunen och lokalpolisområdet</p>
<h3>Narkotika bland unga</h3>
<p>Insatser mot langning vid skolorna.</p>
<p>Effektmål: Färre unga provar narkotika.</p>
"""


def pdf_of(body: str) -> bytes:
    return HTML(string=f"<html lang='sv'><body>{body}</body></html>").write_pdf()


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def agreement_docx(year: int = 2025) -> bytes:
    document = docx.Document()
    document.add_heading(f"Samverkansöverenskommelse Höörs kommun {year}–{year + 1}", 0)
    document.add_paragraph(
        "Överenskommelsen mellan Höörs kommun och Lokalpolisområde Eslöv gäller från "
        f"{year}-01-01 till {year + 1}-12-31."
    )
    document.add_heading("Syfte och mål", 1)
    intro = document.add_paragraph("Minska brottsligheten och ")
    intro.add_run("öka tryggheten").bold = True
    document.add_heading("Samverkansområden", 1)
    document.add_heading("Trygg centrummiljö", 2)
    document.add_paragraph("Gemensamma trygghetsvandringar i centrum.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Effektmål", "Fler känner sig trygga."
    table.cell(1, 0).text, table.cell(1, 1).text = "Ansvarig", "Kommunen"
    return docx_bytes(document)


def upload(client, orgs, name: str, data: bytes, **more):
    """The start page with "Ladda upp ett dokument" and the file; the rest as typed."""
    values = fields(orgs, start_from="dokument", kind="", period_start="", period_end="")
    values.update(more)
    return client.post(START, {**values, "document": SimpleUploadedFile(name, data)})


def review_of(client, response):
    assert response.status_code == 302, html(response)[:3000]
    assert "/granska/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], html(page)


def review_fields(orgs, page: str, **more) -> dict[str, str]:
    """The review form as the page filled it, with ``more`` changed."""
    values = {
        name: escaped_value(page, name)
        for name in ("title", "period_start", "period_end", "duplicate_reason")
    }
    values["text"] = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', page, re.S)
    values["text"] = unescape(values["text"].group(1))
    for name in ("parties", "deciding_body", "follow_up_cadence"):
        match = re.search(rf'<select name="{name}".*?</select>', page, re.S)
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(0))
        values[name] = chosen.group(1) if chosen else ""
    kind = re.search(r'<input type="radio" name="kind" value="(\w+)"[^>]*checked', page)
    values["kind"] = kind.group(1) if kind else ""
    values.update(more)
    return values


def checked(page: str, name: str, value: str) -> bool:
    return bool(
        re.search(rf'<input type="radio" name="{name}" value="{value}"[^>]*\bchecked', page)
    )


def escaped_value(page: str, name: str) -> str:
    match = re.search(rf'<input type="\w+" name="{name}"(?: value="([^"]*)")?', page)
    return unescape(match.group(1) or "") if match else ""


def unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


# -- reading and reviewing ---------------------------------------------------------------


def test_the_start_page_offers_an_upload_as_a_third_way(orgs, people):
    page = html(login(Client(), people.samordnare).get(START))
    assert 'enctype="multipart/form-data"' in page
    assert "Ladda upp ett dokument" in page
    assert '<input type="file" name="document"' in page
    assert 'accept=".pdf,.docx,.txt,.md' in page
    assert '<label for="id_document">Dokumentet att ladda upp</label>' in page


def test_a_pdf_is_shown_beside_what_was_found_and_nothing_is_created_before_the_review(
    orgs, people
):
    client = login(Client(), people.samordnare)
    url, page = review_of(client, upload(client, orgs, "hoor.pdf", pdf_of(AGREEMENT_HTML)))
    assert not Agreement.objects.exists()
    assert "Granska det som lästes ur dokumentet" in page
    # The source text, read-only and scrollable by keyboard, beside the fields.
    assert re.search(r'<pre tabindex="0" role="region" aria-labelledby="source-title">', page)
    assert "Gemensamma trygghetsvandringar i centrum." in page
    # Found: title, parties, period, sections with their areas.
    assert 'value="Samverkansöverenskommelse Höörs kommun 2025–2026"' in page
    assert f'<option value="{orgs.hoor.pk}-{orgs.lpo.pk}" selected>' in page
    assert 'value="2025-01-01"' in page and 'value="2026-12-31"' in page
    assert "Hittat i texten: ”2025-01-01 till 2026-12-31”." in page
    assert "<dd>2, varav 2 med effektmål och 1 med ansvarig</dd>" in page
    # Guessed, and said so: the kind from the title.
    kind_help = re.search(r'id="id_kind_helptext">(.*?)</div>', page, re.S).group(1)
    assert '<span class="tag">gissat ur texten</span>' in kind_help
    assert checked(page, "kind", "one_part")
    # Not found: listed, linked to the field where there is one.
    not_found = re.search(r'id="not-found-title">.*?</section>', page, re.S).group(0)
    assert "Undertecknare" in not_found and "Beslut" in not_found
    assert '<a href="#id_text">Ansvarig för Narkotika bland unga</a>' in not_found
    assert '<a href="#id_deciding_body">Beslutande organ</a>' in not_found

    created = client.post(url, review_fields(orgs, page))
    assert created.status_code == 302, html(created)[:3000]
    agreement = Agreement.objects.get()
    assert created["Location"] == reverse("workflows:agreement_detail", args=[agreement.pk])
    assert agreement.title == "Samverkansöverenskommelse Höörs kommun 2025–2026"
    assert (agreement.kommun, agreement.lokalpolisomrade) == (orgs.hoor, orgs.lpo)
    assert (agreement.period_start, agreement.period_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert (agreement.kind, agreement.deciding_body) == ("one_part", "ks")
    version = agreement.latest_version()
    assert version.number == 1
    areas = version.content["sections"][-1]["items"]
    assert [(a["title"], a["effektmal"], a["ansvarig"]) for a in areas] == [
        (
            "Trygg centrummiljö",
            "Fler känner sig trygga i centrum.",
            "Kommunen och lokalpolisområdet",
        ),
        ("Narkotika bland unga", "Färre unga provar narkotika.", ""),
    ]
    assert version.change_note.startswith("Utgår från dokumentet ”hoor.pdf” (SHA-256 ")
    event = agreement.events.get(action="agreement_created")
    assert event.actor == people.samordnare
    assert DOCUMENTS not in client.session or not client.session[DOCUMENTS]


PDF_EXTRACTION = """HÖÖRS KOMMUN                                     POLISEN

Samverkansöverenskommelse
mellan Höörs kommun och
Lokalpolisområde Eslöv
2025–2026

Godkänd av kommunstyrelsen 2025-01-20, § 7, dnr KS 2024/301

Bakgrund
Höörs kommun och Lokalpolisområde Eslöv samverkar sedan länge.
Samverkansområden
Trygg centrummiljö
Kvällstid upplevs centrum som otryggt. Kommunen ansvarar för belysningen.
Polisen ansvarar för närvaron.
Effektmål: Fler känner sig trygga i centrum.
Uppföljning
Överenskommelsen följs upp halvårsvis i styrgruppen.

Höör den 3 februari 2025

För Höörs kommun                      För Polismyndigheten

Anna Ek                               Bo Lind
Kommunstyrelsens ordförande           Lokalpolisområdeschef
"""


def test_a_pdf_extraction_with_letterhead_stamp_and_signature_columns_starts_a_clean_version(
    orgs, people
):
    client = login(Client(), people.samordnare)
    data = PDF_EXTRACTION.encode()
    url, page = review_of(client, upload(client, orgs, "hoor.txt", data))
    assert 'value="Samverkansöverenskommelse mellan Höörs kommun och Lokalpolisområde' in page
    assert "<li>Anna Ek, Kommunstyrelsens ordförande</li>" in page
    assert "<li>Bo Lind, Lokalpolisområdeschef</li>" in page
    assert "Godkänd av kommunstyrelsen 2025-01-20, § 7, dnr KS 2024/301" in page
    cadence = re.search(r'<select name="follow_up_cadence".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="half_yearly"[^>]*selected', cadence)
    assert "Hittat i texten: ”Överenskommelsen följs upp halvårsvis i styrgruppen.”" in page

    created = client.post(url, review_fields(orgs, page))
    assert created.status_code == 302, html(created)[:3000]
    agreement = Agreement.objects.get()
    assert agreement.follow_up_cadence == "half_yearly"
    text = content_rules.to_markdown(agreement.latest_version().content)
    for leftover in ("HÖÖRS KOMMUN", "Godkänd av", "Anna Ek", "Höör den", "För Höörs kommun"):
        assert leftover not in text
    area = agreement.latest_version().content["sections"][1]["items"][0]
    assert (area["title"], area["ansvarig"]) == ("Trygg centrummiljö", "Kommunen, Polisen")
    assert area["effektmal"] == "Fler känner sig trygga i centrum."


def test_a_word_document_starts_an_agreement_with_its_headings_and_table(orgs, people):
    client = login(Client(), people.samordnare)
    url, page = review_of(client, upload(client, orgs, "hoor.docx", agreement_docx()))
    assert 'value="Samverkansöverenskommelse Höörs kommun 2025–2026"' in page
    assert "Hittat i dokumentets huvudrubrik." in page
    assert client.post(url, review_fields(orgs, page)).status_code == 302
    content = Agreement.objects.get().latest_version().content
    assert [s["heading"] for s in content["sections"]] == [
        "",
        "Syfte och mål",
        "Samverkansområden",
    ]
    assert content["sections"][1]["text"] == "Minska brottsligheten och öka tryggheten"
    assert content["sections"][2]["items"] == [
        {
            "title": "Trygg centrummiljö",
            "text": "Gemensamma trygghetsvandringar i centrum.",
            "effektmal": "Fler känner sig trygga.",
            "ansvarig": "Kommunen",
        }
    ]


MARKDOWN = """# Operativ samverkansöverenskommelse Höörs kommun 2025–2026

Överenskommelsen gäller från 2025-01-01 till 2026-12-31 och följs upp varje tertial.

## Lägesbild

**Otrygghet** i centrum kvällstid, _särskilt_ vid __resecentrum__.

## Samverkansområden

### Trygg centrummiljö

**Effektmål:** Fler känner sig *trygga* i centrum.
**Ansvarig:** Kommunen
"""


def test_a_markdown_file_starts_an_agreement_without_emphasis_markers(orgs, people):
    client = login(Client(), people.samordnare)
    url, page = review_of(client, upload(client, orgs, "hoor.md", MARKDOWN.encode()))
    assert "**" in page  # the source text is shown as it is
    assert client.post(url, review_fields(orgs, page)).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.kind == "operational"
    text = content_rules.to_markdown(agreement.latest_version().content)
    assert "Otrygghet i centrum kvällstid, särskilt vid resecentrum." in text
    assert not re.search(r"\*|__|(?<!\w)_\w", text)
    item = agreement.latest_version().content["sections"][-1]["items"][0]
    assert (item["effektmal"], item["ansvarig"]) == (
        "Fler känner sig trygga i centrum.",
        "Kommunen",
    )


def test_what_is_edited_on_the_review_is_what_version_1_holds(orgs, people):
    client = login(Client(), people.samordnare)
    url, page = review_of(client, upload(client, orgs, "hoor.pdf", pdf_of(AGREEMENT_HTML)))
    edited = "## Syfte\n\nEn egen text.\n\n### Område\n\nEffektmål: Ett mål\nAnsvarig: Polisen\n"
    values = review_fields(
        orgs,
        page,
        title="Höör 2025–2026, granskad",
        kind="operational",
        follow_up_cadence="tertial",
        period_start="2025-03-01",
        text=edited,
    )
    assert client.post(url, values).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.title == "Höör 2025–2026, granskad"
    assert (agreement.kind, agreement.follow_up_cadence) == ("operational", "tertial")
    assert agreement.period_start == datetime.date(2025, 3, 1)
    assert agreement.latest_version().content == content_rules.from_markdown(edited)


def test_the_review_keeps_what_was_typed_and_names_what_the_text_lacks(orgs, people):
    """A short text without parties, period or kind: the start page's values stay,
    each field says the text did not give it, and nothing is made up."""
    client = login(Client(), people.kommunpolis)
    text = "Trygghetsarbete\n\nVi ska arbeta tillsammans mot brott.\n".encode("cp1252")
    url, page = review_of(
        client,
        upload(
            client,
            orgs,
            "anteckning.txt",
            text,
            parties=f"{orgs.eslov.pk}-{orgs.lpo.pk}",
            kind="strategic",
            period_start="2025-01-01",
            period_end="2025-12-31",
            title="Trygg i Eslöv 2025",
        ),
    )
    assert 'value="Trygg i Eslöv 2025"' in page
    assert "Som du angav på förra sidan. Texten anger: ”Trygghetsarbete”." in page
    assert f'<option value="{orgs.eslov.pk}-{orgs.lpo.pk}" selected>' in page
    assert 'value="2025-01-01"' in page and checked(page, "kind", "strategic")
    period_help = re.search(r'id="id_period_start_helptext">(.*?)</div>', page, re.S).group(1)
    assert "Som du angav på förra sidan." in period_help
    assert "hittades inte i texten" in period_help
    not_found = re.search(r'id="not-found-title">.*?</section>', page, re.S).group(0)
    for label in ("Parter", "Period", "Typ", "Uppföljning", "Undertecknare", "Beslut"):
        assert label in not_found
    assert "Titel" not in not_found  # its first line is the title
    assert "Vi ska arbeta tillsammans mot brott." in page
    assert client.post(url, review_fields(orgs, page)).status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.kommun, agreement.kind, agreement.deciding_body) == (
        "Trygg i Eslöv 2025",
        orgs.eslov,
        "strategic",
        "kf",
    )


def test_a_text_about_another_kommun_says_so_and_offers_only_the_drafters_parties(orgs, people):
    client = login(Client(), people.samordnare)
    text = (
        "Samverkansöverenskommelse Lunds kommun 2025–2026\n\n"
        "Lunds kommun och Lokalpolisområde Lund samverkar.\n"
    ).encode()
    _url, page = review_of(client, upload(client, orgs, "lund.txt", text))
    assert "Texten gäller en annan kommun" in page
    assert "Texten gäller Lunds kommun, som inte är en av dina parter." in page
    assert f'<option value="{orgs.lund.pk}-{orgs.lpo_lund.pk}"' not in page


def test_an_overlapping_agreement_on_the_review_needs_a_reason(orgs, people, agreement):
    """The fixture agreement is Höör's operational 2023–2024."""
    client = login(Client(), people.samordnare)
    document = AGREEMENT_HTML.replace("2025", "2023").replace("2026", "2024")
    document = document.replace(
        "Samverkansöverenskommelse Höörs", "Operativ samverkansöverenskommelse Höörs"
    )
    url, page = review_of(client, upload(client, orgs, "hoor.pdf", pdf_of(document)))
    flagged = client.post(url, review_fields(orgs, page))
    assert flagged.status_code == 409
    assert "Det finns redan en överenskommelse för perioden" in html(flagged)
    assert "Gemensamma trygghetsvandringar i centrum." in html(flagged)  # still beside
    reason = "Den gamla ersätts av den här."
    done = client.post(url, review_fields(orgs, page, duplicate_reason=reason))
    assert done.status_code == 302
    new = Agreement.objects.exclude(pk=agreement.pk).get()
    assert new.events.get(action="agreement_created").details["duplicate_reason"] == reason


def test_a_review_of_a_document_not_read_in_this_session_goes_back_to_the_start(orgs, people):
    owner = login(Client(), people.samordnare)
    url, _page = review_of(owner, upload(owner, orgs, "hoor.pdf", pdf_of(AGREEMENT_HTML)))
    other = login(Client(), people.kommunpolis)
    for response in (other.get(url), other.post(url, {"title": "x"})):
        assert response.status_code == 302 and response["Location"] == START
    assert "Dokumentet finns inte längre här" in html(other.get(START))
    assert not Agreement.objects.exists()
    outsider = login(Client(), people.auditor)
    assert outsider.get(url).status_code == 403


# -- what cannot be read ------------------------------------------------------------------


def many_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(AGREEMENT_HTML))))
    writer.encrypt("hemligt", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A real Word document with one member that unpacks to a thousand times its size."""
    source = zipfile.ZipFile(io.BytesIO(agreement_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        bomb.writestr("word/media/image1.png", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A page with only a picture on it, as a scan is: no text to read."""
    return pdf_of('<div style="width:15cm;height:20cm;background:#444"></div>')


UNREADABLE = [
    pytest.param(
        "stor.txt",
        lambda: b"a" * (20 * 1024 * 1024 + 1),
        "Filen är för stor: högst 20 MB.",
        id="too-large",
    ),
    pytest.param(
        "lang.pdf",
        lambda: many_pages(201),
        "Dokumentet har 201 sidor: högst 200 kan läsas.",
        id="too-many-pages",
    ),
    pytest.param(
        "bomb.docx",
        zip_bomb_docx,
        "Word-dokumentet packas upp till orimligt mycket data och läses inte.",
        id="zip-bomb",
    ),
    pytest.param(
        "avtal.pdf",
        lambda: "Det här är ingen PDF.\n".encode(),
        "Filen heter .pdf men är ingen PDF.",
        id="renamed-non-pdf",
    ),
    pytest.param(
        "skannad.pdf",
        scanned_pdf,
        "PDF-filen innehåller ingen text att läsa, bara bilder",
        id="image-only-pdf",
    ),
    pytest.param(
        "tom.pdf",
        lambda: many_pages(1),
        "PDF-filen innehåller ingen text att läsa",
        id="empty-pdf",
    ),
    pytest.param("last.pdf", encrypted_pdf, "PDF-filen är lösenordsskyddad.", id="encrypted-pdf"),
    pytest.param(
        "bild.png",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "Filtypen kan inte läsas",
        id="unsupported-type",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), UNREADABLE)
def test_an_unreadable_document_says_why_and_keeps_what_was_typed(
    orgs, people, name, make, message
):
    client = login(Client(), people.samordnare)
    response = upload(
        client,
        orgs,
        name,
        make(),
        title="Min titel",
        period_start="2025-01-01",
        period_end="2025-12-31",
        kind="operational",
    )
    assert response.status_code == 400
    page = html(response)
    assert escape(message) in page
    assert escape(TYPE_INSTEAD) in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert '<a href="#id_document">' in summary
    assert 'value="Min titel"' in page
    assert 'value="2025-01-01"' in page and 'value="2025-12-31"' in page
    assert checked(page, "kind", "operational") and checked(page, "start_from", "dokument")
    assert "Börja från en tom struktur i stället" in page
    assert not Agreement.objects.exists()
    assert not client.session.get(DOCUMENTS)


def test_after_an_unreadable_document_the_text_can_be_typed_from_the_blank_structure(orgs, people):
    client = login(Client(), people.samordnare)
    values = fields(orgs, start_from="dokument", title="Min titel", skriv_sjalv="1")
    response = client.post(START, values)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.title == "Min titel"
    headings = [s["heading"] for s in agreement.latest_version().content["sections"]]
    assert headings == [heading for heading, _ in SECTIONS]


def test_choosing_the_upload_without_a_file_asks_for_one(orgs, people):
    client = login(Client(), people.samordnare)
    response = client.post(START, fields(orgs, start_from="dokument", title="Min titel"))
    assert response.status_code == 400
    assert "Välj dokumentet att ladda upp." in html(response)
    assert 'value="Min titel"' in html(response)


def test_reading_stops_when_it_takes_longer_than_the_time_budget(orgs, people, settings):
    settings.DOCUMENT_READ_SECONDS = 0
    client = login(Client(), people.samordnare)
    response = upload(client, orgs, "hoor.pdf", pdf_of(AGREEMENT_HTML))
    assert response.status_code == 400
    assert "Det tog för lång tid att läsa dokumentet (mer än 0 sekunder)." in html(response)


# -- the reader on its own ------------------------------------------------------------------


def test_the_type_is_told_by_the_content_not_the_name():
    read = extract(SimpleUploadedFile("avtal.txt", pdf_of(AGREEMENT_HTML)))
    assert (read.content_type, read.fmt, read.pages) == ("application/pdf", "text", 1)
    assert read.text.startswith("Samverkansöverenskommelse Höörs kommun 2025–2026\n\nÖverens")
    word = extract(SimpleUploadedFile("avtal", agreement_docx()))
    assert word.fmt == "markdown" and word.text.startswith("# Samverkansöverenskommelse")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeffÖverenskommelse för Höör".encode(), "Överenskommelse för Höör"),
        ("Överenskommelse för Höör".encode("cp1252"), "Överenskommelse för Höör"),
        ("Överenskommelse för Höör".encode("utf-16"), "Överenskommelse för Höör"),
    ],
    ids=["utf-8-bom", "cp1252", "utf-16"],
)
def test_text_files_are_read_in_utf_8_or_windows_encodings(data, expected):
    read = extract(SimpleUploadedFile("avtal.txt", data))
    assert read.text == expected
    assert read.sha256 == __import__("hashlib").sha256(data).hexdigest()


def test_a_docx_whose_zip_declares_too_much_is_refused_before_it_is_opened(settings):
    settings.DOCUMENT_MAX_UNZIPPED_BYTES = 1000
    with pytest.raises(UnreadableDocument, match="orimligt mycket data"):
        extract(SimpleUploadedFile("avtal.docx", agreement_docx()))
