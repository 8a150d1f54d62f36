# Links are derived at send time from a nonce and a key outside the database; the
# outbox no longer keeps them. Rows already sent lose the link they kept.

from django.db import migrations, models


def erase_sent_links(apps, schema_editor):
    OutboxEmail = apps.get_model("notifications", "OutboxEmail")
    sent = OutboxEmail.objects.filter(context__has_key="link", status__in=["sent", "failed"])
    for email in sent:
        email.context = {**email.context, "link": ""}
        email.save(update_fields=["context"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_followups"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="actiontoken",
            name="nonce",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(erase_sent_links, migrations.RunPython.noop),
    ]
