"""An agreement decided (and perhaps signed) before it came into the product is
registered afterwards from the browser: it enters the lifecycle in the state its
facts give, and is marked "registrerad i efterhand" on its page, in the trail, the
exported PDF and the bundle; a missing fact reads "uppgift saknas i underlaget".

The story's clock is 2023-04-11."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.export.test_export import both, export, pdf_text
from tests.export.test_tamper_matrix import db_verdict, forge, forge_record
from tests.workflows.conftest import sign
from tests.workflows.test_pages import html
from workflows.models import Agreement, AgreementState, AuditEvent, Registration, SourceDocument
from workflows.services import rounds

REGISTER = reverse("workflows:agreement_register")
TEXT = "# Trygg i Höör\n\n## Syfte\n\nAtt minska brottsligheten i centrum.\n"


def fields(orgs, **more) -> dict[str, str]:
    """Registered from the text: in force 2022–2024, the Police's decision date and
    the signatories' titles not given."""
    return {
        "parties": f"{orgs.hoor.pk}-{orgs.lpo.pk}",
        "kind": "one_part",
        "deciding_body": "kf",
        "title": "Trygg i Höör 2022–2024",
        "period_start": "2022-01-01",
        "period_end": "2024-12-31",
        "follow_up_cadence": "half_yearly",
        "text": TEXT,
        "municipal_decided_on": "2021-12-13",
        "municipal_paragraph": "§ 212",
        "municipal_diarienummer": "KS 2021/431",
        "police_decided_on": "",
        "police_diarienummer": "",
        "signed": "on",
        "ks_name": "Stefan Lundgren",
        "ks_title": "",
        "ks_place": "Höör",
        "ks_signed_on": "2021-12-20",
        "lpo_name": "Veronica Ek",
        "lpo_title": "",
        "lpo_place": "Höör",
        "lpo_signed_on": "2021-12-20",
        "duplicate_reason": "",
        **more,
    }


def address(mail) -> str:
    return mail.to[0].split("<")[-1].rstrip(">")


def register(client, orgs, **more):
    return client.post(REGISTER, fields(orgs, **more))


def test_an_agreement_in_force_registered_from_the_browser_is_marked_everywhere(
    orgs, people, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(Client(), people.samordnare)
    assert f'href="{REGISTER}"' in html(client.get(reverse("workflows:agreement_list")))
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, orgs)
    assert response.status_code == 302, html(response)
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.IN_FORCE
    assert agreement.version_in_force.number == 1
    assert (agreement.deciding_body, agreement.follow_up_cadence) == ("kf", "half_yearly")

    page = html(client.get(response["Location"]))
    assert "Registrerad i efterhand" in page
    assert "Kommunfullmäktige, 2021-12-13, § 212, dnr KS 2021/431" in page
    assert "Lokalpolisområdeschefen, uppgift saknas i underlaget" in page
    assert "Stefan Lundgren, kommunstyrelsens ordförande: Höör den 2021-12-20" in page

    (event,) = AuditEvent.objects.filter(agreement=agreement)
    assert (event.action, event.from_state, event.to_state) == (
        "agreement_registered",
        "",
        "in_force",
    )
    assert event.actor == people.samordnare
    assert event.version_hash == agreement.version_in_force.content_hash
    trail = html(client.get(reverse("workflows:audit_trail", args=[agreement.pk])))
    assert "Överenskommelsen registrerades i efterhand, beslutad utanför Samverkan" in trail
    assert "uppgift saknas i underlaget" in trail

    told = {address(m) for m in mailoutbox if "Registrerad i efterhand" in m.subject}
    assert {"sam@hoor.test", "karin@polisen.test", "johan@hoor.test"} <= told

    assert db_verdict(agreement).startswith("OK")
    folder = export(agreement, tmp_path / "bundle")
    assert both(folder).startswith("OK ")
    text = pdf_text(folder)
    assert "Registrerad i efterhand" in text
    assert "uppgift saknas i underlaget" in text


