"""The archive package (SIP): its METS.xml is valid METS 1.12.1, checked offline
against the vendored schema, and meets the E-ARK CSIP/SIP points the schema cannot
check. Every file is listed once with its real SHA-256 and size, the bundle inside
still verifies, and a changed byte is caught."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from tests.conftest import login
from tests.export.test_export import both, export
from workflows.export import ExportError, sip_check, sip_write
from workflows.export import sip as sip_module
from workflows.export.sip import DATA, PROFILE, SCHEMA_DIR

NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
}
XLINK_URL = "http://www.loc.gov/standards/xlink/xlink.xsd"
HREF = "{http://www.w3.org/1999/xlink}href"


class LocalSchemas(etree.Resolver):
    """Answers mets.xsd's import of LoC's xlink.xsd with the vendored file, and
    records every URL the parser asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def resolve(self, url, pubid, context):
        self.asked.append(url)
        if url == XLINK_URL:
            return self.resolve_filename(str(SCHEMA_DIR / "xlink.xsd"), context)
        return None


def mets_schema(resolver: etree.Resolver | None = None) -> etree.XMLSchema:
    # no_network: a schema the resolver does not answer cannot be fetched either.
    parser = etree.XMLParser(no_network=True)
    if resolver is not None:
        parser.resolvers.add(resolver)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "mets.xsd"), parser))


def assert_valid(mets: Path) -> None:
    schema = mets_schema(LocalSchemas())
    document = etree.parse(str(mets), etree.XMLParser(no_network=True))
    assert schema.validate(document), schema.error_log


def sip(agreement, out: Path, *args: str) -> tuple[Path, list[str]]:
    """``export_trail --format sip``: the package folder and the lines printed."""
    stdout = io.StringIO()
    arguments = [str(agreement.pk), "--format", "sip", "--out", str(out), *args]
    call_command("export_trail", *arguments, stdout=stdout)
    lines = stdout.getvalue().splitlines()
    return Path(lines[0]), lines


def mets_of(package: Path) -> etree._Element:
    return etree.parse(str(package / "METS.xml"), etree.XMLParser(no_network=True)).getroot()


def files_in(package: Path) -> set[str]:
    return {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}


@pytest.fixture
def package(in_force, tmp_path) -> Path:
    return sip(in_force, tmp_path / "arkiv")[0]


# -- the schema ---------------------------------------------------------------------------


def test_the_package_mets_validates_against_mets_1_12_1_offline(package):
    assert_valid(package / "METS.xml")


def test_the_schema_is_built_from_local_files_only():
    """Without the resolver the xlink import cannot be fetched (no network), so the
    schema cannot be built; with it, the only URL asked for is answered locally."""
    with pytest.raises(etree.XMLSchemaParseError, match="simpleLink"):
        mets_schema()
    resolver = LocalSchemas()
    mets_schema(resolver)
    assert [url for url in resolver.asked if "://" in url] == [XLINK_URL]


