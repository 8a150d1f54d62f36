"""An exported bundle checks out with its own verify.py and with verify_trail --bundle,
and both catch the same tampering, naming the same event or file."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import SAMPLE_CONTENT, login
from workflows import bundle_verify
from workflows.models import AuditEvent, EventActor, Person
from workflows.models.trail import Channel
from workflows.services.drafting import version_submit


def export(agreement, out: Path, *args: str) -> Path:
    call_command("export_trail", str(agreement.pk), "--out", str(out), *args, stdout=io.StringIO())
    return out


def standalone(folder: Path) -> str:
    """``python verify.py`` in the folder, without site-packages (standard library only)."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "verify.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = done.stdout.strip()
    assert (done.returncode == 0) == line.startswith("OK "), (done.returncode, line, done.stderr)
    return line


def command(folder: Path) -> str:
    out = io.StringIO()
    try:
        call_command("verify_trail", "--bundle", str(folder), stdout=out)
    except CommandError as error:
        return str(error)
    return out.getvalue().strip()


def both(folder: Path) -> str:
    """Both verifiers' verdict, which must be the same line."""
    line = standalone(folder)
    assert command(folder) == line
    return line


def lines(folder: Path) -> list[bytes]:
    return (folder / "events.jsonl").read_bytes().splitlines(keepends=True)


def write_lines(folder: Path, rows: list[bytes]) -> None:
    (folder / "events.jsonl").write_bytes(b"".join(rows))


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def pdf_text(folder: Path) -> str:
    (pdf,) = folder.glob("overenskommelse-*.pdf")
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def bundle(in_force, tmp_path) -> Path:
    return export(in_force, tmp_path / "bundle")


# -- a good bundle ----------------------------------------------------------------------


def test_a_full_lifecycle_exports_a_bundle_both_verifiers_accept(in_force, bundle):
    in_force.refresh_from_db()
    expected = f"OK {in_force.trail_length} events, head {in_force.trail_head}"
    assert both(bundle) == expected
    assert sorted(p.name for p in bundle.iterdir()) == [
        "README.txt",
        "events.jsonl",
        "manifest.json",
        f"overenskommelse-{in_force.pk}-v1.pdf",
        "records.json",
        "verify.py",
        "version-1.json",
    ]
    assert manifest(bundle)["format_version"] == 2
    assert manifest(bundle)["agreement"] == in_force.pk
    assert manifest(bundle)["head"] == in_force.trail_head
    assert set(manifest(bundle)["files"]) == {
        p.name for p in bundle.iterdir() if p.name != "manifest.json"
    }


def test_the_bundled_verifier_is_the_projects_own_code_byte_for_byte(bundle):
    assert (bundle / "verify.py").read_bytes() == Path(bundle_verify.__file__).read_bytes()


def test_events_are_in_chain_order_with_their_hashed_fields_and_names_beside(in_force, bundle):
    rows = [json.loads(line) for line in lines(bundle)]
    events = list(AuditEvent.objects.filter(agreement=in_force).order_by("seq"))
    assert [row["seq"] for row in rows] == [e.seq for e in events]
    for row, event in zip(rows, events, strict=True):
        names = row["actor_names"]
        assert row == {**event.hashed_fields(), "hash": event.hash, "actor_names": names}
        assert names == {
            "name": event.actor_names.name,
            "title": event.actor_names.title,
            "on_behalf_of": event.actor_names.on_behalf_of_name,
        }
    signed = next(row for row in rows if row["action"] == "signature_added")
    assert signed["actor_names"]["name"] in {"Johan Svahnberg", "Veronica Ek"}


def test_the_readme_explains_how_to_verify_in_swedish_and_english(bundle):
    text = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "python3 verify.py" in text
    assert "Så kontrollerar du" in text and "To verify" in text
    assert manifest(bundle)["head"] in text


# -- the PDF ------------------------------------------------------------------------------


def test_the_pdf_has_the_text_the_signatures_and_the_certificate(in_force, bundle, people):
    text = pdf_text(bundle)
    version = in_force.versions.get()
    in_force.refresh_from_db()
    # the agreement's text, in Swedish with å, ä, ö intact
    assert "Operativ samverkansöverenskommelse Höör 2023–2024" in text
    for words in ("Syfte och mål", "Minskad brottslighet och ökad trygghet i Höör.",
                  "Trygghetsvandringar", "Fler upplever utemiljön som trygg.",
                  "Kommunledningskontoret", "Lokala BRÅ följer upp varje år."):  # fmt: skip
        assert words in text
    # the signature page: names, titles, place and date, the bound hash
    assert "Underskrifter" in text
    for words in ("Johan Svahnberg", "Kommunstyrelsens ordförande", "Höör den 2023-04-11",
                  "Veronica Ek", "Lokalpolisområdeschef", "Eslöv den 2023-04-11"):  # fmt: skip
        assert words in text
    assert "samma som versionens" in text
    # the certificate: every version's hash, every decision, the chain head
    assert "Intyg om beslutsspåret" in text
    flat = squeezed(text)
    assert version.content_hash in flat
    assert in_force.trail_head in flat
    for words in ("Kommunstyrelsen", "Lokalpolisområdeschefen", "2023-04-11", "KS2023/17",
                  "Bifall", "NilsNämnd"):  # fmt: skip
        assert words in flat
    signed_event = in_force.events.get(action="agreement_signed")
    assert signed_event.hash in flat  # the head the signatories got by e-mail


