"""What every page's header needs: the number of tasks waiting in the inbox, and
whether to show the auditor's search."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from . import selectors
from .access_selectors import is_auditor_user
from .services.actors import person_for_user


def inbox(request: HttpRequest) -> dict[str, Any]:
    """``inbox_count``, counted only if a template shows it (once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def inbox_count() -> int:
        person = person_for_user(user)
        return len(selectors.tasks_for_person(person)) if person else 0

    return {"inbox_count": inbox_count}


def kommun_settings(request: HttpRequest) -> dict[str, Any]:
    """``administered``: the kommuner whose settings the user may edit (if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def administered() -> list:
        from .views.kommun import administered_kommuner

        return administered_kommuner(user)

    return {"administered": administered}


def audit(request: HttpRequest) -> dict[str, Any]:
    """``is_auditor``: whether the menu shows the auditor's search (asked once, if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def is_auditor() -> bool:
        return is_auditor_user(user)

    return {"is_auditor": is_auditor}
