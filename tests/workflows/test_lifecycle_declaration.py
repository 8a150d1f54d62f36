"""The lifecycles are declared once, and everything else reads the declaration: the
generated docs, django-fsm's own introspection, and no state test anywhere else."""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from promises.lifecycle import PROMISE_SET
from promises.models import PromiseSet
from tests.conftest import SAMPLE_CONTENT
from tests.workflows.conftest import decide
from tests.workflows.test_links import link_to
from tests.workflows.test_pages import html
from workflows.agreement_lifecycle import AGREEMENT
from workflows.lifecycle_docs import render
from workflows.models import Agreement
from workflows.models.trail import Channel
from workflows.services import lifecycle
from workflows.services.drafting import version_approve, version_submit

ROOT = Path(settings.BASE_DIR)


def test_the_committed_lifecycle_docs_are_what_the_declaration_writes():
    committed = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    assert committed == render(), "run: manage.py lifecycle_docs"


def test_the_docs_show_every_edge_of_every_declaration():
    text = render()
    for declared in (AGREEMENT, PROMISE_SET):
        for edge in declared.edges:
            assert f"| `{edge.name}` |" in text
            for source in edge.source if edge.changes_state else ():
                assert f"    {source} --> {edge.target}: {edge.name}" in text


@pytest.mark.parametrize("model, declared", [(Agreement, AGREEMENT), (PromiseSet, PROMISE_SET)])
def test_django_fsm_reports_exactly_the_declared_edges(model, declared):
    reported = {(t.source, t.target, t.name) for t in model().get_all_state_transitions()}
    expected = {
        (source, edge.target, edge.name) for edge in declared.edges for source in edge.source
    }
    assert reported == expected


@pytest.mark.parametrize("model, declared", [(Agreement, AGREEMENT), (PromiseSet, PROMISE_SET)])
def test_django_fsm_offers_in_each_state_exactly_the_edges_declared_from_it(model, declared):
    document = model()
    document.period_start, document.period_end = (
        datetime.date(2000, 1, 1),
        datetime.date(2999, 1, 1),
    )
    for state in declared.states:
        document.__dict__["state"] = state.value  # as a row read in that state (protected field)
        offered = {t.name for t in document.get_available_state_transitions()}
        expected = {
            edge.name
            for edge in declared.edges
            if state.value in edge.source and (edge.guard is None or edge.guard(document))
        }
        assert offered == expected, state.value


def test_state_labels_come_from_the_declaration():
    assert [(value, str(label)) for value, label in Agreement._meta.get_field("state").choices] == [
        (state.value, str(state.label)) for state in AGREEMENT.states
    ]


# -- nothing outside the declaration tests a state ----------------------------------------

SCANNED = [
    *ROOT.glob("workflows/views/*.py"),
    *ROOT.glob("workflows/services/*.py"),
    *ROOT.glob("workflows/templates/**/*.html"),
    *ROOT.glob("workflows/*.py"),
    *ROOT.glob("promises/views/*.py"),
    *ROOT.glob("promises/services/*.py"),
    *ROOT.glob("promises/templates/**/*.html"),
    *ROOT.glob("promises/*.py"),
    *ROOT.glob("notifications/**/*.py"),
    *ROOT.glob("project/templates/**/*.html"),
]
# The declarations themselves, and the shape they share.
DECLARATIONS = {"agreement_lifecycle.py", "lifecycle.py", "statemachine.py"}
STATE_TESTS = re.compile(
    r"\.state\s*(==|!=|\bin\b|\bnot in\b)"  # agreement.state == …, .state in (…)
    r"|state__in\s*=\s*(?!AGREEMENT\.|PROMISE_SET\.)"  # a filter on states listed here
    r"|\bstate\s*=\s*(AgreementState|PromiseSetState)\."  # filter(state=AgreementState.X)
    r"|(AgreementState|PromiseSetState)\.[A-Z_]+"  # a named state outside the declaration
    r"|\.phase\s*(==|!=|\bin\b)"  # a phase compared by hand
    r"|\{%[^%]*\b(state|phase)\s*(==|!=|\bin\b)"  # {% if state == "in_force" %}
)


