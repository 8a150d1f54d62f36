"""The demo: Höör's medborgarlöften 2023–2024, published through the real services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from promises import demo
from promises.models import PromiseFollowUp, PromiseSetState
from tests.promises.test_public import PROMISE_HEADING
from tests.workflows.test_pages import html
from workflows.models import AuditEvent
from workflows.services.trail import chain_verify


@pytest.fixture
def demo_data(db):
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_the_demo_publishes_hoors_four_promises_with_one_follow_up(
    db, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", stdout=out)
    assert "Publicerade: Medborgarlöften 2023–2024, Höörs kommun" in out.getvalue()
    promise_set = demo.load(stdout=io.StringIO())  # again: finds the same set
    assert promise_set.state == PromiseSetState.PUBLISHED
    assert promise_set.period == "2023–2024"
    assert promise_set.agreement.kind == "operational"
    titles = list(promise_set.promises.order_by("position").values_list("title", flat=True))
    assert len(titles) == 4
    assert PromiseFollowUp.objects.get().promise.title == titles[1]
    assert {a.signed_on.isoformat() for a in promise_set.answers.all()} == {"2023-04-11"}
    assert chain_verify(promise_set.agreement_id).ok

    page = Client().get(reverse("promises:public_kommun", args=["hoor"]))
    assert PROMISE_HEADING.findall(html(page)) == titles
    assert "Pågår" in html(page)
    # Decided by the KS-ordförande on delegation, anmäld and laga kraft.
    assert "delegationsbeslut" in html(page) and "Laga kraft sedan 2023-06-03." in html(page)


def test_loading_the_demo_twice_changes_nothing(demo_data):
    first = demo.load()
    events = AuditEvent.objects.count()
    out = io.StringIO()
    assert demo.load(stdout=out) == first
    assert "Fanns redan" in out.getvalue()
    assert AuditEvent.objects.count() == events


def test_the_demo_needs_the_demo_agreement(db):
    with pytest.raises(LookupError, match="load_demo"):
        demo.load()