def test_the_vendored_schemas_are_the_recorded_files_and_the_package_carries_them(package):
    sources = (SCHEMA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("mets.xsd", "xlink.xsd"):
        data = (SCHEMA_DIR / name).read_bytes()
        row = next(line for line in sources.splitlines() if line.startswith(f"| `{name}`"))
        assert f"`{hashlib.sha256(data).hexdigest()}`" in row
        assert (package / "schemas" / name).read_bytes() == data
    assert b"Version 1.12.1" in (SCHEMA_DIR / "mets.xsd").read_bytes()
    assert f'schemaLocation="{XLINK_URL}"'.encode() in (SCHEMA_DIR / "mets.xsd").read_bytes()


# -- what the schema cannot check -----------------------------------------------------------


def test_the_package_is_named_by_its_objid_and_says_it_is_an_e_ark_sip(in_force, package):
    in_force.refresh_from_db()
    root = mets_of(package)
    assert package.name == f"samverkan-{in_force.pk}-v1-{in_force.trail_head[:12]}"
    assert root.get("OBJID") == package.name
    assert root.get("PROFILE") == PROFILE == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert root.get("LABEL") == in_force.title
    assert root.get("TYPE") == "Other"
    assert root.get(f"{{{NS['csip']}}}OTHERTYPE") == "Samverkansöverenskommelse"
    assert root.get(f"{{{NS['csip']}}}CONTENTINFORMATIONTYPE") == "OTHER"
    (header,) = root.findall("mets:metsHdr", NS)
    assert header.get(f"{{{NS['csip']}}}OAISPACKAGETYPE") == "SIP"
    assert header.get("RECORDSTATUS") == "NEW"
    assert header.get("CREATEDATE")
    (kommun,) = header.findall("mets:agent[@ROLE='CREATOR'][@TYPE='ORGANIZATION']", NS)
    assert kommun.findtext("mets:name", namespaces=NS) == "Höörs kommun"
    (software,) = header.findall("mets:agent[@OTHERTYPE='SOFTWARE']", NS)
    assert (software.get("ROLE"), software.get("TYPE")) == ("CREATOR", "OTHER")
    assert software.findtext("mets:name", namespaces=NS) == "Samverkan"
    note = software.find("mets:note", NS)
    assert note.get(f"{{{NS['csip']}}}NOTETYPE") == "SOFTWARE VERSION" and note.text


def test_every_file_is_listed_once_with_its_real_sha256_and_size(package):
    root = mets_of(package)
    listed = []
    for entry in root.iterfind("mets:fileSec/mets:fileGrp/mets:file", NS):
        (location,) = entry.findall("mets:FLocat", NS)
        assert location.get("LOCTYPE") == "URL"
        assert location.get("{http://www.w3.org/1999/xlink}type") == "simple"
        name = unquote(location.get(HREF))
        path = package / name
        assert path.is_file(), name
        assert entry.get("CHECKSUMTYPE") == "SHA-256"
        assert entry.get("CHECKSUM") == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry.get("SIZE") == str(path.stat().st_size)
        assert entry.get("MIMETYPE") and entry.get("CREATED")
        listed.append(name)
    assert sorted(listed) == sorted(files_in(package) - {"METS.xml"})
    assert len(listed) == len(set(listed))
    assert "schemas/mets.xsd" in listed and "schemas/xlink.xsd" in listed
    assert f"{DATA}/manifest.json" in listed


def test_the_structmap_is_csip_and_reaches_every_file_group(package):
    root = mets_of(package)
    groups = {g.get("USE"): g for g in root.iterfind("mets:fileSec/mets:fileGrp", NS)}
    assert set(groups) == {"Schemas", "Representations/rep1/data"}
    for use, group in groups.items():
        folder = "schemas" if use == "Schemas" else DATA
        hrefs = [unquote(f.get(HREF)) for f in group.iterfind("mets:file/mets:FLocat", NS)]
        assert hrefs and all(h.startswith(f"{folder}/") for h in hrefs)
    (structure,) = root.findall("mets:structMap", NS)
    assert (structure.get("TYPE"), structure.get("LABEL")) == ("PHYSICAL", "CSIP")
    (top,) = structure.findall("mets:div", NS)
    assert top.get("LABEL") == package.name
    labels = [div.get("LABEL") for div in top.findall("mets:div", NS)]
    assert labels == ["Metadata", "Schemas", "Representations"]
    # CSIP: each division points at its file group (one fptr per group), so every file
    # is reached through the group it is in.
    pointers = [f.get("FILEID") for f in top.iterfind("mets:div/mets:fptr", NS)]
    assert sorted(pointers) == sorted(g.get("ID") for g in groups.values())
    assert top.find("mets:div[@LABEL='Schemas']/mets:fptr", NS).get("FILEID") == (
        groups["Schemas"].get("ID")
    )


def test_the_data_folder_is_the_bundle_and_its_verify_py_accepts_it(in_force, package, tmp_path):
    in_force.refresh_from_db()
    data = package / DATA
    assert both(data) == f"OK {in_force.trail_length} events, head {in_force.trail_head}"
    bundle = export(in_force, tmp_path / "bundle")
    assert {p.name for p in data.iterdir()} == {p.name for p in bundle.iterdir()}
    assert sip_check(package) == []


# -- the command ----------------------------------------------------------------------------


def test_the_command_prints_the_package_and_an_ok_line(in_force, tmp_path):
    package, lines = sip(in_force, tmp_path / "arkiv")
    in_force.refresh_from_db()
    assert package.parent == tmp_path / "arkiv"
    assert lines == [
        str(package),
        f"OK {in_force.trail_length} events, head {in_force.trail_head} "
        f"(agreement {in_force.pk}, package {package.name})",
    ]
    assert sorted(p.name for p in (tmp_path / "arkiv").iterdir()) == [package.name]


def test_the_default_format_is_still_the_bundle(in_force, tmp_path):
    default = export(in_force, tmp_path / "default")
    explicit = export(in_force, tmp_path / "explicit", "--format", "bundle")
    assert {p.name for p in default.iterdir()} == {p.name for p in explicit.iterdir()}
    assert (default / "manifest.json").is_file() and not (default / "METS.xml").exists()


def test_the_package_name_follows_from_the_trail_and_a_new_export_replaces_it(in_force, package):
    again, _lines = sip(in_force, package.parent)
    assert again == package
    assert sorted(p.name for p in package.parent.iterdir()) == [package.name]
    assert sip_check(package) == []


def test_a_package_that_fails_its_own_check_is_not_handed_out(in_force, tmp_path, monkeypatch):
    monkeypatch.setattr(sip_module, "sip_check", lambda folder: ["något är fel"])
    with pytest.raises(ExportError, match="något är fel"):
        sip_write(in_force.pk, tmp_path / "arkiv")
    assert list((tmp_path / "arkiv").iterdir()) == []


# -- tampering ------------------------------------------------------------------------------


def flip(path: Path, at: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "name", ["events.jsonl", "manifest.json", "verify.py", "README.txt", "version-1.json"]
)
def test_one_changed_byte_in_a_data_file_is_caught(package, name):
    flip(package / DATA / name, at=len((package / DATA / name).read_bytes()) // 2)
    assert sip_check(package) == [f"{DATA}/{name}: SHA-256 stämmer inte, filen är ändrad."]


def test_a_changed_pdf_or_schema_is_caught(in_force, package):
    pdf = package / DATA / f"overenskommelse-{in_force.pk}-v1.pdf"
    flip(pdf, at=100)
    flip(package / "schemas" / "xlink.xsd", at=50)
    assert sip_check(package) == [
        "schemas/xlink.xsd: SHA-256 stämmer inte, filen är ändrad.",
        f"{DATA}/{pdf.name}: SHA-256 stämmer inte, filen är ändrad.",
    ]


def test_a_missing_an_extra_or_a_renamed_file_is_caught(package):
    (package / DATA / "README.txt").rename(package / DATA / "LASMIG.txt")
    assert sip_check(package) == [
        f"{DATA}/README.txt: filen finns inte i paketet.",
        f"{DATA}/LASMIG.txt: finns i paketet men inte i METS.xml.",
    ]


def test_a_renamed_package_folder_or_a_broken_mets_is_caught(package):
    moved = package.rename(package.with_name("annat-namn"))
    assert sip_check(moved) == [f"OBJID {package.name!r} är inte mappens namn 'annat-namn'."]
    (moved / "METS.xml").write_text("<mets", encoding="utf-8")
    assert sip_check(moved)[0].startswith("METS.xml kan inte läsas")


# -- the download ---------------------------------------------------------------------------


def test_a_viewer_downloads_the_package_as_a_zip_of_one_folder(client, in_force, people, tmp_path):
    login(client, people.auditor)
    url = reverse("workflows:agreement_export", args=[in_force.pk])
    response = client.get(url, {"format": "sip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    match = re.fullmatch(r'attachment; filename="(.+)\.zip"', response["Content-Disposition"])
    name = match.group(1)
    in_force.refresh_from_db()
    assert name == f"samverkan-{in_force.pk}-v1-{in_force.trail_head[:12]}"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert all(n.startswith(f"{name}/") for n in archive.namelist())
        archive.extractall(tmp_path)
    assert_valid(tmp_path / name / "METS.xml")
    assert sip_check(tmp_path / name) == []


def test_an_outsider_gets_404_for_the_package_and_a_stranger_the_login_page(
    client, in_force, people
):
    url = reverse("workflows:agreement_export", args=[in_force.pk]) + "?format=sip"
    assert client.get(url).status_code == 302
    login(client, people.outsider)
    assert client.get(url).status_code == 404


def test_an_unknown_format_is_404_and_no_format_is_the_bundle(client, in_force, people):
    login(client, people.samordnare)
    url = reverse("workflows:agreement_export", args=[in_force.pk])
    assert client.get(url, {"format": "tar"}).status_code == 404
    assert client.get(url, {"format": "sip", "version": "9"}).status_code == 404
    response = client.get(url, {"format": ""})
    assert response["Content-Disposition"] == (
        f'attachment; filename="beslutsspar-{in_force.pk}-v1.zip"'
    )


def test_the_trail_page_links_to_both_downloads(client, in_force, people):
    login(client, people.auditor)
    page = client.get(reverse("workflows:audit_trail", args=[in_force.pk])).content.decode()
    url = reverse("workflows:agreement_export", args=[in_force.pk])
    assert f'href="{url}"' in page
    assert f'href="{url}?format=sip"' in page
    assert "Exportera arkivpaket (SIP, zip)" in page
