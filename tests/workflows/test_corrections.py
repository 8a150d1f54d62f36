"""Rättelse: a decision or signature recorded with a wrong date, §, diarienummer or
place is corrected by a new trail event; nothing recorded is overwritten, the pages,
the PDF and the export show the corrected value and that it was corrected, and both
verifiers accept exactly the newest corrected value."""

from __future__ import annotations

import datetime
import json
from email.utils import parseaddr

import pytest
import time_machine
from django.urls import reverse

from tests.audit.conftest import tamper
from tests.conftest import _person, login
from tests.export.test_export import both, export, pdf_text, squeezed
from tests.export.test_tamper_matrix import db_verdict, forge
from tests.workflows.conftest import correct, decide, sign
from workflows import bundle_verify
from workflows.models import AuditEvent, Correction, Decision, Role, Signature
from workflows.services.errors import DomainError, NotPermitted

START = datetime.date(2023, 4, 11)  # the joint proposal (the story's clock)
MUNICIPAL_ON = START + datetime.timedelta(days=7)
POLICE_ON = START + datetime.timedelta(days=8)
SIGNED_ON = START + datetime.timedelta(days=14)


@pytest.fixture
def decided(proposed, people):
    """Decided a week after the proposal and signed a week later, on the day itself."""
    with time_machine.travel(datetime.datetime(2023, 4, 25, 12, tzinfo=datetime.UTC), tick=True):
        decide(proposed, "municipal_decision", people.sekreterare, meeting_date=MUNICIPAL_ON)
        decide(proposed, "police_decision", people.lpo_chief, meeting_date=POLICE_ON)
        sign(proposed, "ks_signature", people.ks_chair, place="Höör", signed_on=SIGNED_ON)
        sign(proposed, "lpo_signature", people.lpo_chief, place="Eslöv", signed_on=SIGNED_ON)
        proposed.refresh_from_db()
        yield proposed


CORRECTIONS = [
    ("municipal", "sekreterare", "meeting_date", "2023-04-17", "2023-04-18"),
    ("municipal", "sekreterare", "paragraph", "47", "42"),
    ("municipal", "sekreterare", "diarienummer", "KS 2023/99", "KS 2023/17"),
    ("police", "lpo_chief", "meeting_date", "2023-04-20", "2023-04-19"),
    ("police", "lpo_chief", "diarienummer", "A 2023/777", "A 2023/5521"),
    ("police", "lpo_chief", "decided_by", "Veronica Ek, t.f. LPO-chef", "Veronica Ek"),
    ("police", "lpo_chief", "presenter", "Karin Polis", ""),
    ("ks_ordforande", "ks_chair", "place", "Hörby", "Höör"),
    ("ks_ordforande", "ks_chair", "signed_on", "2023-04-24", "2023-04-25"),
    ("lpo_chef", "lpo_chief", "place", "Höör", "Eslöv"),
]


def record_of(agreement, which: str):
    if which in ("municipal", "police"):
        return agreement.decisions.get(track=which)
    return agreement.signatures.get(role=which)


@pytest.mark.parametrize(("which", "who", "field", "new", "old"), CORRECTIONS)
def test_a_correction_of_each_field_shows_everywhere_and_verifies(
    decided, people, client, tmp_path, which, who, field, new, old
):
    record = record_of(decided, which)
    correct(decided, getattr(people, who), record, field, new, reason="Fel i registreringen.")

    # The recorded row is untouched; the trail names the old and the new value.
    assert str(getattr(type(record).objects.get(pk=record.pk), field) or "") in (old, old + "")
    event = decided.events.get(action="record_corrected")
    assert event.details["old"] == old and event.details["new"] == new
    assert event.details["reason"] == "Fel i registreringen."

    page = login(client, people.auditor).get(
        reverse("workflows:agreement_detail", args=[decided.pk])
    )
    text = page.content.decode()
    assert f"→ {new}" in text and "Rättat" in text and "Fel i registreringen." in text
    trail = client.get(reverse("workflows:audit_trail", args=[decided.pk])).content.decode()
    assert "Rättelse av" in trail and new in trail

    assert db_verdict(decided).startswith("OK ")
    bundle = export(decided, tmp_path / "bundle")
    assert both(bundle).startswith("OK ")
    records = json.loads((bundle / bundle_verify.RECORDS).read_text(encoding="utf-8"))
    kind = "decisions" if which in ("municipal", "police") else "signatures"
    (row,) = [r for r in records[kind] if r["id"] == record.pk]
    assert (row.get(field) or "") == new
    assert squeezed(f"→ {new}") in squeezed(pdf_text(bundle))


