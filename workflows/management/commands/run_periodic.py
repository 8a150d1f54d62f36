"""Run every due periodic job once (the embedded default has no beat)."""

from django.core.management.base import BaseCommand

from notifications.services import outbox_relay
from workflows.services.periodic import run_all


class Command(BaseCommand):
    help = "Kör alla periodiska jobb en gång. / Runs every due periodic job once."

    def handle(self, *args, **options):
        for job, count in run_all().items():
            self.stdout.write(f"{job}: {count}")
        self.stdout.write(f"emails sent: {outbox_relay()}")