def test_another_version_can_be_exported_and_says_it_is_not_signed(agreement, people, tmp_path):
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] = "Ny text för version två."
    version_submit(
        agreement_id=agreement.pk,
        author=people.kommunpolis,
        content=content,
        change_note="",
        seen_latest=1,
        parent_number=1,
        channel=Channel.LOGIN,
    )
    latest = export(agreement, tmp_path / "latest")
    assert "Ny text för version två." in pdf_text(latest)
    first = export(agreement, tmp_path / "first", "--version", "1")
    text = pdf_text(first)
    assert "Minskad brottslighet" in text and "Ny text för version två." not in text
    assert "Version 1 är inte undertecknad." in text
    assert both(first).startswith("OK 3 events")
    with pytest.raises(CommandError, match="ingen version 7"):
        export(agreement, tmp_path / "none", "--version", "7")


# -- tampering: both verifiers catch it and name the event or the file --------------------


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_one_changed_byte_in_an_event_is_caught_by_both_naming_the_event(bundle):
    rows = lines(bundle)
    rows[5] = rows[5].replace(b'"channel":"login"', b'"channel":"logim"', 1)
    write_lines(bundle, rows)
    assert both(bundle).startswith("FAIL event seq 6: innehållet stämmer inte")


def test_every_single_changed_byte_anywhere_in_the_events_is_caught(bundle):
    """Every byte of events.jsonl, flipped in turn: outside the names, the first bad
    event is the one on that line; inside the names (not hashed), the file's SHA-256."""
    original = (bundle / "events.jsonl").read_bytes()
    starts = [0]
    for row in original.splitlines(keepends=True):
        starts.append(starts[-1] + len(row))
    for at in range(len(original)):
        line_no = next(n for n in range(1, len(starts)) if at < starts[n])
        row, offset = original[starts[line_no - 1] : starts[line_no]], at - starts[line_no - 1]
        names_from, names_to = row.index(b'"actor_names":{') + 15, len(row) - 3
        (bundle / "events.jsonl").write_bytes(flip(original, at))
        line = bundle_verify.verify_bundle(bundle)
        if names_from <= offset < names_to and not line.startswith("FAIL event"):
            assert line.startswith("FAIL file events.jsonl:"), (at, line)
        else:
            assert line.startswith("FAIL event seq "), (at, line)
            assert f"seq {line_no}:" in line or f"väntade {line_no} " in line, (at, line)


def test_a_deleted_event_is_caught_by_both(bundle):
    rows = lines(bundle)
    del rows[2]
    write_lines(bundle, rows)
    assert both(bundle).startswith("FAIL event seq 4: nummer 4, väntade 3")


def test_a_deleted_last_event_is_caught_by_both(bundle):
    write_lines(bundle, lines(bundle)[:-1])
    assert both(bundle).startswith("FAIL manifest: kedjan har 11 händelser")


def test_two_swapped_events_are_caught_by_both(bundle):
    rows = lines(bundle)
    rows[1], rows[2] = rows[2], rows[1]
    write_lines(bundle, rows)
    assert both(bundle).startswith("FAIL event seq 3: nummer 3, väntade 2")


def test_two_swapped_and_renumbered_events_are_caught_by_their_broken_link(bundle):
    rows = [json.loads(row) for row in lines(bundle)]
    rows[1], rows[2] = rows[2], rows[1]
    rows[1]["seq"], rows[2]["seq"] = 2, 3
    write_lines(bundle, [json.dumps(row, ensure_ascii=False).encode() + b"\n" for row in rows])
    assert both(bundle).startswith("FAIL event seq 2: länken till föregående händelse")


