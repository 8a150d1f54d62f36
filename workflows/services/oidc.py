"""Signing through an OpenID Connect identity broker (issue 14): BankID, Freja eID
and SITHS the way Swedish brokers offer them.

The signing page sends the signatory to the provider with a fresh login asked for
(``prompt=login``, ``max_age``, the accepted ``acr_values``); the callback
exchanges the code (Authlib), checks the ID token (signature, issuer, audience,
expiry, nonce; joserfc), and then checks itself what a provider may ignore: that the
login is fresh (``auth_time`` within ``OIDC_MAX_AGE`` and not before it was asked
for) and of an accepted assurance level (``acr``). The identity is then looked up
among the bindings (``PersonIdentity``): the provider's subject identifier stored
at enrolment, or a keyed HMAC of the personal identity number the provider
reports (the key, ``IDENTITY_NUMBER_KEY``, is kept outside the database).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from functools import lru_cache

import requests
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..models import IdentifiedBy, PersonIdentity
from .identity import Identification, NotIdentified, binding_fields

LEEWAY_SECONDS = 30
TIMEOUT_SECONDS = 10


def configured() -> bool:
    return bool(settings.OIDC_ISSUER)


def callback_url() -> str:
    return f"{settings.SITE_URL}{reverse('workflows:oidc_callback')}"


@lru_cache(maxsize=8)
def _metadata(issuer: str) -> dict:
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    found = requests.get(url, timeout=TIMEOUT_SECONDS)
    found.raise_for_status()
    return found.json()


def _client() -> OAuth2Session:
    return OAuth2Session(
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        scope="openid",
        redirect_uri=callback_url(),
    )


def start(return_to: str, person_id: int | None) -> tuple[str, dict]:
    """The provider's URL to send the browser to, and what the callback must check
    (kept by the caller in a signed cookie): state, nonce, when it was asked, where
    to return, and whom the login must prove (None at enrolment)."""
    meta = _metadata(settings.OIDC_ISSUER)
    nonce = secrets.token_urlsafe(24)
    url, state = _client().create_authorization_url(
        meta["authorization_endpoint"],
        nonce=nonce,
        prompt="login",
        max_age=settings.OIDC_MAX_AGE,
        acr_values=" ".join(settings.OIDC_ACR_VALUES),
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "asked": int(timezone.now().timestamp()),
        "return_to": return_to,
        "person": person_id,
    }
    return url, pending


def finish(query: dict, full_url: str, pending: dict) -> tuple[dict, str]:
    """The checked ID token's claims and the identity they are bound by, from the
    provider's answer; ``NotIdentified`` with the reason otherwise."""
    if query.get("error"):
        raise NotIdentified(_("Identifieringen avbröts. Ingenting registrerades."))
    if not pending or query.get("state") != pending.get("state"):
        raise NotIdentified(
            _("Svaret från e-legitimationen hör inte till den här underskriften. Börja om.")
        )
    meta = _metadata(settings.OIDC_ISSUER)
    try:
        token = _client().fetch_token(
            meta["token_endpoint"], authorization_response=full_url, timeout=TIMEOUT_SECONDS
        )
        keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=TIMEOUT_SECONDS).json())
        claims = jwt.decode(token["id_token"], keys).claims
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": settings.OIDC_ISSUER},
            aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
            nonce={"essential": True, "value": pending["nonce"]},
            exp={"essential": True},
        ).validate(claims)
    except (JoseError, KeyError, ValueError, requests.RequestException) as error:
        raise NotIdentified(
            _("Identifieringen kunde inte kontrolleras (%(why)s). Ingenting registrerades.")
            % {"why": type(error).__name__}
        ) from None
    _check_fresh(claims, pending)
    _check_level(claims)
    return dict(claims), _bound_identifier(claims)


def _check_fresh(claims, pending: dict) -> None:
    """A provider may ignore ``max_age`` and ``prompt=login``: the login must have
    happened after it was asked for, and within ``OIDC_MAX_AGE``."""
    auth_time = claims.get("auth_time")
    now = timezone.now().timestamp()
    if (
        not isinstance(auth_time, int | float)
        or auth_time < pending["asked"] - LEEWAY_SECONDS
        or now - auth_time > settings.OIDC_MAX_AGE + LEEWAY_SECONDS
    ):
        raise NotIdentified(
            _(
                "Inloggningen med e-legitimation var inte gjord just nu. Identifiera dig "
                "igen; ingenting registrerades."
            )
        )


def _check_level(claims) -> None:
    """A provider may ignore the ``acr_values`` asked for."""
    if settings.OIDC_ACR_VALUES and claims.get("acr") not in settings.OIDC_ACR_VALUES:
        raise NotIdentified(
            _(
                "E-legitimationen har inte den tillitsnivå som krävs för att underteckna "
                "(%(acr)s). Ingenting registrerades."
            )
            % {"acr": claims.get("acr") or _("ingen uppgift")}
        )


def number_hmac(number: str) -> str:
    """The keyed HMAC a personal identity number is bound by; a plain hash could be
    reversed by trying every number, and the number itself is never stored."""
    digits = "".join(ch for ch in number if ch.isdigit())
    key = settings.IDENTITY_NUMBER_KEY.encode()
    return hmac.new(key, f"samverkan.pnr:{digits}".encode(), hashlib.sha256).hexdigest()


def _bound_identifier(claims) -> str:
    number = claims.get(settings.OIDC_NUMBER_CLAIM)
    if number and settings.IDENTITY_NUMBER_KEY:
        return f"pnr-hmac:{number_hmac(str(number))}"
    return f"sub:{claims['sub']}"


def bound_person_id(identifier: str) -> int | None:
    """The person an identity is bound to, if any."""
    found = PersonIdentity.objects.filter(
        issuer=settings.OIDC_ISSUER, **binding_fields(identifier)
    ).first()
    return found.person_id if found is not None else None


def identification(claims: dict, identifier: str, person_id: int) -> Identification:
    amr = claims.get("amr") or []
    return Identification(
        person_id=person_id,
        method=IdentifiedBy.E_ID,
        provider=settings.OIDC_ISSUER,
        subject=identifier,
        at=datetime.datetime.fromtimestamp(claims["auth_time"], tz=datetime.UTC),
        acr=str(claims.get("acr") or ""),
        amr=tuple(str(m) for m in (amr if isinstance(amr, list) else [amr])),
    )
