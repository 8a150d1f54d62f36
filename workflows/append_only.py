"""PostgreSQL triggers that make a table append-only, for the migrations.

The application already refuses to change these rows; the trigger also stops
raw SQL, bulk updates and anyone at a database console. Switching it off takes
the table owner's rights, which the application's own database role does not
have (``manage.py db_grant_app_role``): an act an operator must answer for.

TRUNCATE is refused too (a statement trigger), unless the session says it is a
test database being flushed between tests (``samverkan.maintenance = 'flush'``,
set only in project/test_settings.py), and an agreement's chain head may only
move to its newest event (``HEAD_GUARD``).
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION samverkan_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'samverkan: % on % is not allowed (append-only table)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _triggers(function: str, create: str, name: str, tables: tuple[str, ...]):
    """A (forwards, backwards) pair for migrations.RunPython: ``function`` once, then
    ``create`` (with {table}) for each table; PostgreSQL only."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(function, params=None)
        for table in tables:
            schema_editor.execute(create.format(table=table))

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table};")

    return forwards, backwards


def make_append_only(*tables: str):
    return _triggers(
        FUNCTION,
        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_change();",
        "append_only",
        tables,
    )


TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION samverkan_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('samverkan.maintenance', true) = 'flush' THEN
        RETURN NULL;  -- the test suite's flush between tests
    END IF;
    RAISE EXCEPTION 'samverkan: TRUNCATE on % is not allowed (append-only table)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def refuse_truncate(*tables: str):
    return _triggers(
        TRUNCATE_FUNCTION,
        "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION samverkan_refuse_truncate();",
        "no_truncate",
        tables,
    )


# The agreement's trail_head and trail_length may change only to the hash and number
# of that agreement's newest event: a head "fixed" after events were cut, rewritten
# or forged is refused (services/trail.py writes the event first, then the head).
HEAD_GUARD = """
CREATE OR REPLACE FUNCTION samverkan_guard_trail_head() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM workflows_auditevent
        WHERE agreement_id = NEW.id AND seq = NEW.trail_length AND hash = NEW.trail_head
    ) OR EXISTS (
        SELECT 1 FROM workflows_auditevent WHERE agreement_id = NEW.id AND seq > NEW.trail_length
    ) THEN
        RAISE EXCEPTION 'samverkan: the chain head of agreement % must be its newest event', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflows_agreement_trail_head
BEFORE UPDATE OF trail_head, trail_length ON workflows_agreement
FOR EACH ROW WHEN (
    NEW.trail_head IS DISTINCT FROM OLD.trail_head
    OR NEW.trail_length IS DISTINCT FROM OLD.trail_length
)
EXECUTE FUNCTION samverkan_guard_trail_head();
"""


def guard_trail_head(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HEAD_GUARD, params=None)


def unguard_trail_head(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS workflows_agreement_trail_head ON workflows_agreement;"
        )


# The tables whose rows are never changed or removed once written (the app role
# gets SELECT and INSERT only on them).
APPEND_ONLY_TABLES = (
    "workflows_version",
    "workflows_auditevent",
    "workflows_decision",
    "workflows_decisionstep",
    "workflows_signature",
    "workflows_correction",
    "workflows_sourcedocument",
    "workflows_registration",
    "workflows_identityevent",
    "workflows_sealedrecord",
    "promises_promiseapproval",
    "promises_promiseanswer",
    "promises_promisefollowup",
    "promises_promisereport",
    "promises_delegationstep",
)
