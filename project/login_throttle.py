"""Throttled logins: failed attempts are counted per account and per client address
(django-ratelimit, in Django's cache); past the limit the login form answers 429
with a Swedish page until the window has passed. Never a permanent lock, and only
the login is throttled: a valid link in an e-mail still works.

Used for /konto/logga-in/ and the admin's login alike (project/urls.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

ACCOUNT, ADDRESS = "login.account", "login.address"


def _over(request: HttpRequest, group: str, key: str, limit: int, increment: bool) -> bool:
    """Whether ``limit`` failures are already counted in this window; ``increment``
    counts one more first."""
    rate = f"{limit}/{settings.LOGIN_COOLOFF_MINUTES}m"
    try:
        usage = get_usage(
            request, group=group, key=lambda g, r: key, rate=rate, increment=increment
        )
    except Exception:  # the cache's own errors (redis down) vary by backend
        logger.warning("login failure counter unavailable", exc_info=True)
        return False
    return usage is not None and usage["count"] >= limit


def _limits(request: HttpRequest, username: str) -> list[tuple[str, str, int]]:
    address = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")
    return [
        (ACCOUNT, username.strip().lower(), settings.LOGIN_FAILURES_PER_ACCOUNT),
        (ADDRESS, address, settings.LOGIN_FAILURES_PER_ADDRESS),
    ]


def _blocked(request: HttpRequest, limits) -> bool:
    return any(_over(request, group, key, limit, False) for group, key, limit in limits)


def _failed(request: HttpRequest, limits) -> None:
    for group, key, limit in limits:
        _over(request, group, key, limit, True)


def throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        limits = _limits(request, request.POST.get("username", ""))
        if _blocked(request, limits):
            context = {"minutes": settings.LOGIN_COOLOFF_MINUTES}
            response = render(request, "registration/throttled.html", context, status=429)
            response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
            return response
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:  # the form was refused: one failure more
            _failed(request, limits)
        return response

    return wrapped


def password_attempt(request: HttpRequest, username: str, check: Callable[[], bool]) -> bool | None:
    """A password asked for outside the login form (the signing page's), counted with
    the logins: None while the account or address is throttled, else whether it was
    right; a wrong one counts as a failed login."""
    limits = _limits(request, username)
    if _blocked(request, limits):
        return None
    right = check()
    if not right:
        _failed(request, limits)
    return right
