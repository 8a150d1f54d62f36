"""When a task is due: asked for by the drafters at the joint proposal, moved by a
meeting that tables the matter, counted from the decision for signatures; shown in
the e-mail, the inbox and the confirm page, and what the reminders count from."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxEmail
from tests.conftest import login
from tests.workflows.conftest import decide, task_of
from tests.workflows.test_links import link_to, open_link
from tests.workflows.test_periodic import run_periodic, settle
from workflows.models import AgreementState, DrafterApproval
from workflows.templatetags.samverkan import longdate

TODAY = datetime.date(2023, 4, 11)  # the story's today (tests/conftest.py)
WISH = datetime.date(2023, 5, 22)


def approve(agreement, person, decide_by: str = ""):
    version = agreement.latest_version()
    url = reverse("workflows:version_approve", args=[agreement.pk, version.number])
    return login(Client(), person).post(url, {"decide_by": decide_by})


def propose(agreement, people, capture, decide_by: str = "") -> None:
    with capture(execute=True):
        assert approve(agreement, people.samordnare).status_code == 302
        assert approve(agreement, people.kommunpolis, decide_by).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED


def subjects_to(mailoutbox, person) -> list[str]:
    return [m.subject for m in mailoutbox if person.email in m.to[0]]


def test_the_date_asked_for_at_the_joint_proposal_is_in_the_e_mail_inbox_and_page(
    agreement, people, mailoutbox, django_capture_on_commit_callbacks
):
    propose(agreement, people, django_capture_on_commit_callbacks, WISH.isoformat())
    title = agreement.title
    assert subjects_to(mailoutbox, people.lpo_chief) == [
        f"Beslut senast 22 maj 2023: {title}, version 1"
    ]
    [mail] = [m for m in mailoutbox if people.lpo_chief.email in m.to[0]]
    # The body opens with what to do and by when, then the link; then who waits.
    opening = mail.body.split("\n\n")[1:3]
    assert opening[0].endswith("version 1, senast den 22 maj 2023.")
    assert opening[1].startswith("Läs hela texten och bekräfta här:\nhttp")
    assert "Karin Polis och Sam Samordnare som väntar på dig" in mail.body
    assert "- Sam Samordnare, sam@hoor.test" in mail.body
    assert mail.alternatives[0][0].index("Läs och bekräfta</a>") < mail.alternatives[0][0].index(
        "väntar på dig"
    )
    # The trail keeps the wish, and shows the subject as it was sent.
    approval = agreement.events.filter(action="version_approved").last()
    assert approval.details["decide_by"] == "2023-05-22"
    sent = OutboxEmail.objects.get(
        template="workflows/email/task_link", to_email="veronica@polisen.test"
    )
    assert sent.subject == mail.subject
    trail = login(Client(), people.auditor).get(f"/overenskommelser/{agreement.pk}/beslutsspar/")
    assert mail.subject in trail.content.decode()  # as sent, with its date

    client = login(Client(), people.lpo_chief)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert '<time datetime="2023-05-22">2023-05-22</time>' in inbox
    confirm = Client()
    page = confirm.get(open_link(confirm, link_to(mailoutbox, people.lpo_chief)))
    assert '<time datetime="2023-05-22">22 maj 2023</time>' in page.content.decode()


def test_without_a_date_a_decision_is_due_ten_days_after_the_proposal(
    agreement, people, mailoutbox, django_capture_on_commit_callbacks
):
    propose(agreement, people, django_capture_on_commit_callbacks)
    due = longdate(TODAY + datetime.timedelta(days=10))
    assert subjects_to(mailoutbox, people.lpo_chief) == [
        f"Beslut senast {due}: {agreement.title}, version 1"
    ]
    assert DrafterApproval.objects.filter(decide_by__isnull=False).count() == 0


def test_a_date_in_the_past_is_refused_and_nothing_is_approved(agreement, people):
    response = approve(agreement, people.samordnare, "2023-04-10")
    assert response.status_code == 400
    assert "Datumet då beslut önskas kan inte ligga i det förflutna." in response.content.decode()
    assert not DrafterApproval.objects.exists()
    assert not agreement.events.filter(action="version_approved").exists()


def test_reminders_count_from_the_date_asked_for(
    agreement, people, mailoutbox, django_capture_on_commit_callbacks
):
    """Reminded five days before (REMIND_DAYS_BEFORE_DUE), escalated once it has passed."""
    propose(agreement, people, django_capture_on_commit_callbacks, WISH.isoformat())
    settle(mailoutbox)
    noon = datetime.time(12, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(datetime.datetime.combine(datetime.date(2023, 5, 16), noon)):
        assert "reminders: 0" in run_periodic(django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime.combine(datetime.date(2023, 5, 17), noon)):
        assert "reminders: 2" in run_periodic(django_capture_on_commit_callbacks)
    assert all(m.subject.startswith("Påminnelse – beslut senast 22 maj 2023: ") for m in mailoutbox)
    mailoutbox.clear()
    with time_machine.travel(datetime.datetime.combine(WISH, noon)):
        assert "reminders: 0" in run_periodic(django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime.combine(WISH, noon) + datetime.timedelta(days=1)):
        assert "reminders: 2" in run_periodic(django_capture_on_commit_callbacks)
    assert {m.subject for m in mailoutbox} == {f"Väntar fortfarande: beslut om {agreement.title}"}
    assert all(
        "skulle vara klar senast den 22 maj 2023 men är inte gjord" in m.body for m in mailoutbox
    )


def test_a_tabled_matter_is_due_by_the_next_meeting_and_reminded_again(
    agreement, people, mailoutbox, django_capture_on_commit_callbacks
):
    propose(agreement, people, django_capture_on_commit_callbacks)
    settle(mailoutbox)
    with time_machine.travel(datetime.datetime(2023, 4, 17, 12, tzinfo=datetime.UTC)):
        run_periodic(django_capture_on_commit_callbacks)  # reminded for 21 April
    assert len(subjects_to(mailoutbox, people.sekreterare)) == 1
    mailoutbox.clear()
    next_meeting = datetime.date(2023, 6, 12)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            agreement,
            "municipal_decision",
            people.sekreterare,
            outcome="bordlaggning",
            next_meeting_date=next_meeting,
        )
    assert task_of(agreement, "municipal_decision") is not None
    assert (
        f"Ny länk efter bordläggning – beslut senast 12 juni 2023: {agreement.title}, version 1"
        in subjects_to(mailoutbox, people.sekreterare)
    )
    mailoutbox.clear()
    # When 21 April has passed only the Police's task is escalated: the kommun's
    # date is now the meeting's.
    with time_machine.travel(datetime.datetime(2023, 5, 2, 12, tzinfo=datetime.UTC)):
        run_periodic(django_capture_on_commit_callbacks)
    escalated = agreement.events.filter(action="task_escalated")
    assert [e.details["task"] for e in escalated] == ["police_decision"]
    assert escalated.get().details["due"] == "2023-04-21"
    mailoutbox.clear()
    with time_machine.travel(datetime.datetime(2023, 6, 7, 12, tzinfo=datetime.UTC)):
        run_periodic(django_capture_on_commit_callbacks)
    assert f"Påminnelse – beslut senast 12 juni 2023: {agreement.title}, version 1" in subjects_to(
        mailoutbox, people.sekreterare
    )


def test_a_signature_is_due_two_weeks_after_the_decision(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, "municipal_decision", people.sekreterare)
        decide(proposed, "police_decision", people.lpo_chief)
    assert f"Underskrift senast 25 april 2023: {proposed.title}, version 1" in subjects_to(
        mailoutbox, people.ks_chair
    )
