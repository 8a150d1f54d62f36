"""Reading an uploaded agreement document into text: PDF (pypdf), Word .docx
(python-docx), plain text and Markdown. No database, no parsing of the agreement
itself: that is ``importer.parse(extracted.text, fmt=extracted.fmt)``.

The type is told by the content, not the name: a PDF starts with ``%PDF-``, a
.docx is a zip with ``word/document.xml``; anything else is read as text only
when its name says .txt or .md. The document is untrusted, so it is read within
limits (each a setting, the constant below its default):

- ``DOCUMENT_MAX_BYTES``: the file's size (20 MB);
- ``DOCUMENT_MAX_PAGES``: a PDF's pages, and a .docx's as Word counted them (200);
- ``DOCUMENT_READ_SECONDS``: the time for reading the text, checked between pages
  and paragraphs (5 s);
- ``DOCUMENT_MAX_CHARS``: the text read (a million characters, far above 200 pages,
  and below what a review form may post back);
- a .docx's zip, checked before python-docx opens it: ``DOCUMENT_MAX_UNZIPPED_BYTES``
  in all (50 MB), ``DOCUMENT_MAX_ZIP_RATIO`` for any member of more than 1 MB (100:1),
  and at most ``DOCUMENT_MAX_ZIP_MEMBERS`` members (2,000). Python's zipfile stops a
  member at its declared size, so the declared sizes are the ones that count.
  pypdf limits each PDF stream's decompressed size itself (75 MB).

Whatever cannot be read raises ``UnreadableDocument``, whose message (Swedish)
says why and that the text can be typed instead.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from docx.table import Table
from pypdf import PasswordType, PdfReader

logger = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_MAX_PAGES = 200
DOCUMENT_READ_SECONDS = 5.0
DOCUMENT_MAX_CHARS = 1_000_000
DOCUMENT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
DOCUMENT_MAX_ZIP_RATIO = 100
DOCUMENT_MAX_ZIP_MEMBERS = 2000
_RATIO_FROM_BYTES = 1024 * 1024  # small members compress well without harm

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain"}
MARKDOWN_SUFFIXES = {".md": "text/markdown", ".markdown": "text/markdown"}
ACCEPT = ".pdf,.docx,.txt,.md,application/pdf,text/plain,text/markdown," + DOCX


def limit(name: str) -> Any:
    """The setting ``name``, or this module's constant of that name."""
    return getattr(settings, name, globals()[name])


