"""A revision that only changes the action plan, decided by a delegate on the
kommunstyrelsen's behalf (issue 13): the nämndsekreterare's protocol task asks for
the anmälan to the KS instead of a justering, and the appeal window runs from the
tillkännagivande of that protocol, or from the decision's own."""

from __future__ import annotations

import copy
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import SAMPLE_CONTENT, login
from tests.workflows.conftest import decide, record_step, task_of
from workflows.decision_status import status_of
from workflows.delegation_rules import action_plan_only
from workflows.models import AgreementState, Decision, DecisionStep
from workflows.models.trail import Channel
from workflows.services import lifecycle
from workflows.services.decision_steps import justering_record
from workflows.services.drafting import version_approve, version_submit
from workflows.services.errors import DomainError

DELEGATED = {"delegation_point": "1.4", "decided_by": "Anna Chef, kommundirektör", "paragraph": ""}


def revised(item_text=None, section_text=None) -> dict:
    content = copy.deepcopy(SAMPLE_CONTENT)
    if item_text:
        content["sections"][1]["items"][0]["text"] = item_text
    if section_text:
        content["sections"][0]["text"] = section_text
    return content


def propose_revision(agreement, people, content) -> None:
    lifecycle.revision_open(agreement_id=agreement.pk, person=people.samordnare, channel="login")
    latest = agreement.latest_version()
    version_submit(
        agreement_id=agreement.pk,
        author=people.samordnare,
        content=content,
        change_note="Ny åtgärd i handlingsplanen",
        seen_latest=latest.number,
        parent_number=latest.number,
        channel=Channel.LOGIN,
    )
    for person in (people.samordnare, people.kommunpolis):
        version = agreement.latest_version()
        version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.REVISION_PROPOSED


@pytest.fixture
def plan_revision(in_force, people):
    propose_revision(in_force, people, revised(item_text="Varje månad, med skolorna."))
    return in_force


def anmal(agreement, person, on, paragraph="§ 112", anslag_on=None, anslag_url=""):
    return justering_record(
        task_id=task_of(agreement, "municipal_protocol").pk,
        person=person,
        version_hash=agreement.latest_version().content_hash,
        justerad_on=on,
        justerare="",
        anslag_on=anslag_on,
        anslag_url=anslag_url,
        channel=Channel.LOGIN,
        paragraph=paragraph,
    )


def test_only_a_change_to_the_areas_and_measures_is_an_action_plan_revision():
    assert action_plan_only(SAMPLE_CONTENT, revised(item_text="Annan text."))
    assert not action_plan_only(SAMPLE_CONTENT, revised(section_text="Nytt syfte."))
    added = revised()
    added["sections"][1]["items"].append({"title": "Ny åtgärd", "text": "Mer ljus."})
    assert action_plan_only(SAMPLE_CONTENT, added)
    renamed = revised()
    renamed["sections"][1]["heading"] = "Insatser"
    assert not action_plan_only(SAMPLE_CONTENT, renamed)


def test_a_delegated_revision_is_anmald_and_appealable_from_the_protocol(plan_revision, people):
    decision = decide(
        plan_revision, "municipal_decision", people.sekreterare, justera=False, **DELEGATED
    )
    assert (decision.delegation_point, decision.paragraph) == ("1.4", "")
    assert decision.decided_by == "Anna Chef, kommundirektör"
    assert "ännu inte anmält till kommunstyrelsen" in status_of(decision).words()
    assert status_of(decision).justering_due is None

    anmal(
        plan_revision,
        people.sekreterare,
        datetime.date(2023, 4, 11),
        anslag_on=datetime.date(2023, 4, 11),
        anslag_url="https://hoor.se/anslagstavla/7",
    )
    steps = {s.kind: s for s in DecisionStep.objects.filter(decision=decision)}
    assert set(steps) == {"anmalan", "anslag"} and steps["anmalan"].paragraph == "112"
    status = status_of(decision, fresh=True)
    assert status.last_appeal_day == datetime.date(2023, 5, 2)
    assert "Överklagbart till och med 2023-05-02" in status.words()

    decide(plan_revision, "police_decision", people.lpo_chief)
    plan_revision.refresh_from_db()
    assert plan_revision.state == AgreementState.REVISION_SIGNING
    out = io.StringIO()
    call_command("verify_trail", "--agreement", str(plan_revision.pk), stdout=out)
    assert out.getvalue().startswith("OK ")
    event = plan_revision.events.get(
        action="decision_recorded", details__track="municipal", version_hash=decision.version_hash
    )
    assert event.details["delegation_point"] == "1.4"


