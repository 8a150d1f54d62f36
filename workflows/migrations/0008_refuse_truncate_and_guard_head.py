# TRUNCATE is refused on every append-only table, and an agreement's chain head may
# only move to its newest event (workflows/append_only.py).

from django.db import migrations

from workflows.append_only import guard_trail_head, refuse_truncate, unguard_trail_head

# The append-only tables as they were then; later ones get theirs in their own
# migration (0010: workflows_decisionstep).
TABLES = (
    "workflows_version",
    "workflows_auditevent",
    "workflows_decision",
    "workflows_signature",
    "promises_promiseapproval",
    "promises_promiseanswer",
    "promises_promisefollowup",
    "promises_promisereport",
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_link_token_nonce"),
        ("promises", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*refuse_truncate(*TABLES, "workflows_followupreport")),
        migrations.RunPython(guard_trail_head, unguard_trail_head),
    ]
