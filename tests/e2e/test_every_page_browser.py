"""Every page every role reaches, in a real browser: no page scrolls sideways at
320 CSS px (WCAG 1.4.10) and axe finds nothing.

Each role logs in on the demo data and follows the links it is shown, breadth first,
one page per kind of address (``/overenskommelser/3/`` and ``/overenskommelser/5/``
are one kind). The public pages are visited without a login.
"""

from __future__ import annotations

import re
from collections import deque
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.test_full_cycle import Pages, sideways_at
from workflows.management.commands.load_demo import DEMO_PASSWORD
from workflows.models import Person, RoleAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]

MAX_PAGES_PER_ROLE = 40
START = ("/", "/medborgarloften/")
# Not pages to read: leaving, switching language, files, the e-mail catcher, links
# that act (a link page's token is single-person; the crawler is logged in).
SKIP = re.compile(
    r"/konto/logga-ut|/i18n/|/admin/|/dev/|/l/|\.(?:pdf|zip|json|csv|txt|md)$|/export|"
    r"/kalldokument/|/ladda-ned|/nedladdning|/pdfa/"
)


def kind_of(path: str) -> str:
    path = re.sub(r"/[0-9a-f]{16,}(?=/|$)", "/H", path)
    return re.sub(r"/\d+(?=/|$)", "/N", re.sub(r"/\d{4}-\d{2}-\d{2}(?=/|$)", "/D", path))


def crawl(pages: Pages, page: Page, role: str, checked: set[str]) -> list[str]:
    """The kinds of page visited; axe runs once per kind over all roles, the reflow
    check on every page of every role."""
    queue, visited = deque(START), []
    seen = {kind_of(path) for path in START}
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(path)
        if (
            response is None
            or response.status >= 400
            or "text/html" not in (response.headers.get("content-type", ""))
        ):
            continue
        kind = kind_of(urlsplit(page.url).path)
        visited.append(kind)
        if kind in checked:
            found = sideways_at(page, 320)
            if found:
                pages.violations[f"{role}: {kind}"] = found
        else:
            pages.check(page, f"{role}: {kind}")
            checked.add(kind)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or kind_of(parts.path) in seen:
                continue
            seen.add(kind_of(parts.path))
            queue.append(target)
    return visited


def log_in(pages: Pages, email: str) -> Page:
    page = pages.new_page()
    page.goto("/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som")).to_be_visible()
    return page


def test_no_page_of_any_role_scrolls_sideways_at_320_px_or_fails_axe(browser, live_server):
    call_command("load_demo", force=True, stdout=StringIO())
    pages = Pages(browser, live_server.url)
    checked: set[str] = set()
    people = {
        assignment.role: assignment.person
        for assignment in RoleAssignment.objects.select_related("person").order_by("pk")
        if assignment.substitute_for_id is None
    }
    admin = Person.objects.filter(user__is_superuser=True).first()
    visits = {"offentlig": crawl(pages, pages.new_page(), "offentlig", checked)}
    for role, person in sorted(people.items()):
        visits[role] = crawl(pages, log_in(pages, person.email), role, checked)
    if admin:
        visits["admin"] = crawl(pages, log_in(pages, admin.email), "admin", checked)

    assert pages.violations == {}
    assert_prints_without_navigation_or_forms(log_in(pages, people["trygghetssamordnare"].email))
    every_kind = set().union(*visits.values())
    expected_kinds = (
        "/overenskommelser/N/",
        "/overenskommelser/N/beslutsspar/",
        "/granskning/",
        "/medborgarloften/",
        "/inkorg/",
    )
    for expected in expected_kinds:
        assert any(kind.startswith(expected) for kind in every_kind), " ".join(sorted(every_kind))
    assert len(every_kind) >= 15, sorted(every_kind)


def assert_prints_without_navigation_or_forms(page: Page) -> None:
    """The print stylesheet: an agreement on paper is its text and facts, not the
    site's navigation, footer, forms or buttons."""
    page.goto("/")
    page.locator("main a[href^='/overenskommelser/']").first.click()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for hidden in (".site-nav", ".site-footer", "main form", "main .button"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
