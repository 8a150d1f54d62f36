"""Template filters for the pages and e-mails: dates in Swedish time, trail labels."""

from __future__ import annotations

import datetime
import hashlib
from functools import cache

from django import template
from django.core.cache import cache as shared_cache
from django.template.loader import get_template, render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .. import content as content_rules
from ..models import Role
from ..trail_actions import action_label as _action_label
from ..vocabulary import DIFF_STATUS_LABELS

register = template.Library()

TEXT_TEMPLATE = "workflows/_content.html"


@cache
def _text_layout() -> str:
    """The text template's own hash: a deploy that changes it renders texts anew."""
    source = get_template(TEXT_TEMPLATE).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


@register.simple_tag
def version_text(version) -> SafeString:
    """A version's whole text as HTML. A text never changes under its hash, so it is
    rendered once per hash and language and then read from the cache."""
    key = f"version-text:{version.content_hash}:{get_language()}:{_text_layout()}"
    html = shared_cache.get(key)
    if html is None:
        sections = content_rules.normalise(version.content)["sections"]
        html = render_to_string(TEXT_TEMPLATE, {"sections": sections})
        shared_cache.set(key, html, timeout=None)
    return mark_safe(html)  # rendered with autoescaping just above


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