def test_a_changed_name_outside_the_hash_is_caught_by_the_files_hash(bundle):
    rows = lines(bundle)
    assert b"Johan Svahnberg" in rows[9]
    rows[9] = rows[9].replace(b"Johan Svahnberg", b"Johan Svanberg")
    write_lines(bundle, rows)
    assert both(bundle).startswith("FAIL file events.jsonl: SHA-256 stämmer inte")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda m: m.update(head="f" * 64), "FAIL manifest: kedjan har 12 händelser"),
        (lambda m: m.update(count=13), "FAIL manifest: kedjan har 12 händelser"),
        (lambda m: m.update(agreement=m["agreement"] + 1), "FAIL event seq 1: hör till"),
        (lambda m: m.update(note="granskad"), "FAIL manifest: fälten ska vara"),
        (lambda m: m["files"].update({"README.txt": "0" * 64}), "FAIL file README.txt: SHA-256"),
        (lambda m: m["files"].pop("events.jsonl"), "FAIL manifest: events.jsonl saknas"),
        (lambda m: m["files"].update({"../x": "0" * 64}), "FAIL file ../x: saknas"),
    ],
    ids=["head", "count", "agreement", "extra-field", "file-hash", "events-unlisted", "path"],
)
def test_an_edited_manifest_is_caught_by_both(bundle, edit, expected):
    data = manifest(bundle)
    edit(data)
    (bundle / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    assert both(bundle).startswith(expected)


def test_a_changed_pdf_readme_or_verifier_is_caught_by_both_naming_the_file(in_force, bundle):
    pdf = f"overenskommelse-{in_force.pk}-v1.pdf"
    (bundle / pdf).write_bytes(flip((bundle / pdf).read_bytes(), 2000))
    assert both(bundle).startswith(f"FAIL file {pdf}: SHA-256 stämmer inte")
    export(in_force, bundle)
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    (bundle / "README.txt").write_text(readme.replace("SVENSKA", "SVENSKT"), encoding="utf-8")
    assert both(bundle).startswith("FAIL file README.txt:")
    export(in_force, bundle)
    verifier = (bundle / "verify.py").read_text(encoding="utf-8")
    (bundle / "verify.py").write_text(verifier.replace("Kontrollerar", "Kontrollerad", 1))
    assert both(bundle).startswith("FAIL file verify.py:")
    export(in_force, bundle)
    (bundle / "README.txt").unlink()
    assert both(bundle).startswith("FAIL file README.txt: saknas")


def test_a_folder_without_a_bundle_fails_cleanly(tmp_path):
    (tmp_path / "verify.py").write_bytes(Path(bundle_verify.__file__).read_bytes())
    assert both(tmp_path).startswith("FAIL manifest: kan inte läsas")


# -- the database side ----------------------------------------------------------------------


def tamper(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_a_trail_that_does_not_verify_is_not_exported(in_force, tmp_path):
    event = in_force.events.get(seq=6)
    tamper("UPDATE workflows_auditevent SET to_state = 'x' WHERE id = %s", event.pk)
    with pytest.raises(CommandError, match="event seq 6 .*ändrad"):
        export(in_force, tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists()


def test_erased_names_change_nothing_that_is_verified(in_force, bundle, tmp_path):
    """Personal data: names beside the chain and on Person rows can be erased; the
    chain, its head and a new export still verify."""
    before = manifest(bundle)
    EventActor.objects.filter(event__agreement=in_force).update(
        name="(gallrat)", title="", on_behalf_of_name=""
    )
    Person.objects.filter(pk__in=in_force.signatures.values("person")).update(name="(gallrat)")
    out = io.StringIO()
    call_command("verify_trail", "--agreement", str(in_force.pk), stdout=out)
    assert out.getvalue().strip() == f"OK {before['count']} events, head {before['head']}"
    again = export(in_force, tmp_path / "again")
    assert both(again) == f"OK {before['count']} events, head {before['head']}"
    assert "Johan Svahnberg" not in (again / "events.jsonl").read_text(encoding="utf-8")
    assert "Johan Svahnberg" not in pdf_text(again)
    old, new = lines(bundle), lines(again)
    strip = [{k: v for k, v in json.loads(r).items() if k != "actor_names"} for r in old]
    assert strip == [{k: v for k, v in json.loads(r).items() if k != "actor_names"} for r in new]


# -- the download -----------------------------------------------------------------------------


def test_a_viewer_downloads_the_bundle_as_a_zip_that_verifies(client, in_force, people, tmp_path):
    login(client, people.auditor)
    response = client.get(reverse("workflows:agreement_export", args=[in_force.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    name = f"beslutsspar-{in_force.pk}-v1"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert all(n.startswith(f"{name}/") for n in archive.namelist())
        archive.extractall(tmp_path)
    in_force.refresh_from_db()
    assert both(tmp_path / name) == f"OK {in_force.trail_length} events, head {in_force.trail_head}"


def test_an_outsider_gets_404_and_a_stranger_the_login_page(client, in_force, people):
    url = reverse("workflows:agreement_export", args=[in_force.pk])
    assert client.get(url).status_code == 302
    login(client, people.outsider)
    assert client.get(url).status_code == 404


def test_an_unknown_version_is_404(client, in_force, people):
    login(client, people.samordnare)
    url = reverse("workflows:agreement_export", args=[in_force.pk])
    assert client.get(url, {"version": "9"}).status_code == 404
    assert client.get(url, {"version": "x"}).status_code == 404
    assert client.get(url, {"version": "1"}).status_code == 200


def test_the_trail_page_links_to_the_download(client, in_force, people):
    login(client, people.auditor)
    response = client.get(reverse("workflows:audit_trail", args=[in_force.pk]))
    assert response.status_code == 200
    assert reverse("workflows:agreement_export", args=[in_force.pk]) in response.content.decode()
