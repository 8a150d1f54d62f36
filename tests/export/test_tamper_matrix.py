"""The tamper matrix: every kind of record the trail vouches for, changed after the
fact, is caught by ``verify_trail`` in the database and by the bundle's own
``verify.py`` (and ``verify_trail --bundle``) in an exported copy.

In the database the change is raw SQL past the append-only trigger (as the table's
owner or a superuser could, ``tests/audit/conftest.tamper``); in a bundle it is an
edited file whose SHA-256 is put right in the manifest too, as a forger would.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from unicodedata import normalize

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from promises.models import PromiseAnswer
from tests.audit.conftest import tamper
from tests.export.test_export import both, export
from tests.promises.conftest import approve, create_set, sign
from tests.workflows.test_followups import TERTIAL_DUE, at, bring_into_force, submit
from workflows import bundle_verify
from workflows.models import Decision, FollowUpReport, Signature, Version


def db_verdict(agreement) -> str:
    out = io.StringIO()
    try:
        call_command("verify_trail", "--agreement", str(agreement.pk), stdout=out)
    except CommandError as error:
        return str(error)
    return out.getvalue().strip()


def jsonb(sql: str) -> str:
    """``content = %s`` as a JSON value on PostgreSQL (jsonb), as text on SQLite."""
    cast = "content = %s::jsonb" if connection.vendor == "postgresql" else "content = %s"
    return sql.replace("content = %s", cast)


def forge(folder: Path, name: str, change) -> None:
    """Edit one file of a bundle and put its new SHA-256 in the manifest."""
    path = folder / name
    path.write_bytes(change(path.read_bytes()))
    manifest = json.loads((folder / bundle_verify.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name] = bundle_verify.file_sha256(path)
    (folder / bundle_verify.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def forge_record(folder: Path, kind: str, field: str, value) -> None:
    def change(data: bytes) -> bytes:
        records = json.loads(data)
        records[kind][0][field] = value
        return json.dumps(records, ensure_ascii=False).encode("utf-8")

    forge(folder, bundle_verify.RECORDS, change)


# -- the database ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("workflows_decision", "paragraph", "99", "decision {id}: paragraph"),
        ("workflows_decision", "diarienummer", "KS 1999/1", "decision {id}: diarienummer"),
        ("workflows_decision", "meeting_date", "2001-01-01", "decision {id}: meeting_date"),
        ("workflows_decision", "outcome", "avslag", "decision {id}: outcome"),
        ("workflows_signature", "place", "Malmö", "signature {id}: place"),
        ("workflows_signature", "signed_on", "2001-01-01", "signature {id}: signed_on"),
        # how the signatory was identified (issue 14)
        ("workflows_signature", "identity_subject", "user:999", "signature {id}: identity"),
        ("workflows_signature", "identified_by", "e_id", "signature {id}: identified_by"),
        ("workflows_signature", "identity_amr", "bankid", "signature {id}: amr"),
    ],
)
def test_a_changed_decision_or_signature_row_is_caught_by_verify_trail(
    in_force, table, column, value, expected
):
    model = Decision if table == "workflows_decision" else Signature
    row = model.objects.filter(agreement=in_force).order_by("pk").first()
    assert db_verdict(in_force).startswith("OK ")
    tamper(f"UPDATE {table} SET {column} = %s WHERE id = %s", value, row.pk)
    assert expected.format(id=row.pk) in db_verdict(in_force)


def test_a_changed_beslutsfattare_of_the_police_decision_is_caught_by_verify_trail(in_force):
    police = Decision.objects.get(agreement=in_force, track="police")
    assert police.decided_by
    tamper("UPDATE workflows_decision SET decided_by = %s WHERE id = %s", "Någon annan", police.pk)
    assert f"decision {police.pk}: decided_by" in db_verdict(in_force)


def test_a_changed_version_text_is_caught_by_verify_trail_and_refused_by_the_export(
    in_force, tmp_path
):
    version = Version.objects.get(agreement=in_force, number=1)
    content = json.loads(json.dumps(version.content))
    content["sections"][0]["text"] = "Något helt annat."
    tamper(
        jsonb("UPDATE workflows_version SET content = %s WHERE id = %s"),
        json.dumps(content),
        version.pk,
    )
    assert "version 1: texten stämmer inte" in db_verdict(in_force)
    with pytest.raises(CommandError, match="går inte att verifiera"):
        export(in_force, tmp_path / "bundle")


@pytest.mark.parametrize("change", [lambda t: t + "  ", lambda t: normalize("NFD", t)])
def test_even_a_change_the_text_rules_would_tidy_away_is_caught(in_force, change):
    """Trailing spaces, or "ö" stored as "o" and a combining diaeresis: normalising the
    text again would turn it back into what was signed; the verifier reads it as
    stored, so it is caught."""
    version = Version.objects.get(agreement=in_force, number=1)
    content = json.loads(json.dumps(version.content))
    text = content["sections"][0]["text"]
    assert "ö" in text and change(text) != text
    content["sections"][0]["text"] = change(text)
    tamper(
        jsonb("UPDATE workflows_version SET content = %s WHERE id = %s"),
        json.dumps(content, ensure_ascii=False),
        version.pk,
    )
    assert "version 1: texten stämmer inte" in db_verdict(in_force)


def test_a_version_replaced_with_its_hash_is_caught_by_the_submitting_event(in_force):
    from workflows.content import content_hash

    version = Version.objects.get(agreement=in_force, number=1)
    content = json.loads(json.dumps(version.content))
    content["sections"][0]["text"] = "Något helt annat."
    tamper(
        jsonb("UPDATE workflows_version SET content = %s, content_hash = %s WHERE id = %s"),
        json.dumps(content),
        content_hash(content),
        version.pk,
    )
    assert "version 1: händelse" in db_verdict(in_force)


@pytest.fixture
def reported(signing, people):
    agreement = bring_into_force(signing, people, "2023-04-11")
    with at("2023-04-25"):
        submit(agreement, people.samordnare, TERTIAL_DUE[0])
    return agreement


def test_a_changed_follow_up_report_is_caught_by_verify_trail(reported):
    report = FollowUpReport.objects.get(agreement=reported)
    with at("2023-04-26"):
        assert db_verdict(reported).startswith("OK ")
        tamper(
            "UPDATE workflows_followupreport SET analysis = %s WHERE id = %s",
            "Allt bra.",
            report.pk,
        )
        assert f"report {report.pk}: rapporten är ändrad" in db_verdict(reported)


@pytest.fixture
def answered(in_force, people):
    year = in_force.period_start.year
    promise_set = create_set(in_force, people.samordnare, first_year=year, last_year=year)
    approve(promise_set, people.samordnare)
    approve(promise_set, people.kommunpolis)
    sign(promise_set, "promises_ks", people.ks_chair)
    return in_force


def test_a_changed_medborgarlofte_answer_is_caught_by_verify_trail(answered):
    answer = PromiseAnswer.objects.get(promise_set__agreement=answered)
    assert db_verdict(answered).startswith("OK ")
    tamper("UPDATE promises_promiseanswer SET place = %s WHERE id = %s", "Malmö", answer.pk)
    assert f"answer {answer.pk}: place" in db_verdict(answered)


def test_a_changed_event_and_a_moved_head_are_caught_by_verify_trail(in_force):
    tamper("UPDATE workflows_agreement SET trail_head = %s WHERE id = %s", "f" * 64, in_force.pk)
    assert "händelser saknas i slutet" in db_verdict(in_force)


# -- an exported bundle ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value", "expected"),
    [
        ("decisions", "paragraph", "99", "FAIL decision {id}: paragraph"),
        ("decisions", "diarienummer", "KS 1999/1", "FAIL decision {id}: diarienummer"),
        ("decisions", "outcome", "avslag", "FAIL decision {id}: outcome"),
        ("signatures", "place", "Malmö", "FAIL signature {id}: place"),
        ("signatures", "signed_on", "2001-01-01", "FAIL signature {id}: signed_on"),
        ("signatures", "person", 999, "FAIL signature {id}: en annan person"),
        ("signatures", "identity", "user:999", "FAIL signature {id}: identity"),
        ("versions", "content_hash", "0" * 64, "FAIL version 1:"),
    ],
)
def test_a_forged_record_in_a_bundle_is_caught_by_both_verifiers(
    in_force, tmp_path, kind, field, value, expected
):
    folder = export(in_force, tmp_path / "bundle")
    records = json.loads((folder / bundle_verify.RECORDS).read_text(encoding="utf-8"))
    forge_record(folder, kind, field, value)
    assert both(folder).startswith(expected.format(id=records[kind][0].get("id")))


def test_a_forged_version_text_in_a_bundle_is_caught_by_both_verifiers(in_force, tmp_path):
    folder = export(in_force, tmp_path / "bundle")
    forge(folder, "version-1.json", lambda data: data.replace("Höör".encode(), b"Lund"))
    assert both(folder).startswith("FAIL version 1: texten stämmer inte")


def test_a_forged_report_and_answer_in_a_bundle_are_caught_by_both_verifiers(reported, tmp_path):
    with at("2023-04-26"):
        folder = export(reported, tmp_path / "bundle")

    def change(data: bytes) -> bytes:
        records = json.loads(data)
        records["reports"][0]["content"]["analysis"] = "Allt bra."
        return json.dumps(records, ensure_ascii=False).encode("utf-8")

    forge(folder, bundle_verify.RECORDS, change)
    assert both(folder).startswith("FAIL report")


def test_a_forged_answer_in_a_bundle_is_caught_by_both_verifiers(answered, tmp_path):
    folder = export(answered, tmp_path / "bundle")
    forge_record(folder, "answers", "place", "Malmö")
    assert "FAIL answer" in both(folder) and ": place" in both(folder)


def test_a_bundle_of_a_newer_format_is_refused_with_a_clear_message(in_force, tmp_path):
    folder = export(in_force, tmp_path / "bundle")
    manifest = json.loads((folder / bundle_verify.MANIFEST).read_text(encoding="utf-8"))
    manifest["format_version"] = 3
    (folder / bundle_verify.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert both(folder).startswith("FAIL manifest: formatversion 3 är nyare")


# -- a head kept outside the database -----------------------------------------------------


def against(agreement, value) -> str:
    out = io.StringIO()
    call_command(
        "verify_trail", "--agreement", str(agreement.pk), "--against", str(value), stdout=out
    )
    return out.getvalue()


def test_the_same_head_kept_outside_matches(in_force):
    assert "samma huvud" in against(in_force, in_force.trail_head)


def test_an_earlier_head_is_found_in_a_chain_that_has_grown(in_force, people):
    from workflows.services import lifecycle

    kept, seq = in_force.trail_head, in_force.trail_length
    lifecycle.revision_open(agreement_id=in_force.pk, person=people.samordnare, channel="login")
    assert f"händelse {seq}; kedjan har vuxit sedan" in against(in_force, kept)


def test_a_head_that_is_nowhere_in_the_chain_fails(in_force):
    with pytest.raises(CommandError, match="finns inte i kedjan"):
        against(in_force, "f" * 64)


def test_an_earlier_exports_manifest_and_a_published_heads_file_are_heads_kept_outside(
    in_force, tmp_path
):
    folder = export(in_force, tmp_path / "bundle")
    assert "samma huvud" in against(in_force, folder / bundle_verify.MANIFEST)
    published = tmp_path / "heads.json"
    call_command("publish_trail_head", "--out", str(published), stdout=io.StringIO())
    assert "samma huvud" in against(in_force, published)
    forged = json.loads(published.read_text())
    forged["heads"][str(in_force.pk)] = "e" * 64
    published.write_text(json.dumps(forged))
    with pytest.raises(CommandError, match="spåret har skrivits om"):
        against(in_force, published)


# -- what befell the kommun's decision: justering, anslag, the protokollsutdrag ---------

PDF = b"%PDF-1.4\n% protokollsutdrag \xc2\xa7 42\n%%EOF\n"


@pytest.fixture
def documented(in_force, people):
    """The fixture agreement's justering, its anslag and an uploaded protokollsutdrag."""
    from tests.workflows.conftest import record_step

    record_step(in_force, people.sekreterare, "anslag", url="https://hoor.se/anslag/1")
    record_step(in_force, people.sekreterare, "extract", document=PDF, document_name="u.pdf")
    return in_force


