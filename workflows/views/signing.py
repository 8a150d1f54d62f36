"""Identifying the signatory on the signing pages (issue 14; services/identity.py).

With an identity provider configured, "Underteckna" first sends the signatory to
it (services/oidc.py); the callback keeps the checked identification for
``OIDC_MAX_AGE`` in a signed cookie, and the signing page then asks for the final
confirmation, which spends it. Without one, the signing form asks for the
person's own password. Agreements and medborgarlöften use the same mixin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from ..models import Person, PersonIdentity
from ..services import identity, oidc
from ..services.actors import person_for_user
from ..services.identity import Identification, NotIdentified

PENDING_COOKIE, IDENTIFIED_COOKIE = "samverkan_oidc", "samverkan_identified"
SALT = "samverkan.signing-identity"


def _set(response: HttpResponse, name: str, value: dict, max_age: int) -> None:
    response.set_cookie(
        name,
        signing.dumps(value, salt=SALT),
        max_age=max_age,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",  # sent on the provider's redirect back (a top-level GET)
    )


def _get(request: HttpRequest, name: str, max_age: int) -> dict | None:
    try:
        return signing.loads(request.COOKIES[name], salt=SALT, max_age=max_age)
    except (KeyError, signing.BadSignature):
        return None


def identified_in(request: HttpRequest, person: Person) -> Identification | None:
    """A fresh identification of ``person`` from the provider, if the browser has one."""
    found = _get(request, IDENTIFIED_COOKIE, settings.OIDC_MAX_AGE)
    if found is None or found["person_id"] != person.pk:
        return None
    return Identification.from_cookie(found)


def start_identification(return_to: str, person_id: int | None) -> HttpResponse:
    url, pending = oidc.start(return_to, person_id)
    response = HttpResponseRedirect(url)
    _set(response, PENDING_COOKIE, pending, max_age=600)
    return response


class IdentifiedSigningMixin:
    """For a confirm page's view: ``signs(form)`` says whether the POST signs."""

    request: HttpRequest
    person: Person
    identified: Identification | None = None

    def signs(self, form: Form) -> bool:
        raise NotImplementedError

    def signing_context(self) -> dict[str, Any]:
        return {
            "oidc": oidc.configured(),
            "identified": identified_in(self.request, self.person) if oidc.configured() else None,
            "signing_person_has_password": self.person.has_password,
        }

    def form_valid(self, form: Form) -> HttpResponse:
        if self.signs(form) and oidc.configured():
            self.identified = identified_in(self.request, self.person)
            if self.identified is None:
                return start_identification(self.request.get_full_path(), self.person.pk)
        response = super().form_valid(form)  # type: ignore[misc]
        if self.identified is not None and response.status_code == 302:
            response.delete_cookie(IDENTIFIED_COOKIE)  # one identification, one signature
        return response

    def identification(self, password: str) -> Identification:
        if oidc.configured():
            if self.identified is None:  # form_valid asked for one first
                raise NotIdentified(_("Underskriften kräver att du identifierar dig."))
            return self.identified
        return identity.by_password(self.request, self.person, password)


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: checked, bound to a person, kept for the signing page
    (or, at enrolment, bound to the logged-in person)."""
    pending = _get(request, PENDING_COOKIE, max_age=600) or {}
    return_to = pending.get("return_to") or "/"
    if not url_has_allowed_host_and_scheme(return_to, allowed_hosts={request.get_host()}):
        return_to = "/"
    try:
        claims, identifier = oidc.finish(request.GET, request.build_absolute_uri(), pending)
        if pending.get("person") is None:
            response = _enrol(request, identifier)
        else:
            response = _identified(pending["person"], claims, identifier)
    except NotIdentified as refused:
        response = render(
            request,
            "workflows/identify_problem.html",
            {"message": refused.message, "return_to": return_to},
            status=refused.status_code,
        )
        response.delete_cookie(PENDING_COOKIE)
        return response
    response["Location"] = return_to
    response.delete_cookie(PENDING_COOKIE)
    return response


def _identified(expected: int, claims: dict, identifier: str) -> HttpResponse:
    person_id = oidc.bound_person_id(identifier)
    if person_id is None:
        raise NotIdentified(
            _(
                "Din e-legitimation är inte kopplad till någon person i Samverkan. Logga in "
                "och koppla den under Din e-legitimation; ingenting registrerades."
            )
        )
    if person_id != expected:
        raise NotIdentified(
            _(
                "Du identifierade dig som en annan person än den som ska underteckna. "
                "Ingenting registrerades."
            )
        )
    found = oidc.identification(claims, identifier, person_id)
    response = HttpResponseRedirect("/")
    _set(response, IDENTIFIED_COOKIE, found.as_cookie(), max_age=settings.OIDC_MAX_AGE)
    return response


def _enrol(request: HttpRequest, identifier: str) -> HttpResponse:
    """Bind the logged-in person to the identity they just proved."""
    person = person_for_user(request.user) if request.user.is_authenticated else None
    if person is None:
        raise NotIdentified(_("Logga in först för att koppla din e-legitimation."))
    bound = oidc.bound_person_id(identifier)
    if bound is not None and bound != person.pk:
        raise NotIdentified(_("Den här e-legitimationen är redan kopplad till en annan person."))
    if bound is None:
        identity.bind(person, settings.OIDC_ISSUER, identifier, bound_by=request.user.pk)
    messages.success(request, _("Din e-legitimation är kopplad. Du kan nu underteckna med den."))
    return HttpResponseRedirect("/")


class EnrolView(LoginRequiredMixin, View):
    """Mitt konto: bind one's e-identity (the provider's subject identifier) once,
    by identifying oneself with it while logged in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        person = person_for_user(request.user)
        bindings = (
            PersonIdentity.objects.filter(person=person, issuer=settings.OIDC_ISSUER)
            if person is not None
            else PersonIdentity.objects.none()
        )
        return render(
            request,
            "workflows/identity_enrol.html",
            {"person": person, "oidc": oidc.configured(), "bindings": list(bindings)},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not oidc.configured() or person_for_user(request.user) is None:
            return self.get(request)
        return start_identification(request.path, None)
