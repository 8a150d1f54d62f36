"""Acting from an e-mail link, without a login.

Opening the link (GET or HEAD) changes nothing: mail scanners open links before
people do. It puts the secret in the session and redirects to a URL without it,
so the secret does not leak through Referer headers or logs. Only the POST on
the confirm page acts, and the service spends the token once.

    /l/<token>/              look up, remember in the session, redirect
    /uppgift/<pk>/           what is decided or signed, and the form
    /uppgift/<pk>/klar/      the receipt, also after the session key is gone
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from .. import selectors
from ..models import ActionToken, Decision, Signature
from ..models.trail import Channel
from ..services.actors import person_for_user
from ..services.tokens import LinkProblem, token_find
from . import tasks

logger = logging.getLogger(__name__)

RATE_GROUP = "workflows.link_failures"


def session_key(token_pk: int) -> str:
    return f"link:{token_pk}"


def done_key(token_pk: int) -> str:
    return f"link-done:{token_pk}"


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Never cached anywhere; HEAD gets no body."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response

    return wrapped


def no_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The secret is in this URL: no Referer from it, not even to ourselves.

    Only here: a browser sends ``Origin: null`` with a POST from a page served
    with no-referrer, and Django's CSRF check refuses that, so the pages with
    forms (the confirm page) keep the site's same-origin policy; their URLs
    hold no secret. The link's own pages show no language switcher for that
    reason (the browser's language applies)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


# -- counting failed look-ups per client address (django-ratelimit, Django's cache) --


def _rate(group: str, request: HttpRequest) -> str:
    return f"{settings.LINK_FAILURES_PER_HOUR}/h"


def _over_limit(request: HttpRequest, *, failed: bool) -> bool:
    """Whether the address has had more failed look-ups this hour than allowed;
    ``failed`` counts this request as one more. A cache that is down must not stop
    people from acting: the links' 256 random bits are the real protection."""
    try:
        return is_ratelimited(request, group=RATE_GROUP, key="ip", rate=_rate, increment=failed)
    except Exception:  # the cache's own errors (redis down) vary by backend
        logger.warning("link failure counter unavailable", exc_info=True)
        return False


# -- the link -------------------------------------------------------------------------


@no_referrer
@private
@require_safe
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    if _over_limit(request, failed=False):
        return tasks.problem_page(request, "rate_limited", at_link=True)
    found = token_find(token)
    if isinstance(found, LinkProblem):
        if found.reason == "unknown" and _over_limit(request, failed=True):
            return tasks.problem_page(request, "rate_limited", at_link=True)
        return tasks.link_problem_page(request, found, at_link=True)
    if request.method == "GET":
        request.session[session_key(found.pk)] = token
    response = HttpResponseRedirect(reverse("workflows:task_confirm", args=[found.pk]))
    response.status_code = 303
    return response


# -- the confirm page -----------------------------------------------------------------


class LinkTokenMixin:
    """The link's secret in the session, the token behind it and what happens after
    acting. Used with a task page: ``tasks.TaskFormView`` here, another app's for
    its own kinds (``tasks.register_task_pages``), which this hands the request to."""

    channel = Channel.EMAIL_LINK

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token_pk = kwargs["token_pk"]
        raw = request.session.get(session_key(token_pk))
        found = token_find(raw) if raw else None
        token = _token_of(found) if found is not None else None
        if token is None or token.pk != token_pk:
            return self.without_link(request, token_pk)
        if isinstance(found, LinkProblem):
            request.session.pop(session_key(token_pk), None)
            return tasks.link_problem_page(request, found)
        pages = tasks.task_pages(found.kind)
        if pages is not None and not isinstance(self, pages.link):
            return pages.link.as_view()(request, *args, **kwargs)
        self.raw = raw
        self.token = found
        self.agreement = found.agreement
        self.person = found.person
        self.kind = found.kind
        self.task_id = found.task_id
        if not self.load_subject(found):  # cannot happen: a new version revokes the links
            return tasks.problem_page(request, "superseded", found)
        return super().dispatch(request, *args, **kwargs)

    def load_subject(self, token: ActionToken) -> bool:
        """What the task is about: here the version the token is bound to."""
        version = self.agreement.versions.filter(content_hash=token.version_hash)
        self.version = version.order_by("-number").first()
        return self.version is not None

    def without_link(self, request: HttpRequest, token_pk: int) -> HttpResponse:
        """No secret in this session: after acting (back button, a second click) the
        link's own page; otherwise ask for the link again."""
        if request.session.get(done_key(token_pk)):
            token = ActionToken.objects.filter(pk=token_pk).first()
            if token is not None and token.used_at is not None:
                return tasks.problem_page(request, "used", token)
        return tasks.problem_page(request, "no_session")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user_person = person_for_user(self.request.user)
        other = user_person if user_person and user_person.pk != self.person.pk else None
        return super().get_context_data(logged_in_as_other=other, **kwargs)

    def bound_hash(self, form: Form) -> str:
        return self.token.version_hash

    def refused(self, form: Form, status: int) -> HttpResponse:
        # Used or closed meanwhile (another click, another person): say so plainly.
        found = token_find(self.raw)
        if isinstance(found, LinkProblem):
            self.request.session.pop(session_key(self.token.pk), None)
            return tasks.link_problem_page(self.request, found)
        return super().refused(form, status)

    def succeeded(self, result: Decision | Signature) -> str:
        session = self.request.session
        session.pop(session_key(self.token.pk), None)
        session[done_key(self.token.pk)] = True
        return self.done_url()

    def done_url(self) -> str:
        return reverse("workflows:task_done", args=[self.token.pk])


@method_decorator(private, name="dispatch")
class LinkTaskView(LinkTokenMixin, tasks.TaskFormView):
    """The task behind a link: the page and form shared with the inbox."""


def _token_of(found: ActionToken | LinkProblem) -> ActionToken | None:
    return found.token if isinstance(found, LinkProblem) else found


# -- the receipt ----------------------------------------------------------------------


@method_decorator(private, name="dispatch")
class LinkDoneView(View):
    """What was recorded: read from the token row, so it works without the secret.
    Shown to the session that acted, or to the token's person when logged in."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token_pk: int) -> HttpResponse:
        token = (
            ActionToken.objects.select_related("agreement", "person").filter(pk=token_pk).first()
        )
        mine = token is not None and (
            request.session.get(done_key(token_pk))
            or getattr(person_for_user(request.user), "pk", None) == token.person_id
        )
        if not mine or token.used_at is None:
            return tasks.problem_page(request, "no_session")
        result = selectors.recorded_with_token(token)
        if result is None:
            return tasks.problem_page(request, "used", token)
        return tasks.receipt(request, token.agreement, result, used_at=token.used_at)
