"""Template filters for the auditor's pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter(expects_localtime=True)
def isotimestamp(value: datetime.datetime | None) -> str:
    """2023-04-11 14:02:13 +02:00: Swedish time to the second, with its offset from UTC,
    so that a moment reads the same in summer and winter time."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    offset = value.strftime("%z")  # +0200, or "" for a naive value
    offset = f" {offset[:3]}:{offset[3:]}" if offset else ""
    return value.strftime("%Y-%m-%d %H:%M:%S") + offset
