from django.core.management.base import BaseCommand, CommandParser

from notifications.services import outbox_relay


class Command(BaseCommand):
    help = "Skicka utgående e-post som står på tur (kör reläet en gång)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100, help="Högst så här många rader.")

    def handle(self, *args: object, limit: int, **options: object) -> None:
        sent = outbox_relay(limit=limit)
        self.stdout.write(f"Skickade {sent} e-postmeddelanden.")
