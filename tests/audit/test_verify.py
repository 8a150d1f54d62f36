"""Verifiera: the trail page runs the same check as ``manage.py verify_trail`` and says
what it found. Tampering is raw SQL past the append-only trigger (see conftest.tamper)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import SAMPLE_CONTENT
from workflows.models import AuditEvent
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create

from .conftest import tamper, text, url


def seq_id(agreement, seq: int) -> int:
    return AuditEvent.objects.get(agreement=agreement, seq=seq).pk


def test_verify_says_the_trail_is_unchanged_with_its_count_and_head(in_force, auditor):
    before = in_force.trail_head
    response = auditor.get(url("audit_verify", in_force))
    assert response.status_code == 200
    page = text(response)
    assert "Beslutsspåret är oförändrat: 12 händelser" in page
    assert f"Kedjans huvud {in_force.trail_head}" in page
    out = io.StringIO()
    call_command("verify_trail", "--agreement", str(in_force.pk), stdout=out)
    assert out.getvalue().strip() == f"OK 12 events, head {in_force.trail_head}"
    in_force.refresh_from_db()
    assert in_force.trail_head == before


def test_the_trail_page_offers_verification_as_a_get(in_force, auditor):
    page = auditor.get(url("audit_trail", in_force)).content.decode()
    assert f'<form method="get" action="{url("audit_verify", in_force)}"' in page
    assert auditor.post(url("audit_verify", in_force)).status_code == 405


def test_verify_names_the_first_changed_event_and_the_problem(in_force, auditor):
    tamper(
        "UPDATE workflows_auditevent SET to_state = 'rejected' WHERE id = %s",
        seq_id(in_force, 6),
    )
    response = auditor.get(url("audit_verify", in_force))
    page = text(response)
    assert "Beslutsspåret stämmer inte" in page
    assert "oförändrat" not in page
    assert "Första felaktiga händelse: nummer 6 – Beslut om version 1" in page
    assert "innehållet stämmer inte med händelsens hash (ändrad)" in page
    fifth = AuditEvent.objects.get(agreement=in_force, seq=5)
    assert f"Sista hash som stämde {fifth.hash}" in page
    assert f"{url('audit_trail', in_force)}#h6" in response.content.decode()


def test_verify_notices_events_cut_off_the_end(in_force, auditor):
    last = seq_id(in_force, 12)
    tamper("DELETE FROM workflows_eventactor WHERE event_id = %s", last)
    tamper("DELETE FROM workflows_auditevent WHERE id = %s", last)
    page = text(auditor.get(url("audit_verify", in_force)))
    assert "Beslutsspåret stämmer inte" in page
    assert "händelser saknas i slutet" in page
    assert f"Huvud enligt överenskommelsen {in_force.trail_head} (12 händelser)" in page


def test_verify_notices_a_removed_event_in_the_middle(in_force, auditor):
    third = seq_id(in_force, 3)
    tamper("DELETE FROM workflows_eventactor WHERE event_id = %s", third)
    tamper("DELETE FROM workflows_auditevent WHERE id = %s", third)
    page = text(auditor.get(url("audit_verify", in_force)))
    assert "Första felaktiga händelse: nummer 4" in page
    assert "väntade 3" in page


def test_the_whole_database_is_verified_in_batches_and_a_change_anywhere_is_named(
    in_force, orgs, people, monkeypatch
):
    """One ordered pass over every event, the records read a batch at a time: the
    agreement and the record that changed are named whatever batch they fall in."""
    from workflows.services import trail

    others = [
        agreement_create(
            kommun=orgs.eslov,
            lokalpolisomrade=orgs.lpo,
            kind="one_part",
            title=f"Eslöv {n}",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.kommunpolis,
            channel=Channel.LOGIN,
            duplicate_reason="Testdata.",
        )
        for n in range(3)
    ]
    monkeypatch.setattr(trail, "BATCH", 2)
    out = io.StringIO()
    call_command("verify_trail", "-v", "2", stdout=out)
    lines = out.getvalue().splitlines()
    events = AuditEvent.objects.count()
    assert lines[0].startswith(f"OK {events} events, head ") and lines[1].endswith(" s)")
    assert "events/s" in lines[1]

    decision = in_force.decisions.get(track="municipal")
    tamper("UPDATE workflows_decision SET paragraph = '99' WHERE id = %s", decision.pk)
    with pytest.raises(CommandError, match=f"agreement {in_force.pk}: decision {decision.pk}"):
        call_command("verify_trail", stdout=io.StringIO())
    tamper("UPDATE workflows_decision SET paragraph = '42' WHERE id = %s", decision.pk)
    last = others[-1].events.get(seq=2)
    tamper("UPDATE workflows_auditevent SET to_state = 'x' WHERE id = %s", last.pk)
    with pytest.raises(CommandError, match=f"agreement {others[-1].pk} event seq 2"):
        call_command("verify_trail", stdout=io.StringIO())
