"""The "Skickad e-post" pages: the outbox as a developer reads it, only with DEBUG on.

The embedded setup writes mail to files under var/mail; these pages show the same
messages rendered from their rows, with status and errors beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .models import OutboxEmail
from .rendering import email_render

PAGE_SIZE = 50


def debug_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless DEBUG: in production these pages would show everyone's mail to staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@debug_only
@staff_member_required
def dev_mail_list(request: HttpRequest) -> HttpResponse:
    # Keyset pagination: newest first, "older" continues below the last id shown.
    rows = OutboxEmail.objects.order_by("-pk")
    before = request.GET.get("fore", "")
    if before.isdigit():
        rows = rows.filter(pk__lt=int(before))
    page = list(rows[: PAGE_SIZE + 1])
    older = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    context = {"emails": page[:PAGE_SIZE], "older": older, "is_first_page": not before}
    return render(request, "notifications/dev/mail_list.html", context)


@debug_only
@staff_member_required
def dev_mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboxEmail, pk=pk)
    try:
        message = email_render(email)
    except Exception as exc:  # a broken template is exactly what a developer wants to see
        return render(request, "notifications/dev/mail_detail.html", {"email": email, "error": exc})
    html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    context = {"email": email, "message": message, "html": html}
    return render(request, "notifications/dev/mail_detail.html", context)


# The e-mail's own HTML, for the frame on the page above: e-mail needs inline
# styles, so it gets a policy of its own (no script at all, sandboxed), and only
# this site may frame it.
EMAIL_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [SELF],
    "sandbox": [""],
}


@debug_only
@staff_member_required
@xframe_options_sameorigin
@csp(EMAIL_POLICY)
def dev_mail_html(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboxEmail, pk=pk)
    message = email_render(email)
    html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    return HttpResponse(html or "<p>Ingen HTML-version.</p>")