class UnreadableDocument(Exception):
    """The document cannot be read; ``str()`` is the Swedish message for the page."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason} {_('Du kan skriva in texten i stället.')}")


@dataclass(frozen=True)
class Extracted:
    name: str
    content_type: str  # what the content is, not what the browser said
    data: bytes
    sha256: str
    text: str
    fmt: str  # "markdown" or "text", for importer.parse
    pages: int  # 0 when the format has no pages or Word did not count them


def extract(uploaded: Any) -> Extracted:
    """Read an uploaded file (Django's ``UploadedFile``) into text, within the limits."""
    name = PurePath(str(getattr(uploaded, "name", "") or "")).name[:255] or "dokument"
    max_bytes = limit("DOCUMENT_MAX_BYTES")
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise UnreadableDocument(_("Filen är tom."))
    suffix = PurePath(name).suffix.lower()
    deadline = time.monotonic() + float(limit("DOCUMENT_READ_SECONDS"))
    if data[:1024].lstrip().startswith(b"%PDF-"):
        content_type, fmt = PDF, "text"
        text, pages = _pdf_text(data, deadline)
    elif data.startswith(b"PK\x03\x04"):
        content_type = DOCX
        text, pages, fmt = _docx_text(data, deadline)
    else:
        content_type, fmt = _text_type(data, suffix)
        text, pages = _decode(data), 0
        if fmt == "text" and _looks_like_markdown(text):
            fmt = "markdown"
    text = _tidy(text)
    if len(text) > limit("DOCUMENT_MAX_CHARS"):
        raise UnreadableDocument(
            _("Texten är för lång: mer än %(count)s tecken.")
            % {"count": f"{limit('DOCUMENT_MAX_CHARS'):,}".replace(",", " ")}
        )
    if not text.strip():
        raise UnreadableDocument(_("Dokumentet innehåller ingen text."))
    return Extracted(
        name=name,
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        fmt=fmt,
        pages=pages,
    )


def _too_large(max_bytes: int) -> UnreadableDocument:
    return UnreadableDocument(
        _("Filen är för stor: högst %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024) or 1}
    )


def _check_pages(pages: int) -> None:
    max_pages = limit("DOCUMENT_MAX_PAGES")
    if pages > max_pages:
        raise UnreadableDocument(
            _("Dokumentet har %(pages)s sidor: högst %(max)s kan läsas.")
            % {"pages": pages, "max": max_pages}
        )


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise UnreadableDocument(
            _("Det tog för lång tid att läsa dokumentet (mer än %(seconds)s sekunder).")
            % {"seconds": f"{float(limit('DOCUMENT_READ_SECONDS')):g}"}
        )


# -- PDF ------------------------------------------------------------------------------


def _pdf_text(data: bytes, deadline: float) -> tuple[str, int]:
    damaged = _("PDF-filen är skadad och kan inte läsas.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableDocument(_("PDF-filen är lösenordsskyddad."))
        pages = len(reader.pages)
    except UnreadableDocument:
        raise
    except Exception as error:  # pypdf raises many kinds on a malformed file
        logger.info("PDF could not be opened: %r", error)
        raise UnreadableDocument(damaged) from None
    _check_pages(pages)
    texts = []
    for page in range(pages):
        _check_time(deadline)
        try:
            texts.append(_page_text(reader.pages[page]))
        except Exception as error:
            logger.info("PDF page %s could not be read: %r", page + 1, error)
            raise UnreadableDocument(damaged) from None
    if not any(text.strip() for text in texts):
        raise UnreadableDocument(
            _("PDF-filen innehåller ingen text att läsa, bara bilder: den är troligen inskannad.")
        )
    return "\n\n".join(text for text in texts if text.strip()), pages


@dataclass
class _Line:
    text: str
    y: float | None = None
    size: float = 0.0


def _page_text(page: Any) -> str:
    """The page's text as pypdf reads it, in paragraphs: a PDF has only lines, so a
    larger gap than the line spacing, or another font size (a heading), starts a
    paragraph, and the lines of a paragraph are joined, as the importer expects
    (the extractions in shared/seeds/ have a paragraph per line)."""
    lines: list[_Line] = [_Line("")]

    def visit(text: str, cm: Any, tm: Any, font: Any, font_size: float) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append(_Line(""))
            line = lines[-1]
            if part.strip() and line.y is None:
                line.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                line.size = abs(font_size * (tm[3] or 1) * (cm[3] or 1)) or abs(font_size)
            line.text += part

    plain = page.extract_text(visitor_text=visit) or ""
    found = [line for line in lines if line.text.strip()]
    if not found or any(line.y is None for line in found):
        return plain  # nothing to measure: pypdf's lines as they are
    return "\n\n".join(_paragraphs(found))


_OWN_LINE = re.compile(r"^(?:[-–•*·▪]\s|\d{1,2}[.)]\s|[A-ZÅÄÖ][\wåäö ]{0,30}:\s)")


def _paragraphs(lines: list[_Line]) -> list[str]:
    # A line much shorter than the page's longest in its size ended on purpose (a
    # signature's name, title and organisation; a list): the next one keeps its line.
    longest: dict[int, int] = {}
    for line in lines:
        size = round(line.size)
        longest[size] = max(longest.get(size, 0), len(line.text.strip()))
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        text = " ".join(line.text.split())
        if previous is None or _starts_paragraph(previous, line):
            paragraphs.append(text)
        elif _OWN_LINE.match(text) or (
            len(previous.text.strip()) < 0.6 * longest[round(previous.size)]
        ):
            paragraphs[-1] += "\n" + text
        elif paragraphs[-1].endswith("-") and text[:1].islower():
            paragraphs[-1] += text  # "brotts-" "förebyggande": the word goes on
        else:
            paragraphs[-1] += " " + text
        previous = line
    return paragraphs


def _starts_paragraph(previous: _Line, line: _Line) -> bool:
    gap = (previous.y or 0) - (line.y or 0)
    size = max(previous.size, line.size, 1.0)
    if gap <= 0 or gap > 1.6 * size:  # back up the page (a column), or extra space
        return True
    return abs(previous.size - line.size) > 0.1 * size  # a heading's size changes


# -- Word ------------------------------------------------------------------------------

_APP_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")
_HEADING = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik"}
_LIST_STYLE = re.compile(r"^(?:list|lista)\b", re.IGNORECASE)


def _docx_text(data: bytes, deadline: float) -> tuple[str, int, str]:
    not_word = _("Filen är en zip-fil men inget Word-dokument (.docx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableDocument(not_word) from None
    with archive:
        names = {member.filename for member in members}
        if "word/document.xml" not in names:
            raise UnreadableDocument(not_word)
        _check_zip(members)
        pages = _docx_pages(archive, names)
    _check_pages(pages)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx and lxml raise many kinds on a bad file
        logger.info("DOCX could not be opened: %r", error)
        raise UnreadableDocument(_("Word-dokumentet är skadat och kan inte läsas.")) from None
    lines, headings = _docx_lines(document, deadline)
    return "\n\n".join(lines), pages, "markdown" if headings else "text"


def _check_zip(members: list[zipfile.ZipInfo]) -> None:
    """A zip bomb is refused before anything is decompressed."""
    bomb = _("Word-dokumentet packas upp till orimligt mycket data och läses inte.")
    if len(members) > limit("DOCUMENT_MAX_ZIP_MEMBERS"):
        raise UnreadableDocument(bomb)
    if sum(member.file_size for member in members) > limit("DOCUMENT_MAX_UNZIPPED_BYTES"):
        raise UnreadableDocument(bomb)
    ratio = limit("DOCUMENT_MAX_ZIP_RATIO")
    for member in members:
        if member.file_size > _RATIO_FROM_BYTES and (
            member.file_size > ratio * max(member.compress_size, 1)
        ):
            raise UnreadableDocument(bomb)


def _docx_pages(archive: zipfile.ZipFile, names: set[str]) -> int:
    """The page count Word stored in docProps/app.xml (0 when there is none)."""
    if "docProps/app.xml" not in names:
        return 0
    try:
        with archive.open("docProps/app.xml") as app:
            match = _APP_PAGES.search(app.read(_RATIO_FROM_BYTES))
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return 0
    return int(match.group(1)) if match else 0


def _docx_lines(document: Any, deadline: float) -> tuple[list[str], bool]:
    """The body's paragraphs and tables in order. Headings become the text form's
    ``#`` lines (Title ``#``, Heading 1 ``##``, Heading 2 and below ``###``), so the
    importer sees the structure Word had; bold and italics are left out."""
    lines: list[str] = []
    headings = False
    for block in document.iter_inner_content():
        _check_time(deadline)
        if isinstance(block, Table):
            lines += _table_lines(block)
            continue
        text = _one_line(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        level = _HEADING.match(style.strip())
        if style.strip().lower() in _TITLE_STYLES:
            lines.append(f"# {text}")
            headings = True
        elif level:
            lines.append(f"{'#' * min(int(level.group(1)) + 1, 3)} {text}")
            headings = True
        elif _LIST_STYLE.match(style.strip()):
            lines.append(f"- {text}")
        else:
            lines.append(text)
    if headings and lines and not any(line.startswith("# ") for line in lines):
        # No Title style: the first line is the title, as the importer takes a plain
        # text's first line, when it reads like one.
        first = lines[0].lstrip("#").strip()
        if len(first) <= 200 and not first.endswith("."):
            lines[0] = f"# {first}"
    return lines, headings


def _table_lines(table: Any) -> list[str]:
    """A row per paragraph; a two-cell row whose first cell is a short label reads
    "Label: value" (as "Effektmål: …" does in the text form)."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell comes once per grid column
            text = _one_line(cell.text)
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if len(cells) == 2 and len(cells[0]) <= 40 and cells[0][-1] not in ".!?":
            lines.append(f"{cells[0].rstrip(':')}: {cells[1]}")
        elif cells:
            lines.append("\n".join(cells))
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- text ------------------------------------------------------------------------------


def _text_type(data: bytes, suffix: str) -> tuple[str, str]:
    if suffix in MARKDOWN_SUFFIXES:
        return MARKDOWN_SUFFIXES[suffix], "markdown"
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix], "text"
    if suffix == ".pdf":
        raise UnreadableDocument(_("Filen heter .pdf men är ingen PDF."))
    if suffix == ".docx":
        raise UnreadableDocument(_("Filen heter .docx men är inget Word-dokument."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(
            _("Äldre Word-dokument (.doc) kan inte läsas: spara det som .docx eller PDF.")
        )
    raise UnreadableDocument(
        _("Filtypen kan inte läsas: ladda upp en PDF, ett Word-dokument (.docx) eller en textfil.")
    )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:8192]:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise UnreadableDocument(
        _("Filen är ingen läsbar text. Spara den som text (UTF-8) och ladda upp den igen.")
    )


def _looks_like_markdown(text: str) -> bool:
    return bool(re.search(r"^#{1,3}\s+\S", text, re.MULTILINE))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _CONTROL.sub("", text)
