"""The first administrator of a real installation.

    manage.py create_admin --email anna.admin@kommun.se --name "Anna Admin"

Creates (or promotes) the person and their login with access to /admin/, where
they add organisations and people, and prints a one-time link to choose a
password. No password is typed on the command line or stored in a shell history.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from project.accounts import password_link
from workflows.models import Person
from workflows.services.actors import login_for


class Command(BaseCommand):
    help = "Skapar den första administratören och skriver ut en länk för att välja lösenord."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="E-postadressen: inloggningen.")
        parser.add_argument("--name", required=True, help="För- och efternamn.")

    @transaction.atomic
    def handle(self, *args, email: str, name: str, **options) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except Exception:
            raise CommandError(f"Ogiltig e-postadress: {email!r}") from None
        if not name.strip():
            raise CommandError("Ange ett namn.")
        person, created = Person.objects.get_or_create(email=email, defaults={"name": name.strip()})
        login_for(person)
        user = person.user
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        verb = "Skapade" if created else "Gjorde till administratör:"
        self.stdout.write(f"{verb} {person.name} <{email}>.")
        self.stdout.write("Välj lösenord här (länken gäller i tre dygn och kan användas en gång):")
        self.stdout.write(password_link(user))
        self.stdout.write("Logga sedan in på /admin/ och lägg upp organisationer och personer.")
