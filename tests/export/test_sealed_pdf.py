"""After the second signature a worker keeps the agreement as a sealed PDF/A, records
its SHA-256 in the trail and mails it to both parties; the bundle carries it and
both verifiers check it."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from tests.export.test_export import both, export, manifest
from tests.workflows.conftest import sign
from workflows import bundle_verify
from workflows.models import Agreement, AgreementState, AuditEvent, SealedRecord
from workflows.services import sealing


def _sign_both(agreement, people, capture=None):
    Agreement.objects.filter(pk=agreement.pk).update(
        period_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    agreement.refresh_from_db()
    sign(agreement, "ks_signature", people.ks_chair)
    if capture is None:
        sign(agreement, "lpo_signature", people.lpo_chief, place="Eslöv")
    else:
        with capture(execute=True):
            sign(agreement, "lpo_signature", people.lpo_chief, place="Eslöv")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE


@pytest.fixture
def sealed(seal_ca, signing, people, mailoutbox, django_capture_on_commit_callbacks):
    _sign_both(signing, people, django_capture_on_commit_callbacks)
    return signing


def signed_mails(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Undertecknad och gällande")]


def test_the_second_signature_leads_to_a_sealed_pdfa_in_the_trail_and_in_everyones_mail(
    sealed, people, mailoutbox
):
    record = SealedRecord.objects.get(version__agreement=sealed)
    pdf = bytes(record.pdf)
    event = AuditEvent.objects.get(agreement=sealed, action="agreement_sealed")
    assert event.details["document_sha256"] == hashlib.sha256(pdf).hexdigest() == record.sha256
    assert event.details["document_name"] == record.file_name
    assert "Samverkan sigill" in event.details["sealed_by"]
    assert event.version_hash == sealed.latest_version().content_hash
    mails = signed_mails(mailoutbox)
    recipients = {m.to[0].split("<")[-1].rstrip(">") for m in mails}
    assert {people.ks_chair.email, people.lpo_chief.email, people.kommunpolis.email} <= recipients
    for mail in mails:
        ((name, data, mimetype),) = mail.attachments
        assert (name, data, mimetype) == (record.file_name, pdf, "application/pdf")
        assert record.sha256 in mail.body and "förseglad av" in mail.body
        assert f"händelse {event.seq}" in mail.body and event.hash in mail.body
    # the signature itself sent no "signed" e-mail: only the sealing did, once each
    assert len(mails) == len(recipients)


def test_the_seal_validates_against_the_test_ca_and_covers_the_whole_file(sealed, seal_ca):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    pdf = bytes(SealedRecord.objects.get(version__agreement=sealed).pdf)
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(seal_ca.root_der)], allow_fetching=False
    )
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.field_name == "Sigill"
    assert "Samverkan sigill" in status.signing_cert.subject.human_friendly
    # PAdES, not the older adbe.pkcs7.detached
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # invisible: the seal's widget has no area on the page
    widget = signature.sig_field.get("/Kids", [signature.sig_field])[0]
    widget = widget.get_object() if isinstance(widget, IndirectObject) else widget
    assert [float(x) for x in widget.get("/Rect", [0, 0, 0, 0])] == [0, 0, 0, 0]


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def test_the_pdf_is_pdfa_2a_beyond_its_claim(sealed):
    """What can be checked without a full validator (none runs here)."""
    pdf = bytes(SealedRecord.objects.get(version__agreement=sealed).pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.is_encrypted
    root = reader.trailer["/Root"]
    xmp = _resolve(root["/Metadata"]).get_data().decode()
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    assert (part.group(1), conformance.group(1)) == ("2", "A")
    (intent,) = root["/OutputIntents"]
    intent = _resolve(intent)
    assert intent["/S"] == "/GTS_PDFA1"
    profile = _resolve(intent["/DestOutputProfile"]).get_data()
    assert profile[36:40] == b"acsp"  # an ICC profile's signature
    assert bool(_resolve(root["/MarkInfo"])["/Marked"])
    assert "/StructTreeRoot" in root
    fonts = 0
    for page in reader.pages:
        resources = _resolve(page.get("/Resources", {}))
        for font in _resolve(resources.get("/Font", {})).values():
            font = _resolve(font)
            descendants = font.get("/DescendantFonts")
            for described in [_resolve(d) for d in descendants] if descendants else [font]:
                descriptor = _resolve(described["/FontDescriptor"])
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
                fonts += 1
    assert fonts > 0


def test_the_pdf_holds_the_text_the_decisions_the_identified_signatures_and_the_head(sealed):
    record = SealedRecord.objects.get(version__agreement=sealed)
    reader = PdfReader(io.BytesIO(bytes(record.pdf)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    signed = AuditEvent.objects.get(agreement=sealed, action="agreement_signed")
    assert signed.hash in flat  # the chain head when the second signature committed
    assert record.version.content_hash in flat
    assert "Minskad brottslighet" in text
    assert "Identifierad med" in text and "Höör" in text and "Eslöv" in text
    assert "KS2023/17" in flat


def test_the_bundle_carries_the_sealed_pdf_and_both_verifiers_check_it(sealed, tmp_path):
    record = SealedRecord.objects.get(version__agreement=sealed)
    folder = export(sealed, tmp_path / "bundle")
    assert (folder / record.file_name).read_bytes() == bytes(record.pdf)
    assert manifest(folder)["files"][record.file_name] == record.sha256
    assert both(folder).startswith("OK ")  # verify.py without pyHanko, verify_trail with it
    bundle_verify.check_seal(folder / record.file_name)  # intact, the whole file

    # one byte changed, the manifest made to agree: the trail event still disagrees
    changed = tmp_path / "changed"
    export(sealed, changed)
    data = bytearray((changed / record.file_name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (changed / record.file_name).write_bytes(bytes(data))
    files = manifest(changed)["files"]
    files[record.file_name] = hashlib.sha256(bytes(data)).hexdigest()
    rewritten = {**manifest(changed), "files": files}
    import json

    (changed / "manifest.json").write_text(json.dumps(rewritten), encoding="utf-8")
    assert "dokumentet är ändrat" in both(changed)


def test_an_update_appended_after_the_seal_is_caught_where_pyhanko_is_installed(sealed, tmp_path):
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    record = SealedRecord.objects.get(version__agreement=sealed)
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(record.pdf)))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / record.file_name
    path.write_bytes(out.getvalue())
    with pytest.raises(bundle_verify.Failure, match="changed after sealing"):
        bundle_verify.check_seal(path)


def test_a_changed_sealed_pdf_is_refused_on_postgresql_and_caught_by_verify_trail(sealed):
    record = SealedRecord.objects.get(version__agreement=sealed)
    change = SealedRecord.objects.filter(pk=record.pk)
    if connection.vendor == "postgresql":  # the append-only trigger
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change.update(pdf=bytes(record.pdf) + b"%")
        call_command("verify_trail", stdout=io.StringIO())
        return
    change.update(pdf=bytes(record.pdf) + b"%")
    with pytest.raises(Exception, match="sealed .* stämmer inte med händelse .*ändrad"):
        call_command("verify_trail", stdout=io.StringIO())


def test_without_a_certificate_the_pdfa_is_kept_and_sent_unsealed_and_the_trail_says_so(
    signing, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SEAL_PKCS12_FILE = ""
    _sign_both(signing, people, django_capture_on_commit_callbacks)
    record = SealedRecord.objects.get(version__agreement=signing)
    assert record.sealed_by == "" and bytes(record.pdf).startswith(b"%PDF-1.7")
    assert b"/ByteRange" not in bytes(record.pdf)
    event = AuditEvent.objects.get(agreement=signing, action="agreement_sealed")
    assert event.details["sealed_by"] == ""
    (mail, *_) = signed_mails(mailoutbox)
    assert "inte förseglad" in mail.body and mail.attachments[0][1] == bytes(record.pdf)


def test_a_worker_that_never_ran_leaves_it_to_the_periodic_job_which_seals_it_once(
    seal_ca, signing, people, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_both(signing, people)  # the after-commit work never runs, as if the worker died
    assert not SealedRecord.objects.exists() and not signed_mails(mailoutbox)
    version_id = signing.latest_version().pk
    assert sealing.unsealed_versions() == [version_id]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=io.StringIO())
        call_command("run_periodic", stdout=io.StringIO())
        assert sealing.version_seal(version_id) is None  # a second worker: nothing more
    assert SealedRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="agreement_sealed").count() == 1
    mails = signed_mails(mailoutbox)
    assert mails and len(mails) == len({m.to[0] for m in mails})


def test_a_seal_that_fails_loses_nothing_and_the_next_run_seals_it(
    seal_ca, signing, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SEAL_PKCS12_PASSWORD = "fel lösenord"
    _sign_both(signing, people, django_capture_on_commit_callbacks)  # robust: logged only
    assert signing.state == AgreementState.IN_FORCE and signing.signatures.count() == 2
    assert not SealedRecord.objects.exists()
    settings.SEAL_PKCS12_PASSWORD = seal_ca_password()
    with django_capture_on_commit_callbacks(execute=True):
        assert sealing.versions_seal() == 1
    assert signed_mails(mailoutbox)


def seal_ca_password() -> str:
    from tests.seal_ca import PASSWORD

    return PASSWORD


def test_sealing_adds_no_statement_to_the_signature(
    seal_ca, signing, people, django_capture_on_commit_callbacks
):
    Agreement.objects.filter(pk=signing.pk).update(
        period_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    signing.refresh_from_db()
    sign(signing, "ks_signature", people.ks_chair)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with CaptureQueriesContext(connection) as queries:
            sign(signing, "lpo_signature", people.lpo_chief, place="Eslöv")
    assert not any("sealedrecord" in q["sql"].lower() for q in queries.captured_queries)
    assert not SealedRecord.objects.exists()  # the PDF waits for the commit
    waiting = [c.__qualname__ for c in callbacks]
    assert "after_commit:workflows.services.sealing._seal_or_publish" in waiting


def test_the_agreement_page_offers_the_pdfa_to_viewers_and_404_to_outsiders(client, sealed, people):
    from django.urls import reverse

    from tests.conftest import login

    record = SealedRecord.objects.get(version__agreement=sealed)
    url = reverse("workflows:sealed_pdf", args=[sealed.pk, record.version.number])
    login(client, people.samordnare)
    page = client.get(reverse("workflows:agreement_detail", args=[sealed.pk]))
    assert url in page.content.decode() and "förseglad av" in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content == bytes(record.pdf)
    assert response["Content-Type"] == "application/pdf"
    assert record.file_name in response["Content-Disposition"]
    assert client.get(reverse("workflows:sealed_pdf", args=[sealed.pk, 9])).status_code == 404
    client.logout()
    login(client, people.outsider)
    assert client.get(url).status_code == 404


def test_the_archive_package_carries_the_sealed_pdfa_with_its_sha256(sealed, tmp_path):
    from tests.export.test_sip import assert_valid, mets_of, sip
    from workflows.export.sip import DATA

    record = SealedRecord.objects.get(version__agreement=sealed)
    package, _lines = sip(sealed, tmp_path / "arkiv")
    assert (package / DATA / record.file_name).read_bytes() == bytes(record.pdf)
    assert_valid(package / "METS.xml")
    listed = {
        entry.find("{http://www.loc.gov/METS/}FLocat").get("{http://www.w3.org/1999/xlink}href"): (
            entry.get("CHECKSUM"),
            entry.get("MIMETYPE"),
        )
        for entry in mets_of(package).iter("{http://www.loc.gov/METS/}file")
    }
    assert listed[f"{DATA}/{record.file_name}"] == (record.sha256, "application/pdf")


def test_with_the_broker_down_the_signature_stands_and_run_periodic_seals_it(
    seal_ca, signing, people, mailoutbox, django_capture_on_commit_callbacks, settings, caplog
):
    from tests.notifications.test_broker import broker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        _sign_both(signing, people, django_capture_on_commit_callbacks)
    assert signing.signatures.count() == 2 and not SealedRecord.objects.exists()
    assert "run_periodic will seal it" in caplog.text
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=io.StringIO())
    assert SealedRecord.objects.filter(version__agreement=signing).count() == 1
    assert signed_mails(mailoutbox)
