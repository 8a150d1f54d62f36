"""Logins: the e-mail address is the login, a person chooses their password from a
link in an e-mail, and the first administrator is made by a command.

People are created by an administrator (``workflows/admin.py``) or by the command
``create_admin``, without a password; the e-mail "Välj lösenord" carries Django's
password-reset link (a signed token that expires after PASSWORD_RESET_TIMEOUT and
is void once the password changes). The link is sent straight to the mail server
and never stored: the outbox holds no live secret.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage


def login_name(email: str) -> str:
    """The username behind an e-mail address, whatever its case."""
    email = email.strip()
    found = (
        get_user_model()
        .objects.filter(username__iexact=email)
        .values_list("username", flat=True)
        .first()
    )
    return found or email


class EmailUsername(forms.Form):
    """The login field: the e-mail address, in any letter case."""

    username = forms.CharField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_username(self) -> str:
        return login_name(self.cleaned_data["username"])


class EmailLoginForm(EmailUsername, AuthenticationForm):
    pass


class AdminEmailLoginForm(EmailUsername, AdminAuthenticationForm):
    """The admin's login says the same as the site's."""


class ChoosePasswordForm(PasswordResetForm):
    """Also for people who have never had a password: that is how they get one."""

    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterable:
        return get_user_model().objects.filter(
            username__iexact=email.strip(), is_active=True, person__isnull=False
        )


def password_link(user) -> str:
    """The one-time link to choose a password, for the command's output."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send(form: ChoosePasswordForm, request: HttpRequest | None) -> None:
    """Links point at the installation's own address (SITE_URL), whatever Host the
    request came with."""
    form.save(
        request=request,
        domain_override=settings.SITE_URL.split("://", 1)[-1],
        use_https=settings.SITE_URL.startswith("https://"),
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
    )


def send_password_link(user, request: HttpRequest | None = None) -> None:
    """The e-mail with the link to choose a password (a new person, or forgotten)."""
    form = ChoosePasswordForm(data={"email": user.username})
    if form.is_valid():
        _send(form, request)


def _limited(request: HttpRequest) -> bool:
    """Each address and each e-mail address may ask for a few links an hour, so the
    form cannot be used to flood someone's inbox."""
    rate = f"{settings.PASSWORD_LINKS_PER_HOUR}/h"
    email = request.POST.get("email", "").strip().lower()
    address = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")
    over = False
    for group, key in (("reset.account", email), ("reset.address", address)):
        usage = get_usage(
            request, group=group, key=lambda g, r, k=key: k, rate=rate, increment=True
        )
        over = over or (usage is not None and usage["should_limit"])
    return over


class ChoosePasswordView(auth_views.PasswordResetView):
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _limited(request):
            response = render(request, "registration/password_reset_throttled.html", status=429)
            response["Retry-After"] = "3600"
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        _send(form, self.request)
        return HttpResponseRedirect(self.get_success_url())
