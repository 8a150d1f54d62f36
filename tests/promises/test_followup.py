"""Following published promises up during the year, the yearly report, and the
reminder for a signatory who has not answered."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from promises.models import ImmutablePromise, PromiseFollowUp, PromiseReport
from promises.services.followup import follow_up_add, report_add
from tests.promises.conftest import links_to
from workflows.models import AuditEvent
from workflows.models.trail import Channel
from workflows.services.errors import DomainError, NotPermitted, WrongState
from workflows.services.trail import chain_verify

DAY = datetime.date(2023, 10, 1)


def add(promise, person, status="ongoing", comment="Arbetet har börjat.", day=DAY):
    return follow_up_add(
        promise_id=promise.pk,
        author=person,
        status=status,
        comment=comment,
        reported_on=day,
        channel=Channel.LOGIN,
    )


def report(promise_set, person, year=2023, summary="Ett bra första år."):
    return report_add(
        set_id=promise_set.pk, author=person, year=year, summary=summary, channel=Channel.LOGIN
    )


def test_a_drafter_follows_a_promise_up_and_the_other_drafter_is_told(
    published_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    promise = published_set.promises.get(position=1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = add(promise, people.kommunpolis, comment="Två nya områden.")
    assert (follow_up.status, follow_up.reported_on) == ("ongoing", DAY)
    event = AuditEvent.objects.get(action="promise_followed_up")
    assert (event.object_type, event.object_id) == ("promiseset", str(published_set.pk))
    assert event.details["status"] == "ongoing"
    assert event.details["comment"] == "Två nya områden."
    assert [m.subject for m in mailoutbox] == [
        "Uppföljning: Grannsamverkan mot brott, Höörs kommun"
    ]
    assert "sam@hoor.test" in mailoutbox[0].to[0]
    assert chain_verify(published_set.agreement_id).ok


def test_only_published_promises_are_followed_up(proposed_set, people):
    with pytest.raises(WrongState):
        add(proposed_set.promises.first(), people.samordnare)


def test_only_the_drafters_follow_up(published_set, people):
    promise = published_set.promises.first()
    for person in (people.ks_chair, people.lpo_chief, people.auditor, people.outsider):
        with pytest.raises(NotPermitted):
            add(promise, person)
    assert not PromiseFollowUp.objects.exists()


def test_a_follow_up_needs_a_status_a_comment_and_a_date_not_ahead(published_set, people):
    promise = published_set.promises.first()
    with pytest.raises(DomainError, match="läge"):
        add(promise, people.samordnare, status="nearly")
    with pytest.raises(DomainError, match="kommentar"):
        add(promise, people.samordnare, comment="  ")
    with pytest.raises(DomainError, match="datum"):
        add(promise, people.samordnare, day=timezone.localdate() + datetime.timedelta(days=1))


def test_the_yearly_report_keeps_each_promises_status_as_it_was(published_set, people):
    first, second = published_set.promises.order_by("position")
    add(first, people.samordnare, status="not_started", day=datetime.date(2023, 5, 1))
    add(first, people.samordnare, status="done", day=datetime.date(2023, 11, 1))
    written = report(published_set, people.kommunpolis)
    assert written.statuses == [
        {"promise": first.pk, "title": first.title, "status": "done", "reported_on": "2023-11-01"},
        {"promise": second.pk, "title": second.title, "status": "", "reported_on": ""},
    ]
    add(second, people.samordnare, status="ongoing", day=datetime.date(2023, 12, 1))
    assert PromiseReport.objects.get().statuses[1]["status"] == ""  # as it was when written
    event = AuditEvent.objects.get(action="promises_reported")
    assert event.details["statuses"] == written.statuses
    assert event.details["summary"] == "Ett bra första år."


def test_one_report_per_year_within_the_promises_period(published_set, people):
    report(published_set, people.samordnare, year=2023)
    with pytest.raises(DomainError, match="redan skriven"):
        report(published_set, people.kommunpolis, year=2023)
    with pytest.raises(DomainError, match="2023–2024"):
        report(published_set, people.kommunpolis, year=2025)
    with pytest.raises(DomainError, match="sammanfattning"):
        report(published_set, people.kommunpolis, year=2024, summary=" ")
    report(published_set, people.kommunpolis, year=2024)
    assert list(PromiseReport.objects.values_list("year", flat=True)) == [2023, 2024]


def test_follow_ups_and_reports_are_never_changed(published_set, people):
    follow_up = add(published_set.promises.first(), people.samordnare)
    follow_up.comment = "Omskrivet"
    with pytest.raises(ImmutablePromise):
        follow_up.save()
    written = report(published_set, people.samordnare)
    with pytest.raises(ImmutablePromise):
        written.delete()


def run_periodic(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("run_periodic", stdout=out)
    return out.getvalue()


def test_a_signatory_who_has_not_answered_is_reminded_once_with_a_fresh_link(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    def run() -> str:
        return run_periodic(django_capture_on_commit_callbacks)

    later = timezone.now() + datetime.timedelta(days=settings.REMINDER_AFTER_DAYS + 1)
    with time_machine.travel(later):
        assert "promise_reminders: 2" in run()
        assert "promise_reminders: 0" in run()
    links = links_to(mailoutbox, people.ks_chair)
    assert len(links) == 2 and links[0] != links[1]
    reminder = [m for m in mailoutbox if m.subject.startswith("Påminnelse")]
    assert len(reminder) == 2
    event = AuditEvent.objects.filter(action="promises_task_reminder").first()
    assert event.details["waiting_for"] in (["Johan Svahnberg"], ["Veronica Ek"])
    assert chain_verify(proposed_set.agreement_id).ok


def test_a_promise_task_still_open_after_the_escalation_days_is_escalated_once_to_the_drafters(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    def run() -> str:
        return run_periodic(django_capture_on_commit_callbacks)

    opened = timezone.now()
    with time_machine.travel(opened + datetime.timedelta(days=settings.REMINDER_AFTER_DAYS + 1)):
        run()
    mailoutbox.clear()
    with time_machine.travel(opened + datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS + 1)):
        assert "promise_reminders: 2" in run()
        assert "promise_reminders: 0" in run()
    told = [m for m in mailoutbox if m.subject.startswith("Väntar fortfarande")]
    drafters = ['"Karin Polis" <karin@polisen.test>', '"Sam Samordnare" <sam@hoor.test>']
    assert sorted(m.to[0] for m in told) == sorted(drafters * 2)  # two tasks, both drafters
    assert "Johan Svahnberg" in told[0].body or "Veronica Ek" in told[0].body
    events = AuditEvent.objects.filter(action="promises_task_escalated")
    assert events.count() == 2
    assert all(isinstance(i, int) for e in events for i in e.details["waiting_for"])
    assert chain_verify(proposed_set.agreement_id).ok


def test_a_link_email_that_fails_for_good_alerts_the_drafters(
    draft_set, people, settings, django_capture_on_commit_callbacks
):
    from notifications.models import OutboxEmail
    from tests.promises.conftest import approve

    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        approve(draft_set, people.samordnare)
        approve(draft_set, people.kommunpolis)
    failed = OutboxEmail.objects.filter(template="promises/email/task_link", status="failed")
    assert failed.count() == 2
    alerts = OutboxEmail.objects.filter(template="workflows/email/email_failed")
    assert alerts.count() == 2 * 2
    assert {a.to_email for a in alerts} == {people.kommunpolis.email, people.samordnare.email}
