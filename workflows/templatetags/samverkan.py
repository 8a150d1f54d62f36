"""Template filters for the pages and e-mails: dates in Swedish time, trail labels."""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat, timezone

from ..models import Role
from ..trail_actions import action_label as _action_label
from ..vocabulary import DIFF_STATUS_LABELS

register = template.Library()


@register.filter(expects_localtime=True)
def isodate(value: datetime.date | datetime.datetime | None) -> str:
    """2021-06-18, in the current time zone (Europe/Stockholm) for a moment in time."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


@register.filter(expects_localtime=True)
def longdate(value: datetime.date | datetime.datetime | str | None) -> str:
    """24 november 2026 (24 November 2026 in English): dates in prose and the "Ort den"
    line. Tables, forms, the trail and exports keep ISO dates (``isodate``)."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, "j F Y")


@register.filter(expects_localtime=True)
def isodatetime(value: datetime.datetime | None) -> str:
    """2021-06-18 14:05, in the current time zone (Europe/Stockholm)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


@register.filter
def action_label(event) -> str:
    return _action_label(event)


@register.filter
def role_labels(roles: list[str]) -> str:
    """Role codes as their names: "Kommunpolis, Trygghetssamordnare"."""
    names = dict(Role.choices)
    return ", ".join(str(names.get(role, role)) for role in roles or [])


@register.filter
def diff_status(status: str) -> str:
    return str(DIFF_STATUS_LABELS.get(status, status))


@register.filter
def correction_field(field: str) -> str:
    """The corrected fact's name in words ("paragraf (§)")."""
    from ..corrections import FIELD_WORDS

    return str(FIELD_WORDS.get(field, field))
