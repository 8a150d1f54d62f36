"""The auditor's pages, as the revisor at Höörs kommun (``people.auditor``) uses them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import SAMPLE_CONTENT, login
from tests.workflows.conftest import in_force, proposed, signing  # noqa: F401  (fixtures)
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create


def url(name: str, agreement, *more) -> str:
    return reverse(f"workflows:{name}", args=[agreement.pk, *more])


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words without tags, one space between them: what a reader sees."""
    words = re.sub(r"<[^>]+>", " ", html(response))
    return " ".join(words.split())


@pytest.fixture
def auditor(people) -> Client:
    return login(Client(), people.auditor)


def tamper(sql: str, *params) -> None:
    """Raw SQL past the append-only trigger, as the table's owner could (PostgreSQL)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.fixture
def eslov_agreement(orgs, people):
    """Eslöv and LPO Eslöv: the Höör revisor's organisation is no party to it."""
    return agreement_create(
        kommun=orgs.eslov,
        lokalpolisomrade=orgs.lpo,
        kind="one_part",
        title="Samverkansöverenskommelse Eslöv 2021–2022",
        period_start=datetime.date(2021, 5, 1),
        period_end=datetime.date(2022, 12, 31),
        content=SAMPLE_CONTENT,
        author=people.eslov_samordnare,
        channel=Channel.LOGIN,
    )


@pytest.fixture
def lund_agreement(orgs, people):
    return agreement_create(
        kommun=orgs.lund,
        lokalpolisomrade=orgs.lpo_lund,
        kind="operational",
        title="Samverkansöverenskommelse Lund 2023–2024",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        content=SAMPLE_CONTENT,
        author=people.outsider,
        channel=Channel.LOGIN,
    )
