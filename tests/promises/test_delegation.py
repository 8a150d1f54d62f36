"""A medborgarlöften decision taken by delegation (issue 13): the KS-ordförande
decides on the kommunstyrelsen's behalf, the nämndsekreterare gets a task to report
it (anmälan) to the KS, and the appeal window runs from the tillkännagivande of the
protocol it was anmält in, or from its own. The set's page and the public page show
where it stands in law, as the agreement's page does for a KS decision."""

from __future__ import annotations

import datetime
import io
from email.utils import parseaddr

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from promises.models import DelegationStep, PromiseAnswer
from promises.services import periodic
from promises.services.delegation import laga_kraft_confirm
from tests.audit.conftest import tamper
from tests.conftest import PASSWORD, login
from tests.promises.conftest import anmal, sign, task_of
from workflows.models.trail import Channel
from workflows.services.errors import DomainError, NotPermitted

MEETING = datetime.date(2023, 5, 8)  # the KS meeting the decision was anmäld at
ANNOUNCED = datetime.date(2023, 5, 12)  # the justerade protocol posted
LAST_DAY = "2023-06-02"  # three weeks from the announcement

MAY = datetime.datetime(2023, 5, 15, 12, tzinfo=datetime.UTC)


def to(mailoutbox, person, subject: str) -> list:
    return [
        m
        for m in mailoutbox
        if parseaddr(m.to[0])[1] == person.email and m.subject.startswith(subject)
    ]


def page(client, promise_set) -> str:
    url = reverse("promises:set_detail", args=[promise_set.agreement_id, promise_set.pk])
    return client.get(url).content.decode()


def public(client, promise_set) -> str:
    from promises.selectors import kommun_slug

    url = reverse("promises:public_kommun", args=[kommun_slug(promise_set.agreement.kommun)])
    return client.get(url).content.decode()


def test_a_delegated_decision_gives_the_namndsekreterare_an_anmalan_task(
    delegated_set, people, mailoutbox, client
):
    task = task_of(delegated_set, "promises_anmalan")
    (mail,) = to(mailoutbox, people.sekreterare, "Anmäl delegationsbeslutet")
    set_path = reverse("promises:set_detail", args=[delegated_set.agreement_id, delegated_set.pk])
    assert f"{set_path}#delegation" in mail.body
    assert "1.4 i delegationsordningen" in mail.body and "/l/" not in mail.body

    login(client, people.sekreterare)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert "Anmäl delegationsbeslutet om medborgarlöften till kommunstyrelsen" in inbox
    opened = client.get(reverse("workflows:inbox_task", args=[task.pk]))
    assert opened.status_code == 302 and opened.url == f"{set_path}#delegation"
    shown = page(client, delegated_set)
    assert "Registrera anmälan" in shown and "ännu inte anmält till kommunstyrelsen" in shown

    # The drafters see where it stands but get no form; the set is public already.
    login(client, people.samordnare)
    assert "Registrera anmälan" not in page(client, delegated_set)
    assert "ännu inte anmält till kommunstyrelsen" in public(client, delegated_set)


def test_the_anmalan_starts_the_appeal_window_seen_on_both_pages(
    delegated_set, people, client, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    login(client, people.sekreterare)
    url = reverse("promises:anmalan", args=[delegated_set.agreement_id, delegated_set.pk])
    with time_machine.travel(MAY, tick=True), django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {"meeting_date": MEETING, "paragraph": "§ 112", "announced_on": ANNOUNCED},
        )
        assert done.status_code == 302
        shown = page(client, delegated_set)
        assert f"Överklagbart till och med {LAST_DAY}, ännu inte laga kraft." in shown
        assert f"Överklagbart till och med {LAST_DAY}" in public(client, delegated_set)
        assert "Bekräfta laga kraft" not in shown and "Registrera anmälan" not in shown
    assert not task_of_open(delegated_set)
    step = DelegationStep.objects.get()
    assert (step.on, step.paragraph, step.announced_on) == (MEETING, "112", ANNOUNCED)
    event = delegated_set.agreement.events.get(action="promises_delegation_step")
    assert event.details["last_appeal_day"] == LAST_DAY
    told = to(mailoutbox, people.ks_chair, "Delegationsbeslutet anmält")
    assert told and "Sista dag att överklaga är 2 juni 2023" in told[0].body
    assert to(mailoutbox, people.samordnare, "Delegationsbeslutet anmält")


def task_of_open(promise_set) -> bool:
    from promises.services import rounds

    return rounds.open_tasks(promise_set).exists()


def test_laga_kraft_is_confirmed_after_the_window_and_shown_publicly(delegated_set, people, client):
    anmal(delegated_set, people.sekreterare, MEETING, ANNOUNCED)
    with pytest.raises(DomainError, match=f"går ut {LAST_DAY}"):
        laga_kraft_confirm(
            set_id=delegated_set.pk,
            person=people.sekreterare,
            on=datetime.date(2023, 6, 2),
            channel=Channel.LOGIN,
        )
    login(client, people.sekreterare)
    assert "Överklagandetiden har gått ut (2023-06-02)" in page(client, delegated_set)
    url = reverse("promises:laga_kraft", args=[delegated_set.agreement_id, delegated_set.pk])
    assert client.post(url, {"on": "2023-06-03"}).status_code == 302
    assert "Laga kraft sedan 2023-06-03." in public(client, delegated_set)
    assert "Bekräfta laga kraft" not in page(client, delegated_set)
    again = client.post(url, {"on": "2023-06-04"})
    assert again.status_code == 400 and DelegationStep.objects.count() == 2


