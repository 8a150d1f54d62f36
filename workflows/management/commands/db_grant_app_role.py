"""Give the application's database role what it needs and no more (PostgreSQL).

Run by the owner of the tables (the role that ran ``migrate``), after every
migrate: the app role may read and write the working tables, but only SELECT and
INSERT on the append-only ones (no UPDATE, DELETE or TRUNCATE), and since it owns
nothing it cannot ALTER a table or DISABLE its triggers.

    DATABASE_URL=postgres://samverkan_owner@…/samverkan manage.py migrate
    DATABASE_URL=postgres://samverkan_owner@…/samverkan manage.py db_grant_app_role samverkan_app
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from workflows.append_only import APPEND_ONLY_TABLES


class Command(BaseCommand):
    help = "Ge appens databasroll rätt behörigheter. / Grant the app's database role its rights."

    def add_arguments(self, parser):
        parser.add_argument("role", help="Appens inloggningsroll. / The app's login role.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Bara för PostgreSQL. / PostgreSQL only.")
        name = sql.Identifier(role)
        tables = sql.SQL(", ").join(sql.Identifier(t) for t in APPEND_ONLY_TABLES)
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), name
            ),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(tables, name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(name),
        ]
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role}: läsa och skriva, men bara SELECT och INSERT på "
            f"{len(APPEND_ONLY_TABLES)} tabeller som bara växer."
        )