def test_a_registered_agreement_is_followed_up_like_any_other(orgs, people):
    client = login(Client(), people.samordnare)
    register(client, orgs)
    agreement = Agreement.objects.get()
    page = html(client.get(reverse("workflows:agreement_detail", args=[agreement.pk])))
    # Half-yearly reports from the registration on: those due before it were made
    # outside the product, and nobody is reminded of them.
    assert "2023-01-02" not in page
    assert reverse("workflows:followup_report", args=[agreement.pk, "2023-06-30"]) in page
    assert "Försenad" not in page
    assert reverse("workflows:agreement_revision_open", args=[agreement.pk]) in page
    assert reverse("workflows:agreement_renew", args=[agreement.pk]) in page


def test_decided_but_not_signed_opens_signing_and_the_signatories_get_links(
    orgs, people, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(Client(), people.samordnare)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(
            client, orgs, signed="", period_start="2023-01-01", period_end="2024-12-31"
        )
    assert response.status_code == 302, html(response)
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.SIGNING
    assert agreement.version_in_force is None
    links = {address(m) for m in mailoutbox if "/l/" in m.body}
    assert links == {"johan@hoor.test", "veronica@polisen.test"}

    with pytest.raises(Exception, match="före beslutet"):
        sign(agreement, "ks_signature", people.ks_chair, signed_on=datetime.date(2021, 12, 1))
    sign(agreement, "ks_signature", people.ks_chair)
    sign(agreement, "lpo_signature", people.lpo_chief)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE
    assert not rounds.open_tasks(agreement).exists()
    assert db_verdict(agreement).startswith("OK")


@pytest.mark.parametrize(
    ("period", "state"),
    [
        (("2023-06-01", "2025-12-31"), AgreementState.SIGNED),
        (("2019-01-01", "2021-12-31"), AgreementState.EXPIRED),
    ],
)
def test_a_signed_agreement_enters_signed_or_expired_by_its_period(orgs, people, period, state):
    client = login(Client(), people.samordnare)
    start, end = period
    signed_on = "2019-01-10" if state == AgreementState.EXPIRED else "2023-03-01"
    response = register(
        client,
        orgs,
        period_start=start,
        period_end=end,
        municipal_decided_on="2018-12-10",
        ks_signed_on=signed_on,
        lpo_signed_on=signed_on,
    )
    assert response.status_code == 302, html(response)
    assert Agreement.objects.get().state == state


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"ks_signed_on": "2021-12-01"}, "Underskriften (2021-12-01) är daterad före beslutet"),
        ({"period_end": "2021-12-31"}, "Periodens sista dag kan inte ligga före dess första dag"),
        ({"municipal_decided_on": "2023-05-01"}, "kan inte vara daterad i framtiden"),
        ({"ks_signed_on": "2025-02-01", "lpo_signed_on": "2025-02-01"}, "i framtiden"),
        (
            {"signed": "", "period_end": "2022-12-31"},
            "Perioden slutade 2022-12-31. En överenskommelse som aldrig undertecknades",
        ),
    ],
)
def test_facts_that_contradict_each_other_are_refused_and_nothing_is_saved(
    orgs, people, more, message
):
    client = login(Client(), people.samordnare)
    response = register(client, orgs, **more)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert "Trygg i Höör 2022–2024" in page  # what was typed stays
    assert not Agreement.objects.exists()
    assert not Registration.objects.exists()


def test_registering_an_overlapping_agreement_asks_why_first(orgs, people):
    client = login(Client(), people.samordnare)
    register(client, orgs)
    again = register(client, orgs, title="Trygg i Höör, igen")
    assert again.status_code == 409
    assert "Det finns redan en överenskommelse för perioden" in html(again)
    assert Agreement.objects.count() == 1
    reason = "Den första registrerades med fel text."
    again = register(client, orgs, title="Trygg i Höör, igen", duplicate_reason=reason)
    assert again.status_code == 302
    assert Agreement.objects.count() == 2