@pytest.mark.parametrize(
    ("kind", "column", "value"),
    [
        ("justering", "on", "2001-01-01"),
        ("justering", "names", "Någon annan"),
        ("anslag", "url", "https://x.test/"),
    ],
)
def test_a_changed_step_after_the_decision_is_caught_by_verify_trail(
    documented, kind, column, value
):
    from workflows.models import DecisionStep

    step = DecisionStep.objects.get(agreement=documented, kind=kind)
    assert db_verdict(documented).startswith("OK ")
    tamper(f'UPDATE workflows_decisionstep SET "{column}" = %s WHERE id = %s', value, step.pk)
    assert f"decision_step {step.pk}: {column}" in db_verdict(documented)


def test_a_changed_protokollsutdrag_is_caught_in_the_database_and_in_the_bundle(
    documented, tmp_path
):
    from workflows.models import DecisionStep

    step = DecisionStep.objects.get(agreement=documented, kind="extract")
    folder = export(documented, tmp_path / "bundle")
    name = f"beslutsdokument-{step.pk}.pdf"
    assert (folder / name).read_bytes() == PDF
    assert both(folder).startswith("OK ")
    forge(folder, name, lambda data: data.replace(b"42", b"43"))
    assert both(folder).startswith(f"FAIL decision_step {step.pk}: dokumentet är ändrat")

    tamper(
        "UPDATE workflows_decisionstep SET document = %s WHERE id = %s",
        PDF.replace(b"42", b"43"),
        step.pk,
    )
    assert f"decision_step {step.pk}: document_sha256" in db_verdict(documented)


def test_a_version_stored_in_another_json_layout_still_verifies(in_force):
    """The verifier hashes the text's canonical form, not the column's layout: the same
    text written with spaces and \\u escapes (as another client could) is the same text."""
    version = Version.objects.get(agreement=in_force, number=1)
    tamper(
        jsonb("UPDATE workflows_version SET content = %s WHERE id = %s"),
        json.dumps(version.content, ensure_ascii=True, indent=1),
        version.pk,
    )
    assert db_verdict(in_force).startswith("OK ")


def test_a_version_the_fast_reader_cannot_read_is_judged_by_the_standard_library(in_force):
    """orjson refuses integers beyond 64 bits; the standard library reads them, so the
    changed text is still reported as changed, not as an error."""
    version = Version.objects.get(agreement=in_force, number=1)
    stored = json.dumps(version.content, ensure_ascii=False)
    tamper(
        jsonb("UPDATE workflows_version SET content = %s WHERE id = %s"),
        stored[:-1] + ', "n": ' + str(2**70) + "}",
        version.pk,
    )
    assert "version 1: texten stämmer inte" in db_verdict(in_force)
