"""Periodic jobs read what is due from the database: twice, late or after a gap,
they neither repeat an e-mail nor miss a transition."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from notifications.services import outbox_relay
from tests.workflows.conftest import sign, without_decision_reminders
from workflows.models import Agreement, AgreementState
from workflows.services import rounds

STOCKHOLM_NOON = "T12:00:00+01:00"


def settle(mailoutbox) -> None:
    """Send what the setup left in the outbox (its commits never ran), then forget it."""
    outbox_relay()
    mailoutbox.clear()


def run_periodic(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("run_periodic", stdout=out)
    return out.getvalue()


@pytest.fixture
def signed_ahead(signing, people):
    """Both signatures in, with the start date still ahead: signed, not in force."""
    Agreement.objects.filter(pk=signing.pk).update(
        period_start=datetime.date(2031, 1, 1), period_end=datetime.date(2032, 12, 31)
    )
    signing.refresh_from_db()
    sign(signing, "ks_signature", people.ks_chair)
    sign(signing, "lpo_signature", people.lpo_chief, place="Eslöv")
    signing.refresh_from_db()
    assert signing.state == AgreementState.SIGNED
    return signing


def test_a_signed_agreement_comes_into_force_on_its_start_date_once(
    signed_ahead, django_capture_on_commit_callbacks, mailoutbox
):
    settle(mailoutbox)
    with time_machine.travel("2030-12-31" + STOCKHOLM_NOON):
        run_periodic(django_capture_on_commit_callbacks)
    signed_ahead.refresh_from_db()
    assert signed_ahead.state == AgreementState.SIGNED
    assert without_decision_reminders(mailoutbox) == []
    mailoutbox.clear()

    # A week late, run twice: one transition, one set of e-mails.
    with time_machine.travel("2031-01-07" + STOCKHOLM_NOON):
        first = run_periodic(django_capture_on_commit_callbacks)
        second = run_periodic(django_capture_on_commit_callbacks)
    assert "entered_into_force: 1" in first and "entered_into_force: 0" in second
    signed_ahead.refresh_from_db()
    assert signed_ahead.state == AgreementState.IN_FORCE
    assert signed_ahead.events.filter(action="entered_into_force").count() == 1
    told = without_decision_reminders(mailoutbox)
    subjects = [m.subject for m in told]
    assert len(subjects) == len(set(m.to[0] for m in told)) > 0
    assert all(s.startswith("Gäller från i dag") for s in subjects)


def test_an_open_task_is_reminded_once_then_escalated_once_to_the_drafters(
    proposed, people, django_capture_on_commit_callbacks, mailoutbox
):
    opened = timezone.now()
    settle(mailoutbox)
    with time_machine.travel(opened + datetime.timedelta(days=4)):
        assert "reminders: 0" in run_periodic(django_capture_on_commit_callbacks)
    assert mailoutbox == []

    with time_machine.travel(opened + datetime.timedelta(days=5, hours=1)):
        run_periodic(django_capture_on_commit_callbacks)
        run_periodic(django_capture_on_commit_callbacks)
    reminded = sorted(m.to[0] for m in mailoutbox)
    assert reminded == [
        '"Johan Svahnberg" <johan@hoor.test>',
        '"Nils Nämnd" <nils@hoor.test>',
        '"Veronica Ek" <veronica@polisen.test>',
    ]
    assert all(m.subject.startswith("Påminnelse") and "/l/" in m.body for m in mailoutbox)

    mailoutbox.clear()
    with time_machine.travel(opened + datetime.timedelta(days=12)):
        run_periodic(django_capture_on_commit_callbacks)
        run_periodic(django_capture_on_commit_callbacks)
    escalated = sorted((m.to[0], m.subject) for m in mailoutbox)
    drafters = ['"Karin Polis" <karin@polisen.test>', '"Sam Samordnare" <sam@hoor.test>']
    # Two open tasks, each escalated once to both drafters.
    assert [to for to, _ in escalated] == sorted(drafters * 2)
    assert all(subject.startswith("Väntar fortfarande") for _, subject in escalated)
    assert proposed.events.filter(action="task_escalated").count() == 2


def test_a_done_task_gets_no_reminder(
    proposed, people, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.workflows.conftest import decide

    decide(proposed, "police_decision", people.lpo_chief)
    settle(mailoutbox)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        run_periodic(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == [
        '"Johan Svahnberg" <johan@hoor.test>',
        '"Nils Nämnd" <nils@hoor.test>',
    ]
    assert [t.flow_task.name for t in rounds.open_tasks(proposed)] == ["municipal_decision"]


def test_a_task_email_that_fails_for_good_alerts_the_drafters(
    agreement, people, settings, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.models import OutboxEmail
    from workflows.models.trail import Channel
    from workflows.services.drafting import version_approve

    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    version = agreement.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        version_approve(version_id=version.pk, person=people.samordnare, channel=Channel.LOGIN)
        version_approve(version_id=version.pk, person=people.kommunpolis, channel=Channel.LOGIN)
    failed_links = OutboxEmail.objects.filter(template="workflows/email/task_link", status="failed")
    assert failed_links.count() == 3
    alerts = OutboxEmail.objects.filter(template="workflows/email/email_failed")
    # One alert per failed link and drafter (the alerts themselves fail here too,
    # but they are not task links, so they raise no further alerts).
    assert alerts.count() == 3 * 2
    assert {a.to_email for a in alerts} == {people.kommunpolis.email, people.samordnare.email}
