"""Every kind of trail event reads as words on the auditor's trail page and in the
PDF certificate: no raw keys, no Python reprs, no template names, and no "no
version" line for an event that is not about a version."""

from __future__ import annotations

import io
import re
import zipfile

import time_machine
from django.core.management import call_command
from django.test import Client

from promises.lifecycle import PROMISE_SET
from tests.audit.conftest import html, url
from tests.conftest import login
from workflows.agreement_lifecycle import AGREEMENT
from workflows.models import Agreement, AuditEvent
from workflows.models.trail import Channel
from workflows.services.actors import SYSTEM, Actor, drafter_role
from workflows.services.trail import event_record
from workflows.trail_actions import REGISTRY, action_label

RAW = re.compile(
    r"\b[a-z]+_[a-z_]+\b"  # a key such as due_date or term_start
    r"|[{}\[\]]"  # a dict or list repr
    r"|\b(True|False|None)\b"
    r"|\.html\b|\.txt\b|email/"  # a template name
    r"|ingen version med den här SHA-256"
)

HASH = "a" * 64
# How a signatory was identified, as signature events keep it (issue 14).
IDENTIFIED = {
    "identified_by": "password",
    "identity_provider": "Samverkan",
    "acr": "",
    "amr": ["pwd"],
    "auth_time": "2025-04-11T09:12:30.123456+00:00",
    "identity": "user:7",
}
# Realistic details for each declared action, as the services write them.
DETAILS = {
    "agreement_created": {
        "title": "Samverkan Höör",
        "kind": "operational",
        "deciding_body": "ks",
        "period_start": "2025-01-01",
        "period_end": "2026-12-31",
        "renewed_from": None,
        "overlaps": [7],
        "duplicate_reason": "Den andra gäller bara Tjörnarp.",
    },
    "agreement_registered": {
        "title": "Trygg i Lund 2020–2023",
        "kind": "one_part",
        "deciding_body": "kf",
        "period_start": "2020-01-01",
        "period_end": "2023-12-31",
        "follow_up_cadence": "half_yearly",
        "number": 1,
        "registered_decisions": [
            {
                "track": "municipal",
                "body": "kf",
                "decided_on": "2019-11-25",
                "paragraph": "212",
                "diarienummer": "KS 2019/431",
            },
            {
                "track": "police",
                "body": "lpo",
                "decided_on": "",
                "paragraph": "",
                "diarienummer": "",
            },
        ],
        "registered_signatures": [
            {
                "role": "ks_ordforande",
                "name": "Anna Berg",
                "title": "kommunstyrelsens ordförande",
                "place": "Lund",
                "signed_on": "2019-12-02",
            },
            {"role": "lpo_chef", "name": "", "title": "", "place": "", "signed_on": ""},
        ],
        "document_name": "trygg-i-lund.pdf",
        "document_sha256": "b" * 64,
        "row": "c" * 64,
    },
    "version_submitted": {
        "number": 2,
        "parent": 1,
        "change_note": "Ny text",
        "voided_approvals": ["kommunpolis"],
    },
    "version_approved": {"number": 1, "decide_by": "2025-05-20"},
    "joint_proposal": {"number": 1},
    "decision_recorded": {
        "number": 1,
        "track": "municipal",
        "body": "ks",
        "outcome": "bordlaggning",
        "meeting_date": "2025-03-20",
        "paragraph": "42",
        "diarienummer": "KS 2025/17",
        "note": "",
        "next_meeting_date": "2025-04-10",
    },
    "decision_step_recorded": {
        "number": 1,
        "decision": 1,
        "step": "anslag",
        "on": "2025-03-24",
        "url": "https://hoor.se/anslagstavla/1",
        "last_appeal_day": "2025-04-14",
    },
    "record_corrected": {
        "number": 1,
        "record": "decision",
        "record_id": 1,
        "field": "paragraph",
        "old": "42",
        "new": "47",
        "reason": "Protokollet anger § 47.",
    },
    "decision_quashed": {
        "number": 1,
        "decision": 1,
        "step": "appeal_decided",
        "on": "2025-06-02",
        "court": "Förvaltningsrätten i Malmö",
        "case_number": "1234-25",
        "appeal_outcome": "upphavt",
        "document_sha256": "b" * 64,
    },
    "decision_step_reminder": {"number": 1, "decision": 1, "step": "laga_kraft"},
    "signing_opened": {"number": 1},
    "signature_added": {
        "number": 1,
        "role": "ks_ordforande",
        "place": "Höör",
        "signed_on": "2025-04-11",
        **IDENTIFIED,
    },
    "agreement_signed": {"number": 1, "period_start": "2025-01-01", "replaces": None},
    "agreement_sealed": {
        "number": 1,
        "document_name": "overenskommelse-1-v1-pdfa.pdf",
        "document_sha256": "c" * 64,
        "sealed_by": "Common Name: Samverkan sigill, Organization: Höörs kommun",
    },
    "entered_into_force": {"period_start": "2025-01-01"},
    "task_reminder": {"task": "municipal_decision", "due": "2025-04-21", "waiting_for": []},
    "task_escalated": {"task": "lpo_signature", "due": "2025-04-25", "waiting_for": []},
    "revision_opened": {"reason": "Uppföljningen visade behov."},
    "revision_closed": {},
    "agreement_terminated": {"reason": "Ny organisation.", "ends_on": "2026-06-30"},
    "notice_given": {
        "reason": "Ny organisation.",
        "ends_on": "2026-09-30",
        "body": "ks",
        "meeting_date": "2026-06-15",
        "paragraph": "88",
        "diarienummer": "KS 2026/40",
        "notice_months": 3,
    },
    "agreement_expired": {"period_end": "2026-12-31"},
    "agreement_renewed": {"renewal": 9, "period_start": "2027-01-01", "period_end": "2028-12-31"},
    "expiry_warning": {"days": 90, "period_end": "2026-12-31"},
    "followup_submitted": {
        "due_date": "2025-05-02",
        "term_start": "2025-01-01",
        "term_end": "2025-04-30",
        "content_hash": HASH,
        "number": 1,
        "recommend_revision": False,
    },
    "followup_reminder": {"due_date": "2025-05-02", "stage": "before", "days": 14},
    "followup_escalated": {"due_date": "2025-05-02", "stage": "overdue", "days_late": 14},
    "followup_revision_prompt": {"due_date": "2026-01-02"},
    "promises_created": {"period": "2025–2026", "promises": 2},
    "promises_registered": {
        "period": "2023–2024",
        "promises": 4,
        "registered_signatures": [
            {
                "role": "ks_ordforande",
                "name": "Johan Svahnberg",
                "title": "Kommunstyrelsens ordförande",
                "place": "Höör",
                "signed_on": "2023-04-11",
            },
            {"role": "lpo_chef", "name": "Veronica Ek", "title": "", "place": "", "signed_on": ""},
        ],
        "document_name": "medborgarloften-2023-2024.pdf",
        "document_sha256": "d" * 64,
        "row": "e" * 64,
    },
    "promises_changed": {"period": "2025–2026", "promises": 3, "previous_hash": HASH},
    "promises_approved": {"period": "2025–2026", "round": 1},
    "promises_proposed": {"period": "2025–2026", "round": 1},
    "promises_signed": {
        "period": "2025–2026",
        "round": 1,
        "role": "lpo_chef",
        "answer": "signed",
        "place": "Eslöv",
        "signed_on": "2025-04-11",
        **IDENTIFIED,
    },
    "promises_delegation_step": {
        "period": "2025–2026",
        "round": 1,
        "delegation_step": "anmalan",
        "on": "2025-05-08",
        "paragraph": "112",
        "announced_on": "2025-05-12",
        "announced_separately": True,
        "url": "https://hoor.se/anslagstavla/2",
        "last_appeal_day": "2025-06-02",
    },
    "promises_returned": {
        "period": "2025–2026",
        "round": 1,
        "role": "ks_ordforande",
        "answer": "returned",
        "reason": "Löfte 2 behöver ett mått.",
    },
    "promises_published": {
        "period": "2025–2026",
        "round": 1,
        "signatures": [
            {"role": "ks_ordforande", "place": "Höör", "signed_on": "2025-04-11"},
            {"role": "lpo_chef", "place": "Eslöv", "signed_on": "2025-04-12"},
        ],
    },
    "promises_withdrawn": {"period": "2025–2026", "round": 1},
    "promises_task_escalated": {"task": "promises_lpo", "task_id": 5, "waiting_for": []},
    "promises_task_reminder": {
        "task": "promises_ks",
        "task_id": 4,
        "waiting_for": ["Johan Svahnberg"],
    },
    "promise_followed_up": {
        "period": "2025–2026",
        "follow_up": 1,
        "promise": 2,
        "title": "Grannsamverkan",
        "status": "ongoing",
        "comment": "Två nya områden.",
        "reported_on": "2025-09-01",
    },
    "promises_reported": {
        "period": "2025–2026",
        "report": 1,
        "year": 2025,
        "summary": "Löftena följdes.",
        "statuses": [
            {
                "promise": 1,
                "title": "Grannsamverkan",
                "status": "done",
                "reported_on": "2025-09-01",
            },
            {"promise": 2, "title": "Blåljusdag", "status": "", "reported_on": ""},
        ],
    },
}