def test_only_the_parties_drafters_register_and_see_the_source_document(orgs, people):
    outsider = login(Client(), people.outsider)
    assert register(outsider, orgs).status_code == 400  # not their parties: no such choice
    assert login(Client(), people.ks_chair).get(REGISTER).status_code == 403
    assert not Agreement.objects.exists()


def test_a_changed_registration_is_caught_in_the_database_and_in_the_bundle(orgs, people, tmp_path):
    from tests.audit.conftest import tamper

    client = login(Client(), people.samordnare)
    register(client, orgs)
    agreement = Agreement.objects.get()
    folder = export(agreement, tmp_path / "bundle")
    forge_record(folder, "registrations", "signatures", [])
    assert "FAIL registration" in both(folder)

    tamper(
        "UPDATE workflows_registration SET facts = %s",
        '{"decisions": [], "signatures": []}',
    )
    assert "registration" in db_verdict(agreement)


def test_the_source_document_is_kept_as_uploaded_and_travels_in_the_bundle(orgs, people, tmp_path):
    from workflows.services.registration import Upload, document_keep

    data = TEXT.encode()
    document = document_keep(Upload("trygg-i-hoor.md", "text/markdown", data))
    assert document_keep(Upload("kopia.md", "text/markdown", data)) == document  # by content
    client = login(Client(), people.samordnare)
    assert register(client, orgs, document_sha256=document.sha256).status_code == 302
    agreement = Agreement.objects.get()
    download = client.get(reverse("workflows:source_document", args=[agreement.pk]))
    assert download.status_code == 200
    assert download.content == data
    assert 'filename="trygg-i-hoor.md"' in download["Content-Disposition"]
    other = login(Client(), people.eslov_samordnare)
    assert other.get(reverse("workflows:source_document", args=[agreement.pk])).status_code == 404

    folder = export(agreement, tmp_path / "bundle")
    name = f"kalldokument-{document.sha256[:16]}.md"
    assert (folder / name).read_bytes() == data
    assert both(folder).startswith("OK ")
    forge(folder, name, lambda old: old.replace(b"minska", b"halvera"))
    assert both(folder).startswith("FAIL registration")
    assert SourceDocument.objects.count() == 1
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert "OK" in out.getvalue()


SIGNED_PDF = """<html><body>
<h1>Samverkansöverenskommelse mellan Höörs kommun och Lokalpolisområde Eslöv 2022–2024</h1>
<p>Godkänd av kommunstyrelsen 2021-12-13, § 212.</p>
<h2>Syfte</h2>
<p>Kommunen och polisen arbetar tillsammans mot brott och för trygghet i Höör.</p>
<p>Höör den 20 december 2021</p>
<p>Stefan Lundgren<br>Kommunstyrelsens ordförande</p>
<p>Veronica Ek<br>Lokalpolisområdeschef</p>
</body></html>"""


def test_an_agreement_in_force_is_registered_from_its_pdf_after_a_review(orgs, people, tmp_path):
    from weasyprint import HTML

    from tests.workflows.test_links import form_fields

    pdf = HTML(string=SIGNED_PDF).write_pdf()
    client = login(Client(), people.samordnare)
    upload = SimpleUploadedFile("trygg-i-hoor.pdf", pdf, content_type="application/pdf")
    read = client.post(REGISTER, {"read": "1", "document": upload})
    assert read.status_code == 200
    page = html(read)
    assert "Granska det som lästes ut" in page
    assert "Kommunen och polisen arbetar tillsammans mot brott" in page  # the source text
    assert not Agreement.objects.exists()  # nothing registered before the review
    fields = form_fields(read)
    assert fields["municipal_decided_on"] == datetime.date(2021, 12, 13)
    assert fields["parties"] == f"{orgs.hoor.pk}-{orgs.lpo.pk}"
    assert fields["signed"] is True

    fields = {k: v for k, v in fields.items() if k != "document"}
    fields.update(signed="on", kind="one_part", deciding_body="ks", follow_up_cadence="yearly")
    done = client.post(REGISTER, fields)
    assert done.status_code == 302, html(done)
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.IN_FORCE
    document = agreement.registration.document
    assert bytes(document.data) == pdf and document.name == "trygg-i-hoor.pdf"
    assert "Registrerad i efterhand" in html(client.get(done["Location"]))

    folder = export(agreement, tmp_path / "bundle")
    assert (folder / f"kalldokument-{document.sha256[:16]}.pdf").read_bytes() == pdf
    assert both(folder).startswith("OK ")
    assert "Registrerad i efterhand" in pdf_text(folder)
    assert db_verdict(agreement).startswith("OK")


