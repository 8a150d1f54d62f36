from django.db import migrations

from workflows.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [
        migrations.RunPython(*make_append_only("workflows_version", "workflows_auditevent"))
    ]
