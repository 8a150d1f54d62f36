"""The bundle as an archive package (SIP) in the E-ARK CSIP/SIP structure that
FGS Paketstruktur builds on, for a kommun's or Polisen's e-archive.

The package is a folder named after its ``OBJID``::

    samverkan-<id>-v<n>-<head[:12]>/
      METS.xml                        every other file with its size and SHA-256
      representations/rep1/data/      the bundle exactly as bundle_write writes it
      schemas/mets.xsd, xlink.xsd     the schemas METS.xml follows

The bundle stays one folder, so its own ``verify.py`` still runs in ``data/``. There is
no representation METS.xml: the root METS.xml lists the data files itself and points
at their file group from a "Representations" division, as CSIP's own example does
for a package without representation METS files. Whatever files bundle_write writes
are listed; nothing here knows their names.

Generated with the standard library; the tests validate METS.xml against the
vendored METS 1.12.1 schema with lxml (see schemas/SOURCES.md).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, unquote

from .. import bundle_verify
from ..models import Agreement
from .bundle import ExportError, bundle_write

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
# Where a reader of the package finds the schemas: the copies inside it.
SCHEMA_LOCATION = f"{METS_NS} schemas/mets.xsd {XLINK_NS} schemas/xlink.xsd"

METS_FILE = "METS.xml"
DATA = "representations/rep1/data"
SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMAS = ("mets.xsd", "xlink.xsd")
# (fileGrp ID and @USE, folder in the package, structMap division ID and @LABEL), in the
# order METS.xml lists them. A representation's data group is named by its path (CSIP64)
# and, without a representation METS.xml, hangs from a "Representations" division (CSIP101).
GROUPS = (
    ("grp-schemas", "Schemas", "schemas", "div-schemas", "Schemas"),
    ("grp-rep1-data", "Representations/rep1/data", DATA, "div-representations", "Representations"),
)

# A fixed table rather than the mimetypes module, whose answers depend on the machine.
MIMETYPES = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".py": "text/x-python",
    ".xsd": "application/xml",
    ".xml": "application/xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# ElementTree's prefixes are global; these are the ones METS documents use anyway.
ET.register_namespace("mets", METS_NS)
ET.register_namespace("xlink", XLINK_NS)
ET.register_namespace("csip", CSIP_NS)


def m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def xlink(name: str) -> str:
    return f"{{{XLINK_NS}}}{name}"


def csip(name: str) -> str:
    return f"{{{CSIP_NS}}}{name}"


def software_version() -> str:
    try:
        return metadata.version("samverkan")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "okänd"


def package_files(package: Path, folder: str) -> list[Path]:
    return sorted(p for p in (package / folder).rglob("*") if p.is_file())


def mets_build(package: Path, objid: str, agreement: Agreement, manifest: dict) -> ET.ElementTree:
    """METS.xml for the files now in ``package``, hashed as they lie on disk."""
    created = manifest["exported_at"]  # when bundle_write wrote them (xs:dateTime)
    root = ET.Element(
        m("mets"),
        {
            "OBJID": objid,
            "LABEL": agreement.title,
            "TYPE": "Other",
            csip("OTHERTYPE"): "Samverkansöverenskommelse",
            csip("CONTENTINFORMATIONTYPE"): "OTHER",
            csip("OTHERCONTENTINFORMATIONTYPE"): manifest["format"],
            "PROFILE": PROFILE,
            f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION,
        },
    )
    header = ET.SubElement(
        root,
        m("metsHdr"),
        {"CREATEDATE": created, "RECORDSTATUS": "NEW", csip("OAISPACKAGETYPE"): "SIP"},
    )
    # The submitting organisation (E-ARK SIP15), then the software (CSIP10–16).
    kommun = ET.SubElement(header, m("agent"), {"ROLE": "CREATOR", "TYPE": "ORGANIZATION"})
    ET.SubElement(kommun, m("name")).text = agreement.kommun.name
    software = ET.SubElement(
        header, m("agent"), {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"}
    )
    ET.SubElement(software, m("name")).text = "Samverkan"
    note = ET.SubElement(software, m("note"), {csip("NOTETYPE"): "SOFTWARE VERSION"})
    note.text = software_version()

    files = ET.SubElement(root, m("fileSec"), {"ID": "filesec"})
    number = 0
    for group_id, use, folder, _div_id, _label in GROUPS:
        attributes = {"ID": group_id, "USE": use}
        if folder == DATA:  # CSIP62: a representation's group says what it holds
            attributes[csip("CONTENTINFORMATIONTYPE")] = "OTHER"
            attributes[csip("OTHERCONTENTINFORMATIONTYPE")] = manifest["format"]
        group = ET.SubElement(files, m("fileGrp"), attributes)
        for path in package_files(package, folder):
            number += 1
            entry = ET.SubElement(
                group,
                m("file"),
                {
                    "ID": f"file-{number:04d}",
                    "MIMETYPE": MIMETYPES.get(path.suffix.lower(), "application/octet-stream"),
                    "SIZE": str(path.stat().st_size),
                    "CREATED": created,
                    "CHECKSUM": bundle_verify.file_sha256(path),
                    "CHECKSUMTYPE": "SHA-256",
                },
            )
            href = quote(path.relative_to(package).as_posix())
            ET.SubElement(
                entry, m("FLocat"), {"LOCTYPE": "URL", xlink("type"): "simple", xlink("href"): href}
            )

    # CSIP: one PHYSICAL structMap labelled CSIP; each division points at a file group.
    structure = ET.SubElement(
        root, m("structMap"), {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
    )
    top = ET.SubElement(structure, m("div"), {"ID": "div-package", "LABEL": objid})
    # CSIP88 asks for exactly one Metadata division; with no metadata sections it is
    # empty, as in E-ARK's own minimal example.
    ET.SubElement(top, m("div"), {"ID": "div-metadata", "LABEL": "Metadata"})
    for group_id, _use, _folder, div_id, label in GROUPS:
        division = ET.SubElement(top, m("div"), {"ID": div_id, "LABEL": label})
        ET.SubElement(division, m("fptr"), {"FILEID": group_id})
    ET.indent(root)
    return ET.ElementTree(root)


def sip_check(folder: Path | str) -> list[str]:
    """What is wrong with the package in ``folder`` (empty when nothing): METS.xml names
    the package, and lists every other file once, with its real size and SHA-256."""
    folder = Path(folder)
    try:
        root = ET.parse(folder / METS_FILE).getroot()
    except (OSError, ET.ParseError) as error:
        return [f"{METS_FILE} kan inte läsas: {error}"]
    if root.tag != m("mets"):
        return [f"{METS_FILE} är inte ett METS-dokument."]
    problems = []
    if root.get("OBJID") != folder.name:
        problems.append(f"OBJID {root.get('OBJID')!r} är inte mappens namn {folder.name!r}.")
    if root.get("PROFILE") != PROFILE:
        problems.append(f"PROFILE är inte {PROFILE}.")
    header = root.find(m("metsHdr"))
    if header is None or header.get(csip("OAISPACKAGETYPE")) != "SIP":
        problems.append("metsHdr saknar csip:OAISPACKAGETYPE='SIP'.")

    listed: Counter[str] = Counter()
    base = folder.resolve()
    for entry in root.iterfind(f"{m('fileSec')}/{m('fileGrp')}/{m('file')}"):
        location = entry.find(m("FLocat"))
        name = unquote(location.get(xlink("href"), "")) if location is not None else ""
        listed[name] += 1
        path = (folder / name).resolve()
        if not name or not path.is_relative_to(base) or not path.is_file():
            problems.append(f"{name or entry.get('ID')}: filen finns inte i paketet.")
        elif entry.get("CHECKSUMTYPE") != "SHA-256":
            problems.append(f"{name}: CHECKSUMTYPE är inte SHA-256.")
        elif entry.get("CHECKSUM") != bundle_verify.file_sha256(path):
            problems.append(f"{name}: SHA-256 stämmer inte, filen är ändrad.")
        elif entry.get("SIZE") != str(path.stat().st_size):
            problems.append(f"{name}: storleken stämmer inte.")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name in sorted(present - {METS_FILE} - set(listed)):
        problems.append(f"{name}: finns i paketet men inte i {METS_FILE}.")
    problems += [f"{name}: står {n} gånger i {METS_FILE}." for name, n in listed.items() if n > 1]

    maps = root.findall(f"{m('structMap')}[@TYPE='PHYSICAL'][@LABEL='CSIP']")
    if len(maps) != 1:
        problems.append("Det finns inte exakt en structMap med TYPE='PHYSICAL' och LABEL='CSIP'.")
    groups = {g.get("ID") for g in root.iterfind(f"{m('fileSec')}/{m('fileGrp')}")}
    pointed = {f.get("FILEID") for s in maps for f in s.iter(m("fptr"))}
    for group_id in sorted(groups - pointed, key=str):
        problems.append(f"Filgruppen {group_id} nås inte från structMap.")
    return problems


def sip_write(agreement_id: int, out: Path | str, *, version_number: int | None = None) -> Path:
    """Write the package as a folder in ``out`` (created if missing; a package of the
    same name is replaced) and return the folder. It is built in a temporary folder
    beside it and moved into place only once it passes sip_check."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".samverkan-sip-", dir=out))  # same disk: a rename
    try:
        work = tmp / "package"
        bundle = bundle_write(agreement_id, work / DATA, version_number=version_number)
        (work / "schemas").mkdir()
        for name in SCHEMAS:
            shutil.copyfile(SCHEMA_DIR / name, work / "schemas" / name)
        # The id follows from the bundle: the same trail gives the same package name.
        objid = f"samverkan-{bundle.agreement_id}-v{bundle.version_number}-{bundle.head[:12]}"
        package = work.rename(tmp / objid)
        manifest_path = package / DATA / bundle_verify.MANIFEST
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        agreement = Agreement.objects.select_related("kommun").get(pk=bundle.agreement_id)
        tree = mets_build(package, objid, agreement, manifest)
        tree.write(package / METS_FILE, encoding="UTF-8", xml_declaration=True)
        problems = sip_check(package)
        if problems:
            raise ExportError("Arkivpaketet klarar inte sin egen kontroll: " + " ".join(problems))
        target = out / objid
        if target.exists():
            shutil.rmtree(target)
        return package.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sip_zip(agreement_id: int, *, version_number: int | None = None) -> tuple[str, bytes]:
    """The package as a zip that unpacks to its one folder (CSIPSTR1): (file name, bytes)."""
    tmp = Path(tempfile.mkdtemp(prefix="samverkan-sip-"))
    try:
        package = sip_write(agreement_id, tmp, version_number=version_number)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in package.rglob("*") if p.is_file()):
                archive.write(path, f"{package.name}/{path.relative_to(package).as_posix()}")
        return f"{package.name}.zip", buffer.getvalue()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
