"""Turn an outbox row into a message: subject, text and HTML from templates.

A row names a template such as ``workflows/proposal_awaits_decision``; the files
live in whichever app defines them and are found by Django's template loader:

    workflows/proposal_awaits_decision.subject.txt   (Swedish, the default)
    workflows/proposal_awaits_decision.txt
    workflows/proposal_awaits_decision.html          (optional)
    workflows/proposal_awaits_decision.en.subject.txt  (English, optional, per file)
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import quote
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation

from .models import Language, OutboxEmail

# Values a row names but must not hold, such as a link with a secret in it: the
# row's context maps AT_SEND to {name: [resolver, argument]}, and each value is
# computed by the resolver an app registered when the e-mail is rendered, never
# stored. (workflows registers the task links.)
AT_SEND = "_at_send"
RESOLVERS: dict[str, Callable[[Any], str]] = {}
# Files a row attaches, read when it is sent rather than copied into the row: the
# context maps ATTACH to [[resolver, argument], ...], and each resolver registered
# here returns (file name, bytes, MIME type). (workflows attaches the sealed PDF/A.)
ATTACH = "_attach"
ATTACHERS: dict[str, Callable[[Any], tuple[str, bytes, str]]] = {}


def email_render(email: OutboxEmail) -> EmailMultiAlternatives:
    """Build the message for a row without sending it (the relay and the dev page use this)."""
    context = _context(email)
    attachments = [ATTACHERS[name](argument) for name, argument in context.pop(ATTACH, [])]
    with translation.override(email.language):
        subject = _render(email, "subject.txt", context)
        text = _render(email, "txt", context)
        html = _render_optional(email, "html", context)
    message = EmailMultiAlternatives(
        # Newlines in a subject would be a header injection; Django refuses them.
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(email.to_name, email.to_email)],
        # Tells auto-responders (out-of-office) not to answer a machine.
        headers={"Auto-Submitted": "auto-generated"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for name, data, mimetype in attachments:
        message.attach(name, data, mimetype)
    return message


def template_names(template: str, language: str, suffix: str) -> list[str]:
    """Language-specific file first, then the Swedish default."""
    names = [f"{template}.{suffix}"]
    if language != Language.SV:
        names.insert(0, f"{template}.{language}.{suffix}")
    return names


def _context(email: OutboxEmail) -> dict[str, Any]:
    context = dict(email.context)
    for key, (resolver, argument) in context.pop(AT_SEND, {}).items():
        context[key] = RESOLVERS[resolver](argument)
    return {
        **context,
        "to_name": email.to_name,
        "to_email": email.to_email,
        "site_url": settings.SITE_URL,
    }


def _render(email: OutboxEmail, suffix: str, context: dict[str, Any]) -> str:
    template = select_template(template_names(email.template, email.language, suffix))
    # Plain text must not be HTML-escaped ("Höör & Eslöv", not "Höör &amp; Eslöv").
    autoescape = suffix == "html"
    return template.template.render(Context(context, autoescape=autoescape))


def _render_optional(email: OutboxEmail, suffix: str, context: dict[str, Any]) -> str:
    try:
        select_template(template_names(email.template, email.language, suffix))
    except TemplateDoesNotExist:
        return ""  # No HTML file: a text-only message.
    # Rendered outside the try, so an error inside an existing file is not swallowed.
    return _render(email, suffix, context)


def _address(name: str, address: str) -> str:
    """'"Name" <address>', quoted so a comma or quote in a name cannot split the address."""
    name = " ".join(name.split())
    return f'"{quote(name)}" <{address}>' if name else address
