"""Part 2: concurrent clients acting from e-mail links against a real server.

Each task is one person with their own browser session: open the link
(GET /l/<token>/, 303 to the confirm page), read the confirm page
(GET /uppgift/<id>/), then decide bifall (POST there, with the page's CSRF token
and hidden fields). Only 127.0.0.1, a fixed number of requests, and a deadline.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape

import requests

HIDDEN = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)

# The decision form's visible fields (workflows/forms.py, DecisionForm); the hidden ones
# (csrfmiddlewaretoken, version_hash) are read from the confirm page. Decided today:
# a decision may not precede its joint proposal, made when the bench runs.
DECISION = {
    "outcome": "bifall",
    "meeting_date": datetime.date.today().isoformat(),
    "paragraph": "§ 42",
    "diarienummer": "KS 2023/17",
    "note": "",
    "next_meeting_date": "",
}


@dataclass
class Samples:
    link: list[float] = field(default_factory=list)
    confirm: list[float] = field(default_factory=list)
    decide: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the page's own POST form (the one without an action:
    the language switcher posts elsewhere): CSRF token and version hash."""
    forms = [
        body
        for attrs, body in FORM.findall(html)
        if 'method="post"' in attrs.lower() and "action=" not in attrs.lower()
    ]
    if len(forms) != 1:
        raise RuntimeError(f"expected one POST form to this page, found {len(forms)}")
    fields = {}
    for tag in HIDDEN.findall(forms[0]):
        attrs = {k.lower(): unescape(v) for k, v in ATTR.findall(tag)}
        if attrs.get("type", "").lower() == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def one_task(base: str, link_path: str, samples: Samples, measure: bool, timeout: float) -> None:
    with requests.Session() as session:
        t0 = time.perf_counter()
        opened = session.get(base + link_path, allow_redirects=False, timeout=timeout)
        t1 = time.perf_counter()
        if opened.status_code not in (302, 303):
            raise RuntimeError(f"GET {link_path}: {opened.status_code}, expected a redirect")
        confirm_url = base + opened.headers["Location"].removeprefix(base)
        page = session.get(confirm_url, timeout=timeout)
        t2 = time.perf_counter()
        if page.status_code != 200:
            raise RuntimeError(f"GET {confirm_url}: {page.status_code}")
        data = {**DECISION, **hidden_fields(page.text)}
        if "csrfmiddlewaretoken" not in data:
            raise RuntimeError(f"GET {confirm_url}: no CSRF token in the form")
        done = session.post(
            confirm_url,
            data=data,
            allow_redirects=False,
            timeout=timeout,
            headers={"Referer": confirm_url},
        )
        t3 = time.perf_counter()
        if done.status_code not in (302, 303) or not done.headers["Location"].endswith("/klar/"):
            raise RuntimeError(f"POST {confirm_url}: {done.status_code} {_why(done.text)}")
    if measure:
        with samples.lock:
            samples.link.append(t1 - t0)
            samples.confirm.append(t2 - t1)
            samples.decide.append(t3 - t2)


def _why(html: str) -> str:
    found = re.search(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', html, re.DOTALL)
    return found.group(1).strip()[:200] if found else ""


def run(
    base: str,
    links: list[str],
    clients: int,
    warmup: int,
    alone: int,
    deadline_s: float = 150,
) -> tuple[Samples, Samples]:
    """Warm every worker (``warmup`` tasks, 4 at a time, not measured), then
    ``alone`` tasks one after another (the service time without queueing), then
    ``clients`` threads share the rest, each task once. Returns (alone, together)."""
    timeout = 30.0
    stop_at = time.monotonic() + deadline_s
    _threads(base, links[:warmup], 4, Samples(), False, timeout, stop_at)
    single = Samples()
    _threads(base, links[warmup : warmup + alone], 1, single, True, timeout, stop_at)
    together = Samples()
    _threads(base, links[warmup + alone :], clients, together, True, timeout, stop_at)
    return single, together


def _threads(base, links, clients, samples, measure, timeout, stop_at) -> None:
    queue = list(reversed(links))
    queue_lock = threading.Lock()

    def client() -> None:
        while time.monotonic() < stop_at:
            with queue_lock:
                if not queue:
                    return
                path = queue.pop()
            try:
                one_task(base, path, samples, measure=measure, timeout=timeout)
            except Exception as error:  # counted and reported, the run goes on
                with samples.lock:
                    samples.errors.append(str(error)[:300])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, stop_at - time.monotonic() + timeout))
