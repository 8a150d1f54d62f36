"""The Content-Security-Policy holds in a real browser on the pages the other browser
tests do not visit: the Django admin and the development mail pages (whose e-mail
HTML is shown in a sandboxed frame with a policy of its own), and the public
accessibility statement, which axe-core checks too."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from notifications.models import OutboxEmail
from tests.conftest import PASSWORD
from tests.e2e.test_full_cycle import Pages
from tests.workflows.conftest import proposed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_the_admin_and_the_dev_mail_pages_run_under_the_policy_without_violations(
    browser,
    live_server,
    settings,
    proposed,  # noqa: F811  (the fixture imported above)
):
    settings.DEBUG = True  # the development mail pages exist only then
    get_user_model().objects.create_superuser("root@kommun.test", "root@kommun.test", PASSWORD)
    pages = Pages(browser, live_server.url)
    page = pages.new_page()
    page.goto("/admin/login/")
    page.get_by_label("E-postadress").fill("root@kommun.test")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/admin/")
    email = OutboxEmail.objects.filter(template__endswith="task_link").first()
    for path in (
        "/admin/",
        "/admin/notifications/outboxemail/",
        f"/admin/notifications/outboxemail/{email.pk}/change/",
        "/admin/workflows/agreement/",
        "/dev/mail/",
        f"/dev/mail/{email.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    frame = page.frame_locator("iframe")
    assert frame.locator("a").first.is_visible()  # the e-mail's own HTML, styled inline
    assert not pages.violations, pages.violations


def test_the_accessibility_statement_passes_axe_and_reads_by_keyboard(browser, live_server, db):
    pages = Pages(browser, live_server.url)
    page = pages.new_page()
    response = page.goto("/tillganglighet/")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    pages.check(page, "tillgänglighetsredogörelse")
    page.keyboard.press("Tab")  # the skip link first, as on every page
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till huvudinnehållet"
    assert not pages.violations, pages.violations


def test_the_password_pages_pass_axe(browser, live_server, db):
    pages = Pages(browser, live_server.url)
    page = pages.new_page()
    page.goto("/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet, eller inte valt något än?").click()
    pages.check(page, "välj lösenord")
    page.get_by_label("E-postadress").fill("ingen@kommun.test")
    page.get_by_role("button", name="Skicka länken").click()
    page.wait_for_url("**/skickat/")
    pages.check(page, "länken skickad")
    assert not pages.violations, pages.violations