def test_the_protocol_task_asks_for_the_anmalan_instead_of_the_justering(
    plan_revision, people, client
):
    decide(plan_revision, "municipal_decision", people.sekreterare, justera=False, **DELEGATED)
    task = task_of(plan_revision, "municipal_protocol")
    login(client, people.sekreterare)
    url = reverse("workflows:inbox_task", args=[task.pk])
    page = client.get(url).content.decode()
    assert "registrera i stället sammanträdet och paragrafen" in page
    assert "Justerare" not in page and "Registrera anmälan" in page
    done = client.post(
        url,
        {
            "version_hash": plan_revision.latest_version().content_hash,
            "justerad_on": "2023-04-11",
            "paragraph": "§ 112",
        },
    )
    assert done.status_code == 302
    assert DecisionStep.objects.get(kind="anmalan").paragraph == "112"


def decision_page(client, agreement, people) -> str:
    login(client, people.sekreterare)
    task = task_of(agreement, "municipal_decision")
    return client.get(reverse("workflows:inbox_task", args=[task.pk])).content.decode()


def test_the_decision_form_offers_delegation_for_an_action_plan_revision(
    plan_revision, people, client
):
    assert "punkt i delegationsordningen" in decision_page(client, plan_revision, people)


def test_the_decision_form_does_not_offer_delegation_for_a_first_decision(proposed, people, client):
    assert "punkt i delegationsordningen" not in decision_page(client, proposed, people)


def test_a_delegated_decision_needs_a_delegate(plan_revision, people):
    with pytest.raises(DomainError, match="vem som beslutade"):
        decide(
            plan_revision,
            "municipal_decision",
            people.sekreterare,
            justera=False,
            **{**DELEGATED, "decided_by": ""},
        )
    assert not Decision.objects.filter(delegation_point="1.4").exists()


def test_delegation_is_refused_for_a_revision_of_the_agreements_own_text(in_force, people):
    propose_revision(in_force, people, revised(section_text="Ett nytt syfte."))
    with pytest.raises(DomainError, match="handlingsplanen"):
        decide(in_force, "municipal_decision", people.sekreterare, justera=False, **DELEGATED)


def test_delegation_is_refused_for_a_first_decision(proposed, people):
    with pytest.raises(DomainError, match="handlingsplanen"):
        decide(proposed, "municipal_decision", people.sekreterare, justera=False, **DELEGATED)


def test_a_separately_announced_delegated_decision_is_appealable_from_its_own_notice(
    plan_revision, people
):
    decision = decide(
        plan_revision, "municipal_decision", people.sekreterare, justera=False, **DELEGATED
    )
    record_step(plan_revision, people.sekreterare, "anslag", on=datetime.date(2023, 4, 11))
    status = status_of(decision, fresh=True)
    assert status.anmalan is None and status.last_appeal_day == datetime.date(2023, 5, 2)


def test_signing_waits_for_the_anmalan_of_a_delegated_decision(plan_revision, people):
    decide(plan_revision, "municipal_decision", people.sekreterare, justera=False, **DELEGATED)
    decide(plan_revision, "police_decision", people.lpo_chief)
    plan_revision.refresh_from_db()
    assert plan_revision.state == AgreementState.REVISION_PROPOSED
    anmal(plan_revision, people.sekreterare, datetime.date(2023, 4, 11))
    plan_revision.refresh_from_db()
    assert plan_revision.state == AgreementState.REVISION_SIGNING
