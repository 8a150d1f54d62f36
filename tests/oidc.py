"""A real OpenID Connect provider for the identified-signing tests (issue 14): the
npm package oidc-provider (tests/oidc_provider/, installed by bin/test with npm ci),
started once per test module on loopback, and a browser at its login screen."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.cache import cache

from workflows.models import PersonIdentity

PROVIDER = Path(__file__).resolve().parent / "oidc_provider"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
SITE = "http://testserver"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider():
    if not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "oidc-provider is not installed: run `npm ci` in tests/oidc_provider (bin/test does)"
        )
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "REDIRECT_URI": f"{SITE}/identifiera/klar/"}
    process = subprocess.Popen(
        ["node", "provider.js"], cwd=PROVIDER, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the test OpenID provider did not start")
        time.sleep(0.2)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oidc(provider, settings):
    settings.OIDC_ISSUER = provider
    settings.OIDC_CLIENT_ID = "samverkan"
    settings.OIDC_CLIENT_SECRET = "test-secret-not-for-production"
    settings.OIDC_ACR_VALUES = [LOA3]
    settings.SITE_URL = SITE
    cache.clear()
    return provider


def bind(person, subject: str, issuer: str) -> None:
    PersonIdentity.objects.create(person=person, issuer=issuer, subject=subject)


def at_provider(issuer: str, authorize_url: str, login: dict | None) -> str:
    """The browser at the provider: log in as ``login`` says (or cancel), follow its
    redirects, and return the path and query it sends back to Samverkan."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False)
    interaction = urljoin(issuer, answer.headers["location"])
    step = "abort" if login is None else "login"
    answer = browser.get(f"{interaction}/{step}", params=login or {}, allow_redirects=False)
    location = urljoin(issuer, answer.headers["location"])
    while not location.startswith(SITE):
        answer = browser.get(location, allow_redirects=False)
        location = urljoin(issuer, answer.headers["location"])
    back = urlsplit(location)
    return f"{back.path}?{back.query}"
