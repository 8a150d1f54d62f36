"""PostgreSQL triggers that make a table append-only, for the migrations.

The application already refuses to change these rows; the trigger also stops
raw SQL, bulk updates and anyone at a database console. Switching it off takes
the table owner's rights, which is an act an operator must answer for. TRUNCATE
is left to the owner on purpose: the test suite's flush between tests uses it.
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION samverkan_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'samverkan: % on % is not allowed (append-only table)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def make_append_only(*tables: str):
    """A (forwards, backwards) pair for migrations.RunPython."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION, params=None)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_change();"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")

    return forwards, backwards
