"""One agreement from a new version to Gällande, in a real browser, with the real e-mails.

The drafters log in (two browser contexts, two people); the decision-makers and
signatories have no login here at all: each opens the link from the e-mail that
was actually sent, in a fresh context, reads what they decide or sign, and
confirms. The live server runs in a thread of this process and the outbox sends
after each request's commit with no broker, so ``mail.outbox`` holds exactly the
messages the app sent, with links to the live server (SITE_URL).

Fields are found by their labels and buttons by their names, so the test also
shows that the labels are there. axe-core (WCAG 2.1 A and AA rules) checks each
page on the way.
"""

from __future__ import annotations

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import PASSWORD
from workflows.models import AgreementState
from workflows.models.trail import Channel

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_SENTENCE = "Trygghetsvandringar även i Tjörnarp och Sätofta."
LINK = re.compile(r"https?://\S+/l/[^/\s]+/")
TIMEOUT_MS = 10_000
SCREENSHOT = "/tmp/confirm.png"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


class Pages:
    """The browser side of the test: contexts, axe on every page it is asked to check."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.axe = Axe()
        self.violations: dict[str, list[str]] = {}

    def new_page(self) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url, locale="sv-SE", timezone_id="Europe/Stockholm"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        # The Content-Security-Policy is enforced: any violation is a finding too.
        page.on("console", self._csp_violation)
        return page

    def _csp_violation(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.setdefault("Content-Security-Policy", []).append(message.text)

    def logged_in(self, person) -> Page:
        page = self.new_page()
        page.goto("/konto/logga-in/")
        self.check(page, "inloggning")
        page.get_by_label("E-postadress").fill(person.email)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_text(f"Inloggad som {person.name}")).to_be_visible()
        return page

    def check(self, page: Page, name: str) -> None:
        """axe's WCAG A/AA rules, and reflow (WCAG 1.4.10): at 320 CSS px the page does
        not scroll sideways; a wide table scrolls inside its own region instead."""
        results = self.axe.run(page, options=AXE_OPTIONS)
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
        ]
        found += sideways_at(page, REFLOW_WIDTH)
        if found:
            self.violations[name] = found


REFLOW_WIDTH = 320
PHONE = {"width": 375, "height": 667}
# The elements that stick out of the page, not counting those inside a region that
# scrolls on its own (such a region is in the page's width; its content is not).
STICKING_OUT = """(width) => {
    const root = document.documentElement;
    if (root.scrollWidth <= width) return [];
    const scrolls = (e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
    const inside = (e) => { for (let a = e.parentElement; a; a = a.parentElement)
        if (scrolls(a)) return true; return false; };
    const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + (typeof e.className === "string" && e.className.trim()
            ? "." + e.className.trim().split(/\\s+/).join(".") : "");
    const found = [...document.body.querySelectorAll("*")]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !inside(e))
        .map((e) => name(e) + " " + Math.round(e.getBoundingClientRect().right) + "px");
    // Text that runs out of a box narrower than itself shows only as text.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const right = range.getBoundingClientRect().right;
        if (right > width + 1 && !inside(node.parentElement) && node.textContent.trim())
            found.push(name(node.parentElement) + " ”" + node.textContent.trim().slice(0, 40)
                + "” " + Math.round(right) + "px");
    }
    return found.slice(-6);
}"""


def sideways_at(page: Page, width: int) -> list[str]:
    """What makes the page scroll sideways at ``width`` CSS pixels, if anything."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    page.set_viewport_size({"width": width, "height": size["height"]})
    try:
        page.wait_for_function("(w) => window.innerWidth === w", arg=width)
        wide = page.evaluate(STICKING_OUT, width)
        total = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(size)
    if total <= width:
        return []
    return [f"reflow: {total} px bred vid {width} px – " + "; ".join(wide)]


def sent_link(outbox: list, to: str, subject_start: str) -> str:
    """The link in the one e-mail to ``to`` whose subject starts so."""
    messages = [m for m in outbox if to in m.to[0] and m.subject.startswith(subject_start)]
    subjects = [(m.to, m.subject) for m in outbox]
    assert len(messages) == 1, f"one «{subject_start}» to {to} expected; sent: {subjects}"
    links = LINK.findall(messages[0].body)
    assert len(links) == 1, messages[0].body
    return links[0]


