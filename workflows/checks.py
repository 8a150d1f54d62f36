"""A deploy check: on PostgreSQL the application should not run as a superuser or as
the owner of the append-only tables, either of which could switch their triggers off
(README, "Database roles"; ``manage.py db_grant_app_role``)."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connection

from .append_only import APPEND_ONLY_TABLES


def role_problem() -> str:
    """What is wrong with the connected role, or ""."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            return "superuser"
        cursor.execute(
            "SELECT count(*) FROM pg_tables "
            "WHERE tablename = ANY(%s) AND tableowner = current_user",
            [list(APPEND_ONLY_TABLES)],
        )
        return "owner" if cursor.fetchone()[0] else ""


@register(Tags.security, deploy=True)
def check_app_role(app_configs, **kwargs):
    if connection.vendor != "postgresql":
        return []
    try:
        problem = role_problem()
    except Exception:  # no database to ask yet: nothing to say
        return []
    if not problem:
        return []
    return [
        Warning(
            f"Appen är ansluten till PostgreSQL som {problem}: den kan stänga av "
            "utlösarna som skyddar beslutsspåret. / The app connects as a "
            f"{problem} and could switch off the append-only triggers.",
            hint="Kör migrate som ägarrollen och appen som en egen roll: "
            "manage.py db_grant_app_role <roll>. See the README, Database roles.",
            id="workflows.W001",
        )
    ]
