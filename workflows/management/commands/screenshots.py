"""Screenshots for docs/screenshots/ on the demo data: the agreement page and its trail
on a desktop, and the confirm page a decision-maker opens from the e-mail on a phone
(375 px). ``bin/screenshots`` runs it on a temporary SQLite database; it needs
Chromium (Debian's ``chromium``) and the test tools (Playwright)."""

import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from workflows.agreement_lifecycle import AGREEMENT, APPLIES
from workflows.management.commands.load_demo import DEMO_PASSWORD
from workflows.models import ActionToken, Agreement, AgreementState
from workflows.models.trail import Channel
from workflows.services.actors import drafters
from workflows.services.drafting import version_approve
from workflows.services.notify import task_link_url

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 667}
DRAFTER = "sara.bergstrom@hoor.demo.test"
DECIDES = "anders.wikstrom@polisen.demo.test"


class Command(BaseCommand):
    help = "Tar skärmbilder för docs/screenshots/ på demodata. / Screenshots for the docs."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs/screenshots"))

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Kör med DEBUG=1 på en tillfällig databas (bin/screenshots).")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0)
        call_command("load_demo", force=True, stdout=StringIO())
        in_force = Agreement.objects.filter(AGREEMENT.q_with(APPLIES)).order_by("pk").first()
        confirm = self._open_a_decision()
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            base = f"http://127.0.0.1:{port}"
            self._shoot(base, out, in_force, confirm.replace(settings.SITE_URL, base))
        finally:
            server.terminate()
            server.wait(timeout=10)

    def _open_a_decision(self) -> str:
        """Both drafters approve a demo draft: the decision round opens and the
        LPO-chef's e-mail carries a link."""
        draft = Agreement.objects.filter(state=AgreementState.DRAFT).order_by("pk").first()
        version = draft.latest_version()
        for person in drafters(draft):
            version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)
        token = ActionToken.objects.filter(
            person__email=DECIDES, used_at=None, revoked_at=None
        ).latest("pk")
        return task_link_url(token.pk)

    def _shoot(self, base: str, out: Path, agreement: Agreement, link: str) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            desktop = browser.new_context(base_url=base, viewport=DESKTOP, locale="sv-SE")
            page = desktop.new_page()
            page.goto("/konto/logga-in/")
            page.get_by_label("E-postadress").fill(DRAFTER)
            page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Logga in").click()
            page.wait_for_load_state()
            for name, path in (
                ("overenskommelse.jpg", f"/overenskommelser/{agreement.pk}/"),
                ("beslutsspar.jpg", f"/overenskommelser/{agreement.pk}/beslutsspar/"),
            ):
                page.goto(path)
                # The first screens: the trail of a year in force is long.
                height = min(page.evaluate("document.documentElement.scrollHeight"), 2700)
                clip = {"x": 0, "y": 0, "width": DESKTOP["width"], "height": height}
                page.screenshot(path=str(out / name), full_page=True, clip=clip, quality=60)
                self.stdout.write(str(out / name))
            phone = browser.new_context(viewport=PHONE, locale="sv-SE", is_mobile=True)
            page = phone.new_page()
            page.goto(link)
            page.screenshot(path=str(out / "bekrafta-mobil.png"), full_page=False)
            page.screenshot(path=str(out / "bekrafta-mobil-hela.jpg"), full_page=True, quality=60)
            self.stdout.write(str(out / "bekrafta-mobil.png"))
            browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise CommandError(f"servern svarade inte på port {port}")