def test_a_second_correction_replaces_the_first_and_both_stay_in_the_trail(
    decided, people, tmp_path
):
    decision = record_of(decided, "municipal")
    correct(decided, people.sekreterare, decision, "paragraph", "45")
    correct(decided, people.sekreterare, decision, "paragraph", "47")
    events = list(decided.events.filter(action="record_corrected").order_by("seq"))
    assert [(e.details["old"], e.details["new"]) for e in events] == [("42", "45"), ("45", "47")]
    assert both(export(decided, tmp_path / "bundle")).startswith("OK ")
    assert db_verdict(decided).startswith("OK ")


def test_any_other_change_is_still_caught(decided, people, tmp_path):
    decision = record_of(decided, "municipal")
    correct(decided, people.sekreterare, decision, "paragraph", "47")
    bundle = export(decided, tmp_path / "bundle")

    # The export says the paragraph was corrected to 48, not 47.
    def to_48(data: bytes) -> bytes:
        records = json.loads(data)
        for row in records["decisions"]:
            if row["id"] == decision.pk:
                row["paragraph"] = "48"
        return json.dumps(records, ensure_ascii=False).encode("utf-8")

    forge(bundle, bundle_verify.RECORDS, to_48)
    assert "den senaste rättelsen säger '47'" in both(bundle)

    # In the database: a correction's row changed, or the decision itself changed.
    tamper("UPDATE workflows_correction SET new_value = '48'")
    assert "den senaste rättelsen säger '47'" in db_verdict(decided)
    tamper("UPDATE workflows_correction SET new_value = '47'")
    tamper("UPDATE workflows_decision SET diarienummer = 'KS 1999/1' WHERE id = %s", decision.pk)
    assert f"decision {decision.pk}: diarienummer är 'KS 1999/1'" in db_verdict(decided)


def test_a_correction_row_without_its_event_is_caught(decided, people):
    decision = record_of(decided, "municipal")
    correct(decided, people.sekreterare, decision, "paragraph", "47")
    tamper("DELETE FROM workflows_correction")
    assert "den senaste rättelsen säger '47'" in db_verdict(decided)


def test_only_the_role_that_recorded_it_or_an_administrator_may_correct(decided, people, orgs):
    municipal, police = record_of(decided, "municipal"), record_of(decided, "police")
    signature = record_of(decided, "ks_ordforande")
    for person, record in (
        (people.samordnare, municipal),  # a drafter
        (people.kommunpolis, police),
        (people.auditor, municipal),
        (people.lpo_chief, municipal),  # the other party
        (people.sekreterare, police),
        (people.lpo_chief, signature),  # another signatory
        (people.outsider, municipal),
    ):
        with pytest.raises(NotPermitted):
            correct(
                decided, person, record, "diarienummer" if record != signature else "place", "X 1"
            )
    admin = _person("Ada Admin", "ada@hoor.test", Role.ADMINISTRATOR, orgs.hoor)
    correct(decided, admin, municipal, "diarienummer", "KS 2023/18")
    correct(decided, admin, signature, "place", "Hörby")
    with pytest.raises(NotPermitted):
        correct(decided, admin, police, "diarienummer", "A 1/2023")
    assert Correction.objects.count() == 2


@pytest.mark.parametrize(
    ("which", "field", "value", "message"),
    [
        ("municipal", "meeting_date", "2023-04-30", "framtiden"),
        ("municipal", "meeting_date", "2023-04-10", "före det gemensamma förslaget"),
        ("municipal", "meeting_date", "2023-04-19", "efter det som redan registrerats"),
        ("municipal", "meeting_date", "18 april", "ÅÅÅÅ-MM-DD"),
        ("municipal", "paragraph", "§ ", "Ange det rättade värdet"),
        ("municipal", "paragraph", "42", "detsamma"),
        ("municipal", "outcome", "avslag", "kan inte rättas"),
        ("municipal", "decided_by", "Någon", "kan inte rättas"),
        ("police", "meeting_date", "2023-04-26", "framtiden"),
        ("ks_ordforande", "signed_on", "2023-04-18", "före beslutet \\(2023-04-19\\)"),
        ("ks_ordforande", "place", "", "Ange det rättade värdet"),
        ("ks_ordforande", "person", "1", "kan inte rättas"),
    ],
)
def test_a_correction_that_breaks_a_rule_is_refused_and_changes_nothing(
    decided, people, which, field, value, message
):
    record = record_of(decided, which)
    who = {"municipal": people.sekreterare, "police": people.lpo_chief}.get(which, people.ks_chair)
    length = decided.trail_length
    with pytest.raises(DomainError, match=message):
        correct(decided, who, record, field, value)
    decided.refresh_from_db()
    assert decided.trail_length == length and not Correction.objects.exists()


