"""Bench data built through the real services, the way tests/conftest.py does it.

One kommun (Höör) and its LPO (Eslöv) with the people who draft, decide and
sign; then as many agreements as asked for, each taken to a joint proposal by
the two drafters, which starts the viewflow round and opens both decision tasks
(with their link tokens and outbox rows), exactly as in production.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from workflows.importer import parse_file
from workflows.models import (
    ActionToken,
    Agreement,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    RoleAssignment,
)
from workflows.models.trail import Channel
from workflows.services import rounds
from workflows.services.drafting import agreement_create, version_approve
from workflows.services.notify import task_link_url

# Decided today: a decision may not precede its joint proposal, made when the bench runs.
MEETING = timezone.localdate()
# In force around today, so that signing is allowed.
PERIOD = (datetime.date(MEETING.year - 1, 1, 1), datetime.date(MEETING.year + 1, 12, 31))

# A real agreement's text (the demo's Höör 2023–2024: four sections, five areas
# with effektmål), so that hashing it and showing it on the confirm page cost what
# they cost in use.
DEMO_TEXT = Path(__file__).resolve().parent.parent / "workflows/demo/hoor_operativ_2023_2024.md"


def content() -> dict:
    return parse_file(DEMO_TEXT).content


def _person(name: str, email: str, role: str, org: Organisation, title: str = "") -> Person:
    # No password: nobody logs in during the bench (links only), and hashing one
    # with PBKDF2 would cost more than the whole transition being measured.
    user = get_user_model().objects.create_user(username=email, email=email)
    person = Person.objects.create(user=user, name=name, email=email)
    RoleAssignment.objects.create(
        person=person,
        role=role,
        organisation=org,
        title=title,
        valid_from=datetime.date(2020, 1, 1),
    )
    return person


@transaction.atomic
def people_create() -> SimpleNamespace:
    lpo = Organisation.objects.create(kind=OrganisationKind.LPO, name="Lokalpolisområde Eslöv")
    hoor = Organisation.objects.create(
        kind=OrganisationKind.KOMMUN, name="Höörs kommun", lokalpolisomrade=lpo
    )
    return SimpleNamespace(
        lpo=lpo,
        hoor=hoor,
        kommunpolis=_person("Karin Polis", "karin@polisen.test", Role.KOMMUNPOLIS, lpo),
        samordnare=_person("Sam Samordnare", "sam@hoor.test", Role.TRYGGHETSSAMORDNARE, hoor),
        sekreterare=_person("Nils Nämnd", "nils@hoor.test", Role.NAMNDSEKRETERARE, hoor),
        ks_chair=_person(
            "Johan Svahnberg", "johan@hoor.test", Role.KS_ORDFORANDE, hoor, "KS ordförande"
        ),
        lpo_chief=_person(
            "Veronica Ek", "veronica@polisen.test", Role.LPO_CHEF, lpo, "Lokalpolisområdeschef"
        ),
    )


def people_get() -> SimpleNamespace:
    by_email = {p.email: p for p in Person.objects.all()}
    return SimpleNamespace(
        lpo=Organisation.objects.get(kind=OrganisationKind.LPO),
        hoor=Organisation.objects.get(kind=OrganisationKind.KOMMUN),
        kommunpolis=by_email["karin@polisen.test"],
        samordnare=by_email["sam@hoor.test"],
        sekreterare=by_email["nils@hoor.test"],
        ks_chair=by_email["johan@hoor.test"],
        lpo_chief=by_email["veronica@polisen.test"],
    )


@contextmanager
def outbox_not_sent():
    """Leave outbox rows pending instead of sending them after commit.

    Setup makes hundreds of e-mails nobody reads; the rows (with their links) are
    what the bench needs. The relay would send them later in production.
    """
    from notifications import services

    kick, kick_keys = services._kick, services._kick_keys
    services._kick = services._kick_keys = lambda _pks_or_keys: None
    try:
        yield
    finally:
        services._kick, services._kick_keys = kick, kick_keys


def draft_create(people: SimpleNamespace, title: str, text: dict) -> Agreement:
    """A new agreement of Höör and its LPO, its version 1 written by the samordnare."""
    return agreement_create(
        kommun=people.hoor,
        lokalpolisomrade=people.lpo,
        kind="operational",
        title=title,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        content=text,
        author=people.samordnare,
        channel=Channel.LOGIN,
        duplicate_reason="Benchmark: många likadana förslag.",
    )


def proposed_create(people: SimpleNamespace, n: int, batch: int = 25) -> list[int]:
    """``n`` agreements as joint proposals, their decision tasks open; returns ids."""
    ids: list[int] = []
    text = content()
    with outbox_not_sent():
        while len(ids) < n:
            with transaction.atomic():
                for _ in range(min(batch, n - len(ids))):
                    agreement = draft_create(
                        people, f"Operativ samverkansöverenskommelse Höör {len(ids) + 1}", text
                    )
                    version = agreement.versions.get()
                    for drafter in (people.samordnare, people.kommunpolis):
                        version_approve(
                            version_id=version.pk, person=drafter, channel=Channel.LOGIN
                        )
                    ids.append(agreement.pk)
    return ids


@dataclass
class OpenTask:
    agreement_id: int
    task_id: int
    version_hash: str


def open_task(agreement_id: int, kind: str) -> OpenTask:
    from workflows.flows import AgreementFlow

    agreement = Agreement.objects.get(pk=agreement_id)
    task = rounds.open_tasks(agreement).get(flow_task=getattr(AgreementFlow, kind))
    return OpenTask(agreement_id, task.pk, agreement.latest_version().content_hash)


def link_tokens(agreement_ids: list[int], person: Person, kind: str) -> list[dict]:
    """The links the task e-mails carry, derived again as the e-mail's rendering does."""
    out = []
    for agreement_id in agreement_ids:
        task = open_task(agreement_id, kind)
        token = ActionToken.objects.get(
            task_id=task.task_id, person=person, used_at=None, revoked_at=None
        )
        path = urlsplit(task_link_url(token.pk)).path
        out.append({"agreement_id": agreement_id, "task_id": task.task_id, "link_path": path})
    return out
