"""On PostgreSQL, the database itself refuses to change versions or the trail.

The application already refuses (Version.save/delete); the trigger also stops
raw SQL, admin bulk actions and anyone with a database console. Disabling it
takes table ownership, which is an act an operator must answer for. TRUNCATE
is left to the owner on purpose: the test suite's flush between tests uses it.
"""

from django.db import migrations

APPEND_ONLY = ["workflows_version", "workflows_auditevent"]

FUNCTION = """
CREATE OR REPLACE FUNCTION samverkan_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'samverkan: % on % is not allowed (append-only table)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in APPEND_ONLY:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS samverkan_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