def submit(button: Locator) -> None:
    """Click and wait for the answer; a CSRF refusal is named, not left to a timeout.

    A real browser sends ``Origin: null`` with a POST from a page served with
    ``Referrer-Policy: no-referrer``, which Django's CSRF check refuses; the test
    client sends no Origin at all, so only a browser shows it.
    """
    page = button.page
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    response = posted.value
    origin = response.request.headers.get("origin")
    assert response.status != 403, (
        f"the POST to {response.url} was refused ({response.status}); it was sent with "
        f"Origin: {origin}. A page served with Referrer-Policy: no-referrer makes the "
        "browser send Origin: null, and Django's CSRF check refuses that."
    )


def see_what_is_confirmed(page: Page, heading: str, title: str) -> None:
    """The confirm page: the task, the agreement, version 2 and its whole text."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    facts = page.get_by_role("region", name="Det här gäller det")
    expect(facts).to_contain_text(title)
    version = facts.locator("div").filter(has=page.locator("dt", has_text=re.compile("^Version$")))
    expect(version.locator("dd")).to_have_text("2")
    whole_text = page.get_by_role("region", name="Hela texten, version 2")
    expect(whole_text).to_contain_text(NEW_SENTENCE)
    expect(whole_text).to_contain_text("Trygghetsvandringar")
    # On a phone the form comes right after the summary, the text below it.
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    form_at = page.evaluate(
        "document.getElementById('confirm-title').getBoundingClientRect().top + window.scrollY"
    )
    page.set_viewport_size(size)
    assert form_at < 2 * PHONE["height"], f"the form starts {form_at} px down on a phone"


def test_new_version_to_gallande_through_the_browser_and_the_emails(
    browser, live_server, settings, mailoutbox, people, agreement
):
    settings.SITE_URL = live_server.url
    title = agreement.title
    pages = Pages(browser, live_server.url)
    today = timezone.localdate().isoformat()

    # -- the trygghetssamordnare writes version 2 -------------------------------------
    sam = pages.logged_in(people.samordnare)
    pages.check(sam, "mina överenskommelser")
    sam.get_by_role("link", name=title).click()
    expect(sam.get_by_role("heading", level=1, name=title)).to_be_visible()
    pages.check(sam, "överenskommelsen")
    sam.get_by_role("link", name="Ny version").click()
    text = sam.get_by_label("Text", exact=True)
    expect(text).to_have_value(re.compile("## Syfte och mål"))
    pages.check(sam, "ny version")
    text.fill(text.input_value().replace("i Höör.", f"i Höör. {NEW_SENTENCE}"))
    sam.get_by_label("Vad har ändrats?").fill("Tjörnarp och Sätofta med i trygghetsvandringarna.")
    sam.get_by_role("button", name="Lämna in versionen").click()
    expect(sam.get_by_role("status")).to_contain_text("Version 2 är inlämnad.")

    # -- the kommunpolis compares and approves ----------------------------------------
    karin = pages.logged_in(people.kommunpolis)
    karin.get_by_role("link", name=title).click()
    karin.get_by_role("link", name="Jämför versioner").click()
    karin.get_by_label("Från version", exact=True).select_option("1")
    karin.get_by_label("Till version", exact=True).select_option("2")
    karin.get_by_role("button", name="Jämför").click()
    expect(karin.get_by_role("heading", name="Från version 1 till version 2")).to_be_visible()
    expect(karin.locator("ins").filter(has_text="Tjörnarp")).to_be_visible()
    pages.check(karin, "jämför versioner")
    karin.get_by_role("link", name=title).first.click()
    karin.get_by_role("button", name="Godkänn version 2").click()
    expect(karin.get_by_role("status")).to_have_text("Du har godkänt version 2.")

    # -- the trygghetssamordnare approves: joint proposal -----------------------------
    sam.reload()
    sam.get_by_role("button", name="Godkänn version 2").click()
    expect(sam.get_by_role("status")).to_contain_text("nu ett gemensamt förslag")
    expect(sam.locator(".state")).to_have_text("Gemensamt förslag, inväntar beslut")

    # -- the decisions, from the links in the e-mails: no login ------------------------
    decisions = [
        (people.sekreterare, "Registrera kommunens beslut", "Sammanträdesdatum", "KS 2023/17"),
        (people.lpo_chief, "Registrera Polisens beslut", "Beslutsdatum", "A123.456/2023"),
    ]
    for person, heading, date_label, diarienummer in decisions:
        page = pages.new_page()
        page.goto(sent_link(mailoutbox, person.email, "Beslut senast "))
        # The secret is left behind: the confirm page's address has only the link's id.
        expect(page).to_have_url(re.compile(r"/uppgift/\d+/$"))
        see_what_is_confirmed(page, heading, title)
        if person == people.sekreterare:
            page.screenshot(path=SCREENSHOT, full_page=True)
            pages.check(page, "registrera beslut (länk)")
        form = page.get_by_role("region", name="Registrera beslutet")
        form.get_by_role("group", name="Beslut").get_by_label("Bifall", exact=True).check()
        # Decided today: a decision may not precede the joint proposal made above.
        form.get_by_label(date_label, exact=True).fill(today)
        if person == people.sekreterare:
            form.get_by_label("Paragraf (§)").fill("§ 42")
        form.get_by_label("Diarienummer").fill(diarienummer)
        submit(form.get_by_role("button", name="Registrera beslutet"))
        expect(page).to_have_url(re.compile(r"/uppgift/\d+/klar/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Beslutet är registrerat")
        expect(page.get_by_role("region", name="Det här registrerades")).to_contain_text(
            diarienummer
        )
        if person == people.sekreterare:
            pages.check(page, "beslutet är registrerat")
        page.context.close()

    # -- the kommun's protocol is justerat and announced: the nämndsekreterare's link --
    page = pages.new_page()
    page.goto(sent_link(mailoutbox, people.sekreterare.email, "Justering och anslag senast "))
    expect(page).to_have_url(re.compile(r"/uppgift/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera justering och anslag")
    form = page.get_by_role("region", name="Registrera justeringen")
    form.get_by_label("Justeringsdatum").fill(today)
    form.get_by_label("Justerare", exact=True).fill("Johan Svahnberg, Eva Ek")
    form.get_by_label("Anslaget på kommunens anslagstavla").fill(today)
    pages.check(page, "registrera justering (länk)")
    submit(form.get_by_role("button", name="Registrera justeringen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Justeringen är registrerad")
    page.context.close()

    # -- the signatures, from the links in the e-mails: no login -----------------------
    for person, place in [(people.ks_chair, "Höör"), (people.lpo_chief, "Eslöv")]:
        page = pages.new_page()
        page.goto(sent_link(mailoutbox, person.email, "Underskrift senast "))
        expect(page).to_have_url(re.compile(r"/uppgift/\d+/$"))
        see_what_is_confirmed(page, "Underteckna överenskommelsen", title)
        if person == people.ks_chair:
            pages.check(page, "underteckna (länk)")
        form = page.get_by_role("region", name="Underteckna")
        form.get_by_label("Ort").fill(place)
        form.get_by_label("Datum", exact=True).fill(today)
        form.get_by_label("Ditt lösenord i Samverkan").fill(PASSWORD)
        submit(form.get_by_role("button", name="Underteckna version 2"))
        expect(page).to_have_url(re.compile(r"/uppgift/\d+/klar/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Underskriften är registrerad")
        expect(page.get_by_role("region", name="Det här registrerades")).to_contain_text(place)
        page.context.close()

    # -- Gällande, and the trail holds ------------------------------------------------
    sam.goto(f"/overenskommelser/{agreement.pk}/")
    expect(sam.locator(".state")).to_have_text("Gällande")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE
    # Each decision and signature: by the person the link was for, through the link,
    # bound to version 2's hash.
    version_2 = agreement.versions.get(number=2)
    acted = agreement.events.filter(action__in=["decision_recorded", "signature_added"])
    assert sorted(acted.values_list("actor__name", "channel", "version_hash")) == sorted(
        (p.name, Channel.EMAIL_LINK, version_2.content_hash)
        for p in (people.sekreterare, people.lpo_chief, people.ks_chair, people.lpo_chief)
    )
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK "), out.getvalue()

    assert not pages.violations, "axe-core (WCAG 2.1 AA) found:\n" + "\n".join(
        f"{page}: {v}" for page, found in pages.violations.items() for v in found
    )
