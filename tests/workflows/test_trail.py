"""The decision trail is a hash chain that `verify_trail` recomputes.

Tampering is simulated with raw SQL; on PostgreSQL the append-only trigger is
switched off for the test's transaction (session_replication_role), as an
attacker with the table owner's rights could do.
"""

import copy
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.conftest import SAMPLE_CONTENT, postgres_only
from workflows.models import AuditEvent
from workflows.models.trail import Channel
from workflows.services.drafting import version_approve, version_submit


@pytest.fixture
def history(agreement, people):
    """A real drafting history: two versions, two approvals, a joint proposal."""
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] += " Särskilt i centrum."
    v2 = version_submit(
        agreement_id=agreement.pk,
        author=people.kommunpolis,
        content=content,
        change_note="Centrum tillagt",
        seen_latest=1,
        parent_number=1,
        channel=Channel.LOGIN,
    )
    version_approve(version_id=v2.pk, person=people.kommunpolis, channel=Channel.LOGIN)
    version_approve(version_id=v2.pk, person=people.samordnare, channel=Channel.LOGIN)
    return agreement


def verify() -> str:
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    return out.getvalue().strip()


def tamper(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def seq_id(agreement, seq: int) -> int:
    return AuditEvent.objects.get(agreement=agreement, seq=seq).pk


def test_verify_trail_passes_on_a_real_history_and_prints_the_head(history):
    assert history.events.count() == 6
    first, *rest = verify().splitlines()
    assert first.startswith("OK 6 events, head ")
    assert len(first.split("head ")[1]) == 64
    assert rest == ["OK 0 e-ID bindings"]  # the identity trail, checked with it


def test_each_event_links_to_the_previous_one(history):
    events = list(history.events.order_by("seq"))
    assert events[0].prev_hash == "0" * 64
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    history.refresh_from_db()
    assert history.trail_head == events[-1].hash


def test_a_changed_event_is_detected(history):
    tamper(
        "UPDATE workflows_auditevent SET to_state = 'in_force' WHERE id = %s",
        seq_id(history, 6),
    )
    with pytest.raises(CommandError, match="event seq 6 .*ändrad"):
        verify()


def test_changed_details_are_detected(history):
    tamper(
        "UPDATE workflows_auditevent SET version_hash = %s WHERE id = %s",
        "f" * 64,
        seq_id(history, 4),
    )
    with pytest.raises(CommandError, match="event seq 4"):
        verify()


def test_a_deleted_event_is_detected(history):
    tamper("DELETE FROM workflows_eventactor WHERE event_id = %s", seq_id(history, 3))
    tamper("DELETE FROM workflows_auditevent WHERE id = %s", seq_id(history, 3))
    with pytest.raises(CommandError, match="event seq 4 .*väntade 3"):
        verify()


def test_a_deleted_last_event_is_detected(history):
    tamper("DELETE FROM workflows_eventactor WHERE event_id = %s", seq_id(history, 6))
    tamper("DELETE FROM workflows_auditevent WHERE id = %s", seq_id(history, 6))
    with pytest.raises(CommandError, match="saknas i slutet"):
        verify()


def test_two_swapped_events_are_detected(history):
    a, b = seq_id(history, 2), seq_id(history, 3)
    tamper("UPDATE workflows_auditevent SET seq = 999 WHERE id = %s", a)
    tamper("UPDATE workflows_auditevent SET seq = 2 WHERE id = %s", b)
    tamper("UPDATE workflows_auditevent SET seq = 3 WHERE id = %s", a)
    with pytest.raises(CommandError, match="event seq 2 .*länken"):
        verify()


def test_an_inserted_event_is_detected_even_with_a_valid_own_hash(history):
    # Shift events 4..6 up by one and forge a well-formed event 4 linked to event 3.
    for seq in (6, 5, 4):
        tamper(
            "UPDATE workflows_auditevent SET seq = %s WHERE id = %s", seq + 1, seq_id(history, seq)
        )
    third = AuditEvent.objects.get(agreement=history, seq=3)
    forged = copy.copy(third)
    forged.pk, forged.seq, forged.prev_hash, forged.action = None, 4, third.hash, "forged"
    forged.hash = forged.compute_hash()
    tamper(
        "INSERT INTO workflows_auditevent (agreement_id, seq, at, actor_id, actor_role, "
        "actor_organisation_id, on_behalf_of_id, channel, action, object_type, object_id, "
        "from_state, to_state, version_hash, details, prev_hash, hash) "
        "SELECT agreement_id, 4, at, actor_id, actor_role, actor_organisation_id, "
        "on_behalf_of_id, channel, 'forged', object_type, object_id, from_state, to_state, "
        "version_hash, details, %s, %s FROM workflows_auditevent WHERE id = %s",
        third.hash,
        forged.hash,
        third.pk,
    )
    with pytest.raises(CommandError, match="event seq 5 .*länken"):
        verify()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflows_auditevent SET action = 'x' WHERE agreement_id = %s",
        "DELETE FROM workflows_auditevent WHERE agreement_id = %s",
    ],
)
def test_postgres_refuses_update_and_delete_on_the_trail(history, sql):
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [history.pk])
    assert verify().startswith("OK 6 events")


def test_verify_trail_for_one_agreement_prints_that_chains_head(history):
    out = io.StringIO()
    call_command("verify_trail", "--agreement", str(history.pk), stdout=out)
    history.refresh_from_db()
    assert out.getvalue().strip() == f"OK 6 events, head {history.trail_head}"
