"""On PostgreSQL the append-only guard holds against the application's own role and,
for TRUNCATE and the chain head, against the owner too (workflows/append_only.py,
``manage.py db_grant_app_role``)."""

from __future__ import annotations

import json
import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import postgres_only
from workflows.checks import role_problem
from workflows.models import AuditEvent
from workflows.models.trail import GENESIS_HASH

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

GUARDED = [
    "workflows_auditevent",
    "workflows_version",
    "workflows_decision",
    "workflows_decisionstep",
    "workflows_signature",
    "workflows_correction",
    "workflows_sourcedocument",
    "workflows_registration",
    "workflows_sealedrecord",
    "promises_delegationstep",
]


@pytest.fixture
def app_role():
    """A login role of its own, granted as the README says, dropped afterwards."""
    role = f"samverkan_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    call_command("db_grant_app_role", role, stdout=open("/dev/null", "w"))
    settings = connection.settings_dict
    app = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )
    yield app
    app.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def refused(app, statement: str, *params) -> bool:
    try:
        app.execute(statement, params or None)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_the_app_role_cannot_update_delete_truncate_alter_or_disable_triggers(app_role, in_force):
    for table in GUARDED:
        assert refused(app_role, f"UPDATE {table} SET id = id"), table
        assert refused(app_role, f"DELETE FROM {table}"), table
        assert refused(app_role, f"TRUNCATE {table} CASCADE"), table
        assert refused(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL"), table
    assert refused(app_role, "ALTER TABLE workflows_auditevent ADD COLUMN forged int")
    assert refused(app_role, "SET session_replication_role = replica")
    assert refused(
        app_role,
        "UPDATE workflows_agreement SET trail_head = %s WHERE id = %s",
        "f" * 64,
        in_force.pk,
    )


def test_the_app_role_appends_an_event_and_moves_the_head_to_it(app_role, in_force):
    in_force.refresh_from_db()
    event = AuditEvent(
        agreement=in_force,
        seq=in_force.trail_length + 1,
        at=timezone.now(),
        channel="system",
        action="expiry_warning",
        object_type="agreement",
        object_id=str(in_force.pk),
        details={"days": 90},
        prev_hash=in_force.trail_head or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    app_role.execute(
        "INSERT INTO workflows_auditevent (agreement_id, seq, at, actor_role, channel, action, "
        "object_type, object_id, from_state, to_state, version_hash, details, prev_hash, hash) "
        "VALUES (%s, %s, %s, '', %s, %s, %s, %s, '', '', '', %s, %s, %s)",
        (
            in_force.pk,
            event.seq,
            event.at,
            event.channel,
            event.action,
            event.object_type,
            event.object_id,
            json.dumps(event.details),
            event.prev_hash,
            event.hash,
        ),
    )
    app_role.execute(
        "UPDATE workflows_agreement SET trail_head = %s, trail_length = %s WHERE id = %s",
        (event.hash, event.seq, in_force.pk),
    )
    in_force.refresh_from_db()
    assert (in_force.trail_head, in_force.trail_length) == (event.hash, event.seq)


def test_even_the_owner_cannot_truncate_or_point_the_head_elsewhere(in_force):
    for table in [*GUARDED, "promises_promiseanswer"]:
        with pytest.raises(Exception, match="TRUNCATE"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL samverkan.maintenance = ''")
                cursor.execute(f"TRUNCATE {table} CASCADE")
    first = AuditEvent.objects.get(agreement=in_force, seq=1)
    for head, length in (("f" * 64, in_force.trail_length), (first.hash, 1)):
        with pytest.raises(Exception, match="newest event"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE workflows_agreement SET trail_head = %s, trail_length = %s "
                    "WHERE id = %s",
                    [head, length, in_force.pk],
                )


def test_the_deploy_check_warns_when_the_app_runs_as_a_superuser(db):
    assert role_problem() == "superuser"  # the test suite connects as postgres