def events_text(response) -> str:
    """The words of the trail page's event list, as a reader sees them."""
    page = html(response)
    start = page.index('<ol class="audit-trail">')
    events = page[start : page.index("</ol>", start)]
    events = re.sub(r'<code class="hash">[0-9a-f]{64}</code>', " ", events)
    return " ".join(re.sub(r"<[^>]+>", " ", events).split())


def test_every_edge_of_every_lifecycle_writes_a_declared_action():
    written = {edge.action for edge in (*AGREEMENT.edges, *PROMISE_SET.edges)}
    assert written == set(REGISTRY)
    assert set(DETAILS) == set(REGISTRY)


def test_every_declared_action_reads_as_words_on_the_trail_page(agreement, people):
    drafter = Actor(
        person=people.samordnare,
        channel=Channel.LOGIN,
        assignment=drafter_role(people.samordnare, agreement),
    )
    for action, details in DETAILS.items():
        promise = REGISTRY[action].hash_label is not None
        state = "published" if promise else "in_force"
        event_record(
            agreement=agreement,
            actor=drafter if action.endswith(("submitted", "approved", "opened")) else SYSTEM,
            action=action,
            from_state="proposed" if promise else "signed",
            to_state=state,
            version_hash=HASH if promise else agreement.latest_version().content_hash,
            details=details,
        )
    client = login(Client(), people.auditor)
    response = client.get(url("audit_trail", agreement))
    words = events_text(response)
    assert RAW.findall(words) == []
    for event in AuditEvent.objects.filter(agreement=agreement):
        assert action_label(event) in words
    assert "Medborgarlöftenas innehåll (SHA-256)" in words
    assert "Beslutade och publicerade" in words  # a set's state, in words
    assert "Rekommenderar revidering nej" in words
    assert "Kommunstyrelsens ordförande, Höör den 2025-04-11" in words


@time_machine.travel("2026-11-23T12:00:00+01:00")
def test_the_demo_trails_and_certificates_read_as_words(db):
    from pypdf import PdfReader

    call_command("load_demo", "--force", stdout=io.StringIO())
    client = Client()
    assert client.login(username="gunnar.sandberg@revision.demo.test", password="samverkan-demo")
    demo = Agreement.objects.order_by("pk")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions <= set(REGISTRY)
    assert any(action.startswith("promise") for action in actions)
    for agreement in demo:
        words = events_text(client.get(url("audit_trail", agreement)))
        assert RAW.findall(words) == [], agreement.title
    with_promises = demo.filter(events__action="promises_published").first()
    export = client.get(url("agreement_export", with_promises) + "?version=1")
    assert export.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(export.content))
    pdf = next(name for name in bundle.namelist() if name.endswith(".pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(bundle.open(pdf)).pages)
    events = text[text.index("Händelser") :]
    assert re.findall(r"\b(True|False|None)\b|email/|\{'", events) == []
    assert "Medborgarlöftena" in events
