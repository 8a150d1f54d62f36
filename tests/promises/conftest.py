"""Höör's medborgarlöften at each step, reached through the real services.

The agreement is the shared fixture's operational Höör agreement 2023–2024; the
drafters are its kommunpolis and trygghetssamordnare, the signatories Höör's
KS-ordförande and the LPO-chef of LPO Eslöv (``tests/conftest.py``).
"""

from __future__ import annotations

import datetime
import re

import pytest

from promises.models import PromiseSetState
from promises.services import rounds
from promises.services.answers import promises_return, promises_sign
from promises.services.drafting import promise_set_approve, promise_set_create
from tests.conftest import identified
from tests.e2e.conftest import browser  # noqa: F401  (the browser fixture, for test_browser.py)
from tests.workflows.conftest import in_force, proposed, signing  # noqa: F401  (an agreement in force)
from workflows.models.trail import Channel

SIGNED_ON = datetime.date(2023, 4, 11)
BACKGROUND = "Höör upplevs som tryggt, men fler ser narkotikapåverkade personer utomhus."
PROMISES = [
    {
        "title": "Grannsamverkan mot brott",
        "description": "Polis och kommun hjälper fler bostadsområden att starta grannsamverkan.",
        "responsible": "both",
        "unit": "Trygghetssamordnaren; kommunpolisen",
        "measure": "Antal nya grannsamverkansområden.",
    },
    {
        "title": "Blåljusdagar för årskurs 4",
        "description": "Elever i årskurs 4 träffar polis, räddningstjänst och ambulans.",
        "responsible": "lpo",
        "unit": "Lokalpolisområde Eslöv",
        "measure": "Att dagarna genomförs varje år.",
    },
]

LINK = re.compile(r"https?://[^/\s]+(/l/[\w-]+/)")


def links_to(mailoutbox, person) -> list[str]:
    return [
        path
        for message in mailoutbox
        if person.email in message.to[0]
        for path in LINK.findall(message.body)
    ]


def create_set(agreement, author, first_year=None, last_year=None, promises=PROMISES):
    """Promises for the agreement's years (2023–2024 in the story) unless told."""
    return promise_set_create(
        agreement_id=agreement.pk,
        first_year=first_year or agreement.period_start.year,
        last_year=last_year or agreement.period_end.year,
        author=author,
        channel=Channel.LOGIN,
        background=BACKGROUND,
        promises=promises,
    )


def approve(promise_set, person):
    promise_set.refresh_from_db()
    return promise_set_approve(
        set_id=promise_set.pk,
        person=person,
        content_hash=promise_set.content_hash,
        channel=Channel.LOGIN,
    )


def task_of(promise_set, kind: str):
    from promises.flows import PromiseFlow

    return rounds.open_tasks(promise_set).get(flow_task=getattr(PromiseFlow, kind))


def sign(promise_set, kind: str, person, place="Höör", signed_on=SIGNED_ON, delegation_point=""):
    promise_set.refresh_from_db()
    return promises_sign(
        task_id=task_of(promise_set, kind).pk,
        person=person,
        content_hash=promise_set.content_hash,
        place=place,
        signed_on=signed_on,
        channel=Channel.LOGIN,
        identification=identified(person),
        delegation_point=delegation_point,
    )


def anmal(promise_set, person, meeting_date, announced_on, paragraph="§ 112", separately=False):
    """The nämndsekreterare records the anmälan of the delegated decision."""
    from promises.services.delegation import AnmalanInput, anmalan_record

    return anmalan_record(
        set_id=promise_set.pk,
        person=person,
        fields=AnmalanInput(meeting_date, paragraph, announced_on, separately),
        channel=Channel.LOGIN,
    )


def send_back(promise_set, kind: str, person, reason="Löfte 2 behöver ett mått."):
    promise_set.refresh_from_db()
    return promises_return(
        task_id=task_of(promise_set, kind).pk,
        person=person,
        content_hash=promise_set.content_hash,
        reason=reason,
        channel=Channel.LOGIN,
    )


@pytest.fixture
def story_now() -> str:
    """Mid-December 2023: the promises were signed in April and followed up since."""
    return "2023-12-15T12:00:00+01:00"


@pytest.fixture
def draft_set(agreement, people):
    """Höör's promises 2023–2024 in draft, written by the trygghetssamordnare."""
    return create_set(agreement, people.samordnare)


@pytest.fixture
def proposed_set(draft_set, people, django_capture_on_commit_callbacks):
    """Approved by both drafters; the two signatories have been mailed their links."""
    with django_capture_on_commit_callbacks(execute=True):
        approve(draft_set, people.samordnare)
        approve(draft_set, people.kommunpolis)
    draft_set.refresh_from_db()
    assert draft_set.state == PromiseSetState.PROPOSED
    return draft_set


@pytest.fixture
def delegated_set(proposed_set, people, django_capture_on_commit_callbacks):
    """Published; the KS-ordförande decided by delegation (point 1.4), so the
    nämndsekreterare has the anmälan task and its e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        sign(proposed_set, "promises_ks", people.ks_chair, delegation_point="1.4")
        sign(proposed_set, "promises_lpo", people.lpo_chief)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    return proposed_set


@pytest.fixture
def published_set(proposed_set, people):
    sign(proposed_set, "promises_ks", people.ks_chair)
    sign(proposed_set, "promises_lpo", people.lpo_chief)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    return proposed_set
