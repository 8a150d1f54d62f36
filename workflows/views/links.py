"""Acting from an e-mail link, without a login.

Opening the link (GET or HEAD) changes nothing and stores nothing: mail scanners
open links before people do. A GET answers with a short-lived signed cookie that
refers to the token row (its id and SHA-256, never the secret) and redirects to
a URL without the secret, so it does not leak through Referer headers or logs.
No session exists until the person acts: only the POST on the confirm page acts,
and the service spends the token once.

    /l/<token>/              look up, set the signed reference, redirect
    /uppgift/<pk>/           what is decided or signed, and the form
    /uppgift/<pk>/klar/      the receipt, also after the reference is gone

When someone else is logged in, the link does not act for its recipient: a
registered substitute acts as themselves, for the recipient; anyone else is told
whose link it is.
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
from ..services.actors import person_for_user, task_actor
from ..services.errors import DomainError
from ..services.tokens import LinkProblem, token_by_reference, token_find
from . import tasks

logger = logging.getLogger(__name__)

RATE_GROUP = "workflows.link_failures"
COOKIE_SALT = "workflows.link"
PREFIX = 6  # failed look-ups are also counted per token prefix (a guesser's pattern)


def cookie_name(token_pk: int) -> str:
    return f"samverkan-link-{token_pk}"


def cookie_path(token_pk: int) -> str:
    return reverse("workflows:task_confirm", args=[token_pk])


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


def _failed_look_up(request: HttpRequest, token: str) -> bool:
    """Count one failed look-up, per client address and per token prefix; True when
    either is over the hour's limit. Only failures count, and a valid link is never
    refused, so an office behind one address is not locked out by someone's truncated
    link. A cache that is down must not stop anyone: 256 random bits protect the links."""
    prefix = token[:PREFIX]
    try:
        by_address = is_ratelimited(request, group=RATE_GROUP, key="ip", rate=_rate, increment=True)
        by_prefix = is_ratelimited(
            request,
            group=f"{RATE_GROUP}.prefix",
            key=lambda group, request: prefix,
            rate=_rate,
            increment=True,
        )
    except Exception:  # the cache's own errors (redis down) vary by backend
        logger.warning("link failure counter unavailable", exc_info=True)
        return False
    return by_address or by_prefix


# -- the link -------------------------------------------------------------------------


@no_referrer
@private
@require_safe
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    found = token_find(token)
    if isinstance(found, LinkProblem):
        if found.reason == "unknown" and _failed_look_up(request, token):
            return tasks.problem_page(request, "rate_limited", at_link=True)
        return tasks.link_problem_page(request, found, at_link=True)
    response = HttpResponseRedirect(cookie_path(found.pk))
    response.status_code = 303
    if request.method == "GET":
        response.set_signed_cookie(
            cookie_name(found.pk),
            found.token_hash,
            salt=COOKIE_SALT,
            max_age=settings.LINK_COOKIE_MAX_AGE,
            path=cookie_path(found.pk),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


# -- the confirm page -----------------------------------------------------------------


class LinkTokenMixin:
    """The link's signed reference, the token behind it, who acts and what happens
    after acting. Used with a task page: ``tasks.TaskFormView`` here, another app's
    for its own kinds (``tasks.register_task_pages``), which this hands the request to."""

    channel = Channel.EMAIL_LINK
    acting_for = None  # the recipient, when their registered substitute acts

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token_pk = kwargs["token_pk"]
        self.reference = request.get_signed_cookie(
            cookie_name(token_pk),
            default=None,
            salt=COOKIE_SALT,
            max_age=settings.LINK_COOKIE_MAX_AGE,
        )
        found = token_by_reference(token_pk, self.reference) if self.reference else None
        token = _token_of(found) if found is not None else None
        if token is None:
            return self.without_link(request, token_pk)
        if isinstance(found, LinkProblem):
            return _forget(tasks.link_problem_page(request, found), token_pk)
        pages = tasks.task_pages(found.kind)
        if pages is not None and not isinstance(self, pages.link):
            return pages.link.as_view()(request, *args, **kwargs)
        self.token = found
        self.agreement = found.agreement
        self.person = found.person
        self.kind = found.kind
        self.task_id = found.task_id
        refusal = self.logged_in_person(request, found)
        if refusal is not None:
            return refusal
        if not self.load_subject(found):  # cannot happen: a new version revokes the links
            return tasks.problem_page(request, "superseded", found)
        response = super().dispatch(request, *args, **kwargs)
        if getattr(self, "acted", False):
            response = _forget(response, token_pk)
        return response

    def logged_in_person(self, request: HttpRequest, token: ActionToken) -> HttpResponse | None:
        """Whoever is logged in is who acts: the recipient as before, their registered
        substitute for the task as themselves for the recipient, anyone else not at all."""
        viewer = person_for_user(request.user)
        if viewer is None or viewer.pk == token.person_id:
            return None
        try:
            actor = task_actor(viewer, self.agreement, self.kind, self.channel)
        except DomainError:
            actor = None
        if actor is not None and getattr(actor.on_behalf_of, "pk", None) == token.person_id:
            self.person, self.acting_for = viewer, token.person
            return None
        return tasks.problem_page(request, "other_person", token, viewer=viewer)

    def load_subject(self, token: ActionToken) -> bool:
        """What the task is about: here the version the token is bound to."""
        version = self.agreement.versions.filter(content_hash=token.version_hash)
        self.version = version.order_by("-number").first()
        return self.version is not None

    def without_link(self, request: HttpRequest, token_pk: int) -> HttpResponse:
        """No reference in this browser: after acting (back button, a second click) the
        link's own page; otherwise ask for the link again."""
        if request.session.get(done_key(token_pk)):
            token = ActionToken.objects.filter(pk=token_pk).first()
            if token is not None and token.used_at is not None:
                return tasks.problem_page(request, "used", token)
        return tasks.problem_page(request, "no_session")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(acting_for=self.acting_for, **kwargs)

    def bound_hash(self, form: Form) -> str:
        return self.token.version_hash

    def refused(self, form: Form, status: int) -> HttpResponse:
        # Used or closed meanwhile (another click, another person): say so plainly.
        found = token_by_reference(self.token.pk, self.reference)
        if isinstance(found, LinkProblem):
            return _forget(tasks.link_problem_page(self.request, found), self.token.pk)
        return super().refused(form, status)

    def succeeded(self, result: Decision | Signature) -> str:
        self.acted = True
        self.request.session[done_key(self.token.pk)] = True
        return self.done_url()

    def done_url(self) -> str:
        return reverse("workflows:task_done", args=[self.token.pk])


def _forget(response: HttpResponse, token_pk: int) -> HttpResponse:
    """The reference is spent or void: the browser drops it."""
    response.delete_cookie(cookie_name(token_pk), path=cookie_path(token_pk))
    return response


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
