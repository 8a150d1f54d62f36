"""A real browser for the end-to-end tests: Debian's chromium, driven by Playwright.

Playwright's own browser download is not used; bin/test installs chromium (as
root) or stops with instructions. A missing browser fails the test, it does not
skip it: a green run must have driven the pages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server, monkeypatch) -> Iterator:
    """Chromium, closed before the live server stops (it asks for the server first).

    Inside ``sync_playwright()`` an event loop runs in this thread, and Django's
    connection handler (asgiref's Local) hands the code there its own database
    connections, not the ones pytest-django set up and closes. They are closed
    here, still inside, or PostgreSQL refuses to drop the test database at the end
    ("is being accessed by other users")."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no browser at {CHROMIUM}: run bin/test (it installs Debian's chromium as root), "
            "or apt-get install chromium, or set CHROMIUM=/path/to/chromium"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test
    # makes between browser steps are plain synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()