def test_only_the_namndsekreterare_records_the_anmalan_and_laga_kraft(
    delegated_set, people, client
):
    for person in (people.samordnare, people.ks_chair, people.lpo_chief):
        with pytest.raises(NotPermitted):
            anmal(delegated_set, person, MEETING, ANNOUNCED)
    login(client, people.kommunpolis)
    url = reverse("promises:anmalan", args=[delegated_set.agreement_id, delegated_set.pk])
    refused = client.post(
        url, {"meeting_date": MEETING, "paragraph": "1", "announced_on": ANNOUNCED}
    )
    assert refused.status_code == 403 and not DelegationStep.objects.exists()
    with pytest.raises(NotPermitted):
        laga_kraft_confirm(
            set_id=delegated_set.pk, person=people.samordnare, on=None, channel=Channel.LOGIN
        )


@pytest.mark.parametrize(
    ("meeting", "announced", "separately", "message"),
    [
        (datetime.date(2023, 4, 10), ANNOUNCED, False, "före det fattades"),
        (MEETING, datetime.date(2023, 5, 5), False, "före 2023-05-08"),
        (MEETING, datetime.date(2023, 4, 10), True, "före 2023-04-11"),
        (MEETING, datetime.date(2024, 1, 2), False, "framtiden"),
    ],
)
def test_an_anmalan_that_contradicts_its_dates_is_refused(
    delegated_set, people, meeting, announced, separately, message
):
    with pytest.raises(DomainError, match=message):
        anmal(delegated_set, people.sekreterare, meeting, announced, separately=separately)
    assert not DelegationStep.objects.exists() and task_of_open(delegated_set)


def test_a_separate_announcement_before_the_meeting_starts_the_window(delegated_set, people):
    anmal(delegated_set, people.sekreterare, MEETING, datetime.date(2023, 4, 14), separately=True)
    from promises.delegation import delegated_decision

    assert delegated_decision(delegated_set).last_appeal_day == datetime.date(2023, 5, 5)


def test_only_the_ks_ordforande_decides_by_delegation(proposed_set, people):
    with pytest.raises(DomainError, match="Bara kommunstyrelsens ordförande"):
        sign(proposed_set, "promises_lpo", people.lpo_chief, delegation_point="2.1")
    assert not PromiseAnswer.objects.exists()


def test_a_set_decided_without_delegation_has_no_anmalan(published_set, people, client):
    assert not task_of_open(published_set)
    login(client, people.sekreterare)
    assert "Delegationsbeslut" not in page(client, published_set)
    assert "överklag" not in public(client, published_set).lower()


def test_the_namndsekreterare_is_reminded_of_the_anmalan(
    delegated_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=6)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert periodic.promise_tasks_remind() == 1
    (reminder,) = to(mailoutbox, people.sekreterare, "Anmäl delegationsbeslutet")
    assert "Påminnelse: anmälan är ännu inte registrerad." in reminder.body


def test_the_delegation_is_verified_with_the_trail(delegated_set, people):
    anmal(delegated_set, people.sekreterare, MEETING, ANNOUNCED)
    out = io.StringIO()
    call_command("verify_trail", "--agreement", str(delegated_set.agreement_id), stdout=out)
    assert out.getvalue().startswith("OK ")
    answer = PromiseAnswer.objects.get(role="ks_ordforande")
    event = delegated_set.agreement.events.get(
        action="promises_signed", details__role="ks_ordforande"
    )
    assert event.details["delegation_point"] == "1.4"
    tamper("UPDATE promises_promiseanswer SET delegation_point = '9.9' WHERE id = %s", answer.pk)
    with pytest.raises(CommandError, match="delegation_point"):
        call_command("verify_trail", "--agreement", str(delegated_set.agreement_id), stdout=out)


def test_the_ks_ordforande_names_the_delegation_on_the_confirm_page(proposed_set, people, client):
    lpo_task = task_of(proposed_set, "promises_lpo")
    login(client, people.lpo_chief)
    lpo_page = client.get(reverse("workflows:inbox_task", args=[lpo_task.pk])).content.decode()
    assert "delegationsordningen" not in lpo_page

    task = task_of(proposed_set, "promises_ks")
    login(client, people.ks_chair)
    url = reverse("workflows:inbox_task", args=[task.pk])
    assert (
        "Beslutat på delegation: punkt i delegationsordningen" in client.get(url).content.decode()
    )
    done = client.post(
        url,
        {
            "version_hash": proposed_set.content_hash,
            "answer": "signed",
            "place": "Höör",
            "signed_on": "2023-04-11",
            "password": PASSWORD,
            "delegation_point": " 1.4 ",
        },
    )
    assert done.status_code == 302
    assert PromiseAnswer.objects.get().delegation_point == "1.4"


def test_the_anmalan_task_and_its_outcome_are_mailed_in_english_to_who_chose_it(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    for person in (people.sekreterare, people.samordnare):
        person.language = "en"
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        sign(proposed_set, "promises_ks", people.ks_chair, delegation_point="1.4")
        sign(proposed_set, "promises_lpo", people.lpo_chief)
    (task,) = to(mailoutbox, people.sekreterare, "Report the delegated decision")
    assert "point 1.4 of the delegation rules" in task.body and "Hej" not in task.body
    with django_capture_on_commit_callbacks(execute=True):
        anmal(proposed_set, people.sekreterare, MEETING, ANNOUNCED)
    (told,) = to(mailoutbox, people.samordnare, "Delegated decision reported")
    assert "The last day to appeal is 2 June 2023." in told.body
