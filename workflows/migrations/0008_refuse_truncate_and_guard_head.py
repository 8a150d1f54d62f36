# TRUNCATE is refused on every append-only table, and an agreement's chain head may
# only move to its newest event (workflows/append_only.py).

from django.db import migrations

from workflows.append_only import (
    APPEND_ONLY_TABLES,
    guard_trail_head,
    refuse_truncate,
    unguard_trail_head,
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_link_token_nonce"),
        ("promises", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*refuse_truncate(*APPEND_ONLY_TABLES, "workflows_followupreport")),
        migrations.RunPython(guard_trail_head, unguard_trail_head),
    ]