def test_a_correction_needs_a_reason(decided, people):
    with pytest.raises(DomainError, match="varför"):
        correct(decided, people.sekreterare, record_of(decided, "municipal"), "paragraph", "4", " ")


def test_both_parties_are_told_in_their_language(
    decided, people, mailoutbox, django_capture_on_commit_callbacks
):
    people.lpo_chief.language = "en"
    people.lpo_chief.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        correct(decided, people.lpo_chief, record_of(decided, "police"), "diarienummer", "A 7/2023")
    told = {
        parseaddr(m.to[0])[1]: m
        for m in mailoutbox
        if m.subject.startswith(("Rättelse", "Correction"))
    }
    assert people.sekreterare.email in told and people.ks_chair.email in told
    assert people.samordnare.email in told
    swedish = told[people.sekreterare.email].body
    assert "Diarienummer: A 2023/5521 rättas till A 7/2023" in swedish
    english = told[people.lpo_chief.email]
    assert english.subject.startswith("Correction")
    assert "Reference number: A 2023/5521 corrected to A 7/2023" in english.body


def test_the_correction_page_records_it_and_refuses_others(decided, people, client):
    decision = record_of(decided, "municipal")
    url = reverse("workflows:correct_record", args=[decided.pk, "beslut", decision.pk])
    login(client, people.samordnare)
    assert client.get(url).status_code == 403
    page = client.get(reverse("workflows:agreement_detail", args=[decided.pk])).content.decode()
    assert url not in page

    login(client, people.sekreterare)
    page = client.get(reverse("workflows:agreement_detail", args=[decided.pk])).content.decode()
    assert url in page
    form = client.get(url)
    assert form.status_code == 200 and "§ 42" not in form.content.decode()
    assert 'value="paragraph"' in form.content.decode()
    refused = client.post(url, {"field": "meeting_date", "value": "2023-05-30", "reason": "Fel."})
    assert refused.status_code == 400 and "framtiden" in refused.content.decode()
    done = client.post(url, {"field": "paragraph", "value": "§ 47", "reason": "Protokollet."})
    assert done.status_code == 302
    assert Correction.objects.get().new_value == "47"
    shown = client.get(done.url).content.decode()
    assert "Rättat: paragraf (§) är nu 47" in shown
    detail = client.get(reverse("workflows:decision_detail", args=[decided.pk, decision.pk]))
    assert "§ 47" in detail.content.decode() and "→ 47" in detail.content.decode()


def test_a_signature_is_corrected_from_the_agreement_page(decided, people, client):
    signature = record_of(decided, "lpo_chef")
    url = reverse("workflows:correct_record", args=[decided.pk, "underskrift", signature.pk])
    login(client, people.lpo_chief)
    assert (
        url in client.get(reverse("workflows:agreement_detail", args=[decided.pk])).content.decode()
    )
    done = client.post(url, {"field": "place", "value": "Höör", "reason": "Skrev under i Höör."})
    assert done.status_code == 302
    assert Signature.objects.get(pk=signature.pk).place == "Eslöv"  # never overwritten
    page = client.get(done.url).content.decode()
    assert "Höör den 2023-04-25" in page and "Eslöv → Höör" in page
    assert client.get(url.replace(str(signature.pk), "999999")).status_code == 404


def test_the_correction_is_one_event_in_the_chain(decided, people):
    before = decided.trail_length
    correct(decided, people.sekreterare, record_of(decided, "municipal"), "paragraph", "47")
    decided.refresh_from_db()
    assert decided.trail_length == before + 1
    event = AuditEvent.objects.get(agreement=decided, seq=before + 1)
    assert event.action == "record_corrected" and event.from_state == event.to_state
    assert Decision.objects.get(track="municipal").paragraph == "42"