def _state_tests() -> list[str]:
    found = []
    for path in SCANNED:
        if path.name in DECLARATIONS and "templates" not in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if STATE_TESTS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_template_view_or_service_tests_a_state_outside_the_declaration():
    assert _state_tests() == []


def test_the_scan_catches_each_kind_of_state_test(tmp_path):
    for line in (
        'if agreement.state == "in_force":',
        "if agreement.state in (S.SIGNED, S.IN_FORCE):",
        "Agreement.objects.filter(state__in=IN_FORCE_STATES)",
        "Agreement.objects.filter(state=AgreementState.SIGNED)",
        '{% if agreement.state == "proposed" %}',
        '{% elif agreement.phase == "signing" %}',
        "if promise_set.state != PromiseSetState.PUBLISHED:",
    ):
        assert STATE_TESTS.search(line), line
    for line in (
        "Agreement.objects.filter(AGREEMENT.q_can('expire'))",
        "if agreement.allows('renew'):",
        "found.filter(state=search.state)",
        "AuditEvent.objects.filter(to_state__in=AGREEMENT.values_with(APPLIES))",
    ):
        assert not STATE_TESTS.search(line), line


# -- the link-problem pages in a revision round ---------------------------------------


def _revision(text: str, agreement, people):
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][2]["text"] = text
    latest = agreement.latest_version()
    return version_submit(
        agreement_id=agreement.pk,
        author=people.samordnare,
        content=content,
        change_note="Reviderad",
        seen_latest=latest.number,
        parent_number=latest.number,
        channel=Channel.LOGIN,
    )


@pytest.fixture
def revision_proposed(in_force, people, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revision_open(agreement_id=in_force.pk, person=people.samordnare, channel="login")
        version = _revision("Lokala BRÅ följer upp varje tertial.", in_force, people)
        for person in (people.samordnare, people.kommunpolis):
            version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)
    in_force.refresh_from_db()
    assert in_force.state == "revision_proposed"
    return in_force


def test_an_expired_link_in_a_revision_round_says_the_task_still_waits(
    revision_proposed, people, mailoutbox
):
    path = link_to(mailoutbox, people.lpo_chief)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = Client().get(path)
    assert response.status_code == 410
    assert "Uppgiften finns kvar och väntar på dig." in html(response)


def test_a_superseded_link_in_a_revision_round_says_the_new_link_was_already_sent(
    revision_proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    old = link_to(mailoutbox, people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        version = _revision("Lokala BRÅ följer upp varje månad.", revision_proposed, people)
        for person in (people.samordnare, people.kommunpolis):
            version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)
    text = html(Client().get(old))
    assert "version 3 gäller nu" in text
    assert "en ny länk har skickats" in text
    assert "En ny länk skickas när" not in text


def test_a_finished_link_in_a_revision_round_shows_the_revision_state(
    revision_proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    path = link_to(mailoutbox, people.lpo_chief)
    with django_capture_on_commit_callbacks(execute=True):
        decide(revision_proposed, "police_decision", people.lpo_chief)
    response = Client().get(path)
    assert response.status_code == 410
    text = html(response)
    assert "Uppgiften är redan avslutad" in text
    assert "Gällande, revidering inväntar beslut" in text


def test_a_signing_round_of_a_revision_still_offers_the_signatories_their_task(
    revision_proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(revision_proposed, "municipal_decision", people.sekreterare)
        decide(revision_proposed, "police_decision", people.lpo_chief)
    path = link_to(mailoutbox, people.ks_chair)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        text = html(Client().get(path))
    assert "Uppgiften finns kvar och väntar på dig." in text


def test_every_state_but_a_rejection_has_one_stage_in_the_step_bar():
    staged = [value for stage in AGREEMENT.stages for value in stage.states]
    assert len(staged) == len(set(staged))
    unstaged = {state.value for state in AGREEMENT.states} - set(staged)
    assert unstaged == {"rejected"}
    assert AGREEMENT.stage_bar("rejected") == []
    revision = AGREEMENT.stage_bar("revision_proposed")  # still in force
    assert [mark.current for mark in revision] == [False, False, False, False, True, False]