def test_a_document_that_cannot_be_read_says_so_and_keeps_what_was_typed(orgs, people):
    client = login(Client(), people.samordnare)
    fake = SimpleUploadedFile("avtal.pdf", b"inte en pdf", content_type="application/pdf")
    response = client.post(REGISTER, {**fields(orgs), "read": "1", "document": fake})
    assert response.status_code == 400
    page = html(response)
    assert "Trygg i Höör 2022–2024" in page  # the typed title stays
    assert "skriv" in page.lower()  # falls back to typed entry
    assert not SourceDocument.objects.exists()


# -- import_agreement --register ----------------------------------------------------------

LUND = """Samverkansöverenskommelse mellan Lunds kommun och Lokalpolisområde Lund 2021–2022

Godkänd av kommunstyrelsen 2020-12-09, § 312, dnr KS 2020/0815.

Syfte

Kommunen och polisen arbetar tillsammans mot brott i Lunds centrum.

Lund den 15 december 2020

Anna Berg                         Per Ek
Kommunstyrelsens ordförande        Lokalpolisområdeschef
"""


def run_register(path, *args) -> str:
    out = io.StringIO()
    call_command("import_agreement", str(path), "--register", *args, stdout=out)
    return out.getvalue()


def test_the_command_registers_a_signed_text_afterwards_with_its_document(orgs, people, tmp_path):
    author = people.outsider  # Lund's trygghetssamordnare
    path = tmp_path / "lund.txt"
    path.write_text(LUND, encoding="utf-8")

    run_register(path)
    agreement = Agreement.objects.get(kommun=orgs.lund)
    assert agreement.state == AgreementState.EXPIRED  # 2021–2022, the story is in 2023
    registration = agreement.registration
    assert registration.registered_by == author
    assert bytes(registration.document.data) == path.read_bytes()
    decisions = registration.facts["decisions"]
    assert (decisions[0]["body"], decisions[0]["decided_on"], decisions[0]["paragraph"]) == (
        "ks",
        "2020-12-09",
        "312",
    )
    assert decisions[1]["decided_on"] == ""  # the text does not give the Police's decision
    signatures = registration.facts["signatures"]
    assert {s["place"] for s in signatures} == {"Lund"}
    assert db_verdict(agreement).startswith("OK")


def test_the_command_refuses_a_text_whose_facts_contradict_each_other(orgs, people, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "hoor.txt"
    path.write_text(
        LUND.replace("Lunds kommun", "Höörs kommun")
        .replace("Lokalpolisområde Lund", "Lokalpolisområde Eslöv")
        .replace("15 december 2020", "1 december 2020"),
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match="Underskriften \\(2020-12-01\\) är daterad före beslutet"
    ):
        run_register(path)
    assert not Agreement.objects.exists()


def test_the_command_reads_a_pdf_as_the_upload_page_does(orgs, people, tmp_path):
    from weasyprint import HTML

    path = tmp_path / "trygg-i-hoor.pdf"
    path.write_bytes(HTML(string=SIGNED_PDF).write_pdf())
    run_register(path, "--kind", "one_part")
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.IN_FORCE
    assert agreement.registration.document.content_type == "application/pdf"
    assert agreement.registration.facts["decisions"][0]["decided_on"] == "2021-12-13"
