"""A partial index on viewflow's task table for the open human tasks: the inbox, the
header's count and the reminders look only at those, a few among a million done."""

from django.db import migrations

OPEN_TASKS = (
    "CREATE INDEX IF NOT EXISTS samverkan_open_human_task ON viewflow_task (process_id) "
    "WHERE flow_task_type = 'HUMAN' AND status IN ('NEW', 'ASSIGNED', 'STARTED')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0017_approval_decide_by"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(OPEN_TASKS, "DROP INDEX IF EXISTS samverkan_open_human_task"),
    ]
