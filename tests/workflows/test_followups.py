"""Follow-up: due dates on the cadence, reports drafted and handed in, reminders and
escalation, the yearly question about revision, and revising from a report."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from notifications.services import outbox_relay
from tests.conftest import SAMPLE_CONTENT, login, postgres_only
from tests.workflows.conftest import sign, without_decision_reminders
from workflows import followup_rules as rules
from workflows import legal_dates, selectors
from workflows.models import Agreement, AgreementState, FollowUpReport, ReportState
from workflows.models.followups import ImmutableReport
from workflows.models.trail import Channel
from workflows.services import followups, sealing
from workflows.services.errors import DomainError, NotPermitted, StaleVersion, WrongState
from workflows.trail_actions import action_label

D = datetime.date
# The fixture agreement runs 2023-01-01 – 2024-12-31. Followed up each tertial, its
# reports are due on these days (30 April 2023 is a Sunday and 1 May a holiday;
# 31 December 2023 a Sunday and 1 January a holiday; 31 August 2024 a Saturday;
# 31 December 2024 is New Year's Eve).
TERTIAL_DUE = [
    D(2023, 5, 2),
    D(2023, 8, 31),
    D(2024, 1, 2),
    D(2024, 4, 30),
    D(2024, 9, 2),
    D(2025, 1, 2),
]
[ITEM] = rules.items_from(SAMPLE_CONTENT, {})
KEY = ITEM["key"]


def at(day: str):
    """Noon in Stockholm on that day (13:00 in summer time: the same date)."""
    return time_machine.travel(f"{day}T12:00:00+01:00")


def bring_into_force(signing, people, day: str, cadence: str = "tertial"):
    Agreement.objects.filter(pk=signing.pk).update(follow_up_cadence=cadence)
    signing.refresh_from_db()
    with at(day):
        signed_on = datetime.date.fromisoformat(day)
        sign(signing, "ks_signature", people.ks_chair, signed_on=signed_on)
        sign(signing, "lpo_signature", people.lpo_chief, place="Eslöv", signed_on=signed_on)
        sealing.version_seal(signing.latest_version().pk)  # the worker after the commit
    signing.refresh_from_db()
    assert signing.state == AgreementState.IN_FORCE
    return signing


@pytest.fixture
def tertial(signing, people):
    """The fixture agreement in force since 2023-04-11, followed up each tertial."""
    return bring_into_force(signing, people, "2023-04-11")


@pytest.fixture
def yearly(signing, people):
    return bring_into_force(signing, people, "2023-04-11", cadence="yearly")


def written(status="enligt_plan", comment="Två vandringar genomförda.", **more):
    fields = {"analysis": "Otryggheten i centrum har minskat.", **more}
    return followups.ReportInput(entries={KEY: {"status": status, "comment": comment}}, **fields)


def save(agreement, person, due: datetime.date, data=None, seen_edits=0):
    return followups.report_save(
        agreement_id=agreement.pk,
        due_date=due,
        person=person,
        data=data or written(),
        seen_edits=seen_edits,
        channel=Channel.LOGIN,
    )


def submit(agreement, person, due: datetime.date, data=None, seen_edits=0):
    return followups.report_submit(
        agreement_id=agreement.pk,
        due_date=due,
        person=person,
        data=data or written(),
        seen_edits=seen_edits,
        channel=Channel.LOGIN,
    )


def report_url(agreement, due: datetime.date) -> str:
    return reverse("workflows:followup_report", args=[agreement.pk, due.isoformat()])


def form_data(action: str, seen_edits: int = 0, **fields) -> dict:
    data = {
        f"status_{KEY}": "forsenad",
        f"comment_{KEY}": "Vandringen i maj blev inställd.",
        "analysis": "Lägesbilden är oförändrad.",
        "recommendations": "",
        "seen_edits": seen_edits,
        "action": action,
    }
    data.update(fields)
    return data


def run_periodic(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("run_periodic", stdout=out)
    return out.getvalue()


def settle(mailoutbox) -> None:
    outbox_relay()
    mailoutbox.clear()


def recipients(mailoutbox) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox)


DRAFTERS = ['"Karin Polis" <karin@polisen.test>', '"Sam Samordnare" <sam@hoor.test>']


# -- the schedule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [
        ("tertial", TERTIAL_DUE),
        ("half_yearly", [D(2023, 6, 30), D(2024, 1, 2), D(2024, 7, 1), D(2025, 1, 2)]),
        ("yearly", [D(2024, 1, 2), D(2025, 1, 2)]),
    ],
)
def test_reports_fall_due_at_the_end_of_each_term_moved_to_a_working_day(cadence, expected):
    schedule = rules.due_dates(cadence, D(2023, 1, 1), D(2024, 12, 31))
    assert [entry.due for entry in schedule] == expected
    assert schedule[0].term_start == D(2023, 1, 1)
    assert schedule[-1].term_end == D(2024, 12, 31)


def test_a_sunday_before_a_holiday_moves_the_due_date_past_both():
    # 2023-12-31 is a Sunday and 2024-01-01 New Year's Day.
    [entry, _] = rules.due_dates("yearly", D(2023, 1, 1), D(2024, 12, 31))
    assert (entry.term_end, entry.due, entry.moved) == (D(2023, 12, 31), D(2024, 1, 2), True)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 6, 6), False),  # National Day (a Thursday)
        (D(2024, 6, 21), False),  # Midsummer Eve: a deadline moves past it (lag 1930:173)
        (D(2024, 12, 24), False),  # Christmas Eve
        (D(2024, 12, 31), False),  # New Year's Eve
        (D(2024, 8, 31), False),  # a Saturday
        (D(2023, 4, 30), False),  # a Sunday
        (D(2024, 4, 30), True),  # Valborg is a working day
        (D(2023, 8, 31), True),
    ],
)
def test_weekends_public_holidays_and_the_eves_are_not_working_days(day, working):
    assert legal_dates.is_working_day(day) is working


def test_a_term_cut_short_by_the_period_ends_with_it():
    # Eslöv 2021–2022 style, yearly, with a period that ends at midsummer.
    schedule = rules.due_dates("yearly", D(2021, 5, 1), D(2022, 6, 30))
    # 2021-12-31 is a Friday and New Year's Eve; then a holiday and a weekend.
    assert [(e.term_end, e.due) for e in schedule] == [
        (D(2021, 12, 31), D(2022, 1, 3)),
        (D(2022, 6, 30), D(2022, 6, 30)),
    ]


def test_only_terms_that_end_within_the_period_are_followed_up():
    schedule = rules.due_dates("tertial", D(2023, 5, 15), D(2023, 7, 15))
    # 2023-07-15 is a Saturday.
    assert [(e.term_start, e.term_end, e.due) for e in schedule] == [
        (D(2023, 5, 15), D(2023, 7, 15), D(2023, 7, 17))
    ]


# -- writing and handing in a report --------------------------------------------------


def test_a_drafter_saves_a_draft_twice_and_then_hands_it_in_through_the_pages(
    tertial, people, client, django_capture_on_commit_callbacks, mailoutbox
):
    login(client, people.samordnare)
    due = TERTIAL_DUE[0]
    settle(mailoutbox)
    with at("2023-04-25"):
        page = client.get(report_url(tertial, due))
        assert page.status_code == 200
        assert "Trygghetsvandringar" in page.content.decode()
        assert "Fler upplever utemiljön som trygg." in page.content.decode()  # effektmål

        first = client.post(report_url(tertial, due), form_data("save"))
        assert first.status_code == 302
        second = client.post(report_url(tertial, due), form_data("save", 1, analysis="Bättre."))
        assert second.status_code == 302
        report = FollowUpReport.objects.get(agreement=tertial, due_date=due)
        assert (report.state, report.edits, report.analysis) == ("draft", 2, "Bättre.")
        assert not tertial.events.filter(action__startswith="followup").exists()

        with django_capture_on_commit_callbacks(execute=True):
            handed_in = client.post(
                report_url(tertial, due),
                form_data("submit", 2, recommendations="Fortsätt med vandringarna."),
            )
        assert handed_in.status_code == 302
        assert handed_in.url == report_url(tertial, due)
        page = client.get(handed_in.url).content.decode()

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == people.samordnare
    assert report.items[0]["status"] == "forsenad"
    assert report.content_hash == rules.report_hash(report.hashed_content())
    event = tertial.events.get(action="followup_submitted")
    assert event.details["due_date"] == "2023-05-02"
    assert event.details["content_hash"] == report.content_hash
    assert event.version_hash == tertial.version_in_force.content_hash
    assert action_label(event) == "Uppföljningsrapporten för 2023-05-02 lämnades in"
    assert "Rapporten är inlämnad och skickad till båda parterna." in page
    assert report.content_hash in page and "Försenad" in page
    assert "Vandringen i maj blev inställd." in page
    # Both parties are told: the drafters, the decision-makers and the signatories.
    told = recipients(mailoutbox)
    assert '"Johan Svahnberg" <johan@hoor.test>' in told and DRAFTERS[0] in told
    assert len(told) == 6
    assert all(m.subject.startswith("Uppföljningsrapport 2 maj 2023: ") for m in mailoutbox)
    assert report_url(tertial, due) in mailoutbox[0].body


def test_a_submitted_report_cannot_be_changed(tertial, people, client):
    due = TERTIAL_DUE[0]
    with at("2023-04-25"):
        report = submit(tertial, people.kommunpolis, due)
        with pytest.raises(WrongState):
            save(tertial, people.samordnare, due, seen_edits=report.edits)
        login(client, people.samordnare)
        refused = client.post(report_url(tertial, due), form_data("save", report.edits))
    assert refused.status_code == 409
    assert "redan inlämnad" in refused.content.decode()
    report = FollowUpReport.objects.get(pk=report.pk)
    with pytest.raises(ImmutableReport):
        report.save()
    with pytest.raises(ImmutableReport):
        report.delete()
    assert tertial.events.filter(action="followup_submitted").count() == 1


@postgres_only
def test_the_database_refuses_to_change_a_submitted_report(tertial, people):
    with at("2023-04-25"):
        report = submit(tertial, people.kommunpolis, TERTIAL_DUE[0])
    with pytest.raises(Exception, match="submitted follow-up report"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE workflows_followupreport SET analysis = 'ändrad' WHERE id = %s",
                [report.pk],
            )


def test_handing_in_needs_a_status_for_every_area_and_an_analysis(tertial, people):
    due = TERTIAL_DUE[0]
    with at("2023-04-25"):
        with pytest.raises(DomainError, match="Trygghetsvandringar"):
            submit(tertial, people.samordnare, due, written(status=""))
        with pytest.raises(DomainError, match="analys"):
            submit(tertial, people.samordnare, due, written(analysis=" "))
    assert not FollowUpReport.objects.exists()
    assert not tertial.events.filter(action="followup_submitted").exists()


def test_a_form_opened_before_the_other_drafters_save_does_not_overwrite_it(
    tertial, people, client
):
    due = TERTIAL_DUE[0]
    with at("2023-04-25"):
        save(tertial, people.kommunpolis, due, written(comment="Polisens text."))
        with pytest.raises(StaleVersion):
            save(tertial, people.samordnare, due, written(comment="Kommunens text."))
        login(client, people.samordnare)
        refused = client.post(report_url(tertial, due), form_data("save", 0))
        assert refused.status_code == 409
        assert "Karin Polis har sparat rapporten" in refused.content.decode()
        assert FollowUpReport.objects.get().items[0]["comment"] == "Polisens text."
        # The form now knows of that save: saving again replaces it, on purpose.
        again = client.post(report_url(tertial, due), refused.context["form"].data)
    assert again.status_code == 302
    assert FollowUpReport.objects.get().items[0]["comment"] == "Vandringen i maj blev inställd."


def test_a_new_report_starts_from_the_previous_one(tertial, people, client):
    with at("2023-04-25"):
        submit(
            tertial,
            people.samordnare,
            TERTIAL_DUE[0],
            written(status="forsenad", comment="Vandringen i maj blev inställd."),
        )
    with at("2023-08-20"):
        initial = followups.report_initial(tertial, TERTIAL_DUE[1])
        login(client, people.kommunpolis)
        page = client.get(report_url(tertial, TERTIAL_DUE[1]))
    assert initial.entries[KEY] == {
        "status": "forsenad",
        "comment": "Vandringen i maj blev inställd.",
    }
    assert initial.analysis == "Otryggheten i centrum har minskat."
    assert initial.recommendations == "" and initial.recommend_revision is False
    form = page.context["form"]
    assert form[f"status_{KEY}"].value() == "forsenad"
    assert form["analysis"].value() == "Otryggheten i centrum har minskat."
    html = page.content.decode()
    assert '<option value="forsenad" selected>' in html
    assert "ifyllda från rapporten 2023-05-02" in html
    assert not FollowUpReport.objects.filter(due_date=TERTIAL_DUE[1]).exists()  # GET wrote nothing


def test_a_report_for_a_period_that_is_not_due_is_refused_and_nothing_changes(
    tertial, people, client
):
    events = tertial.events.count()
    with at("2023-04-25"):
        with pytest.raises(DomainError, match="inte aktuell ännu"):
            save(tertial, people.samordnare, TERTIAL_DUE[1])  # after the next due date
        with pytest.raises(DomainError, match="inget datum i överenskommelsens uppföljningsplan"):
            save(tertial, people.samordnare, D(2023, 6, 15))
        login(client, people.samordnare)
        refused = client.post(report_url(tertial, TERTIAL_DUE[1]), form_data("submit"))
        unknown = client.get(report_url(tertial, D(2023, 6, 15)))
        shown = client.get(report_url(tertial, TERTIAL_DUE[1]))
    assert refused.status_code == 400
    assert "inte aktuell ännu" in refused.content.decode()
    assert unknown.status_code == 404
    assert "inte aktuell ännu" in shown.content.decode()
    assert "<select" not in shown.content.decode()
    assert not FollowUpReport.objects.exists()
    assert tertial.events.count() == events


def test_an_agreement_not_in_force_gets_no_report(agreement, people):
    with at("2023-04-25"), pytest.raises(WrongState, match="gällande"):
        save(agreement, people.samordnare, TERTIAL_DUE[0])
    assert not FollowUpReport.objects.exists()


def test_only_the_drafters_write_reports_and_outsiders_see_nothing(tertial, people, client):
    with at("2023-04-25"):
        with pytest.raises(NotPermitted):
            save(tertial, people.ks_chair, TERTIAL_DUE[0])
        login(client, people.ks_chair)
        page = client.get(report_url(tertial, TERTIAL_DUE[0]))
        assert page.status_code == 200 and "<select" not in page.content.decode()
        refused = client.post(report_url(tertial, TERTIAL_DUE[0]), form_data("save"))
        assert refused.status_code == 403
        client.logout()
        login(client, people.outsider)
        assert client.get(report_url(tertial, TERTIAL_DUE[0])).status_code == 404
    assert not FollowUpReport.objects.exists()


def test_the_last_report_is_written_after_the_period_has_ended(tertial, people):
    with at("2025-01-02"):
        call_command("run_periodic", stdout=io.StringIO())
        tertial.refresh_from_db()
        assert tertial.state == AgreementState.EXPIRED
        report = submit(tertial, people.samordnare, TERTIAL_DUE[-1])
    assert report.is_submitted
    assert selectors.last_follow_up(tertial) == report


# -- the schedule on the agreement page ------------------------------------------------


def test_the_agreement_page_shows_each_due_date_with_its_status(tertial, people, client):
    with at("2023-04-25"):
        submit(tertial, people.samordnare, TERTIAL_DUE[0])
    with at("2023-09-05"):
        login(client, people.kommunpolis)
        page = client.get(reverse("workflows:agreement_detail", args=[tertial.pk]))
    rows = page.context["follow_ups"]
    assert [(row.entry.due, row.status) for row in rows] == [
        (TERTIAL_DUE[0], "submitted"),
        (TERTIAL_DUE[1], "overdue"),
        (TERTIAL_DUE[2], "open"),
        (TERTIAL_DUE[3], "upcoming"),
        (TERTIAL_DUE[4], "upcoming"),
        (TERTIAL_DUE[5], "upcoming"),
    ]
    html = page.content.decode()
    for label in ("Inlämnad", "Försenad", "Att göra", "Kommande", "flyttat från 2023-12-31"):
        assert label in html
    assert report_url(tertial, TERTIAL_DUE[1]) in html  # the overdue one can be written


def test_before_it_comes_into_force_every_due_date_is_still_to_come(agreement, people, client):
    with at("2024-06-01"):
        login(client, people.samordnare)
        page = client.get(reverse("workflows:agreement_detail", args=[agreement.pk]))
    rows = page.context["follow_ups"]
    assert [(row.entry.due, row.status) for row in rows] == [
        (D(2024, 1, 2), "upcoming"),
        (D(2025, 1, 2), "upcoming"),
    ]
    assert "Skriv rapporten" not in page.content.decode()


# -- reminders, escalation and the yearly question --------------------------------------


def test_the_drafters_are_reminded_before_and_on_the_due_date_then_the_chiefs_are_told(
    tertial, people, django_capture_on_commit_callbacks, mailoutbox
):
    run = django_capture_on_commit_callbacks
    settle(mailoutbox)
    with at("2023-04-17"):  # 15 days before 2023-05-02
        assert "follow_ups: 0" in run_periodic(run)
    assert without_decision_reminders(mailoutbox) == []
    mailoutbox.clear()

    with at("2023-04-18"):
        assert "follow_ups: 1" in run_periodic(run)
        assert "follow_ups: 0" in run_periodic(run)
    assert recipients(mailoutbox) == DRAFTERS
    assert all(m.subject.startswith("Uppföljningsrapport om 14 dagar") for m in mailoutbox)
    assert report_url(tertial, TERTIAL_DUE[0]) in mailoutbox[0].body

    mailoutbox.clear()
    with at("2023-05-02"):
        assert "follow_ups: 1" in run_periodic(run)
        assert "follow_ups: 0" in run_periodic(run)
    # The nämndsekreterare's reminders about the anslag run on their own schedule.
    follow_up = without_decision_reminders(mailoutbox)
    assert recipients(follow_up) == DRAFTERS
    assert all("ska lämnas 2 maj 2023" in m.subject for m in follow_up)

    mailoutbox.clear()
    with at("2023-05-16"):
        assert "follow_ups: 1" in run_periodic(run)
        assert "follow_ups: 0" in run_periodic(run)
    follow_up = without_decision_reminders(mailoutbox)
    assert recipients(follow_up) == sorted(
        [*DRAFTERS, '"Johan Svahnberg" <johan@hoor.test>', '"Veronica Ek" <veronica@polisen.test>']
    )
    assert all(m.subject.startswith("Försenad uppföljningsrapport") for m in follow_up)
    assert "14 dagar försenad" in follow_up[0].body

    mailoutbox.clear()
    with at("2023-06-20"):
        assert "follow_ups: 0" in run_periodic(run)
    assert without_decision_reminders(mailoutbox) == []
    stages = [
        (e.action, e.details.get("stage"))
        for e in tertial.events.filter(action__startswith="followup").order_by("seq")
    ]
    assert stages == [
        ("followup_reminder", "before"),
        ("followup_reminder", "due"),
        ("followup_escalated", "overdue"),
    ]
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK")


def test_a_report_handed_in_stops_the_reminders(
    tertial, people, django_capture_on_commit_callbacks, mailoutbox
):
    with at("2023-04-25"):
        submit(tertial, people.samordnare, TERTIAL_DUE[0])
        settle(mailoutbox)
    for day in ("2023-05-02", "2023-05-16"):
        with at(day):
            assert "follow_ups: 0" in run_periodic(django_capture_on_commit_callbacks)
    assert without_decision_reminders(mailoutbox) == []


def test_a_job_that_missed_the_reminders_sends_only_the_escalation(
    tertial, django_capture_on_commit_callbacks, mailoutbox
):
    settle(mailoutbox)
    with at("2023-05-20"):
        run_periodic(django_capture_on_commit_callbacks)
        run_periodic(django_capture_on_commit_callbacks)
    actions = list(tertial.events.filter(action__startswith="followup").values_list("action"))
    assert actions == [("followup_escalated",)]
    assert all(m.subject.startswith("Försenad") for m in without_decision_reminders(mailoutbox))


def test_due_dates_before_the_agreement_came_into_force_are_not_asked_for(
    signing, people, django_capture_on_commit_callbacks, mailoutbox
):
    late = bring_into_force(signing, people, "2023-05-10")
    settle(mailoutbox)
    with at("2023-05-20"):
        assert "follow_ups: 0" in run_periodic(django_capture_on_commit_callbacks)
    with at("2023-08-17"):  # 14 days before 2023-08-31
        assert "follow_ups: 1" in run_periodic(django_capture_on_commit_callbacks)
    assert [e.details["due_date"] for e in late.events.filter(action="followup_reminder")] == [
        "2023-08-31"
    ]


def test_a_yearly_follow_up_asks_the_drafters_once_whether_to_revise(
    yearly, people, django_capture_on_commit_callbacks, mailoutbox
):
    settle(mailoutbox)
    with at("2024-01-02"):
        assert "follow_ups: 2" in run_periodic(django_capture_on_commit_callbacks)
        assert "follow_ups: 0" in run_periodic(django_capture_on_commit_callbacks)
    prompts = [m for m in mailoutbox if m.subject.startswith("Årlig uppföljning")]
    assert recipients(prompts) == DRAFTERS
    agreement_url = reverse("workflows:agreement_detail", args=[yearly.pk])
    assert agreement_url in prompts[0].body
    assert yearly.events.filter(action="followup_revision_prompt").count() == 1


# -- revising from a report -------------------------------------------------------------


def test_the_button_on_a_report_that_recommends_revision_opens_one(
    tertial, people, client, django_capture_on_commit_callbacks, mailoutbox
):
    due = TERTIAL_DUE[0]
    advice = "Trygghetsvandringarna bör ersättas av medborgardialoger."
    with at("2023-04-25"):
        submit(
            tertial,
            people.kommunpolis,
            due,
            written(recommendations=advice, recommend_revision=True),
        )
        login(client, people.ks_chair)
        assert "Starta revidering" not in client.get(report_url(tertial, due)).content.decode()
        client.logout()
        login(client, people.samordnare)
        page = client.get(report_url(tertial, due)).content.decode()
        assert "Starta revidering" in page
        settle(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            opened = client.post(
                reverse("workflows:followup_revise", args=[tertial.pk, due.isoformat()])
            )
    assert opened.status_code == 302
    assert opened.url == reverse("workflows:agreement_detail", args=[tertial.pk])
    tertial.refresh_from_db()
    assert tertial.state == AgreementState.REVISION_DRAFT
    event = tertial.events.get(action="revision_opened")
    assert event.details["reason"] == f"Uppföljningen 2023-05-02 rekommenderar revidering. {advice}"
    assert mailoutbox and advice in mailoutbox[0].body


def test_a_report_without_the_recommendation_cannot_open_a_revision(tertial, people, client):
    due = TERTIAL_DUE[0]
    with at("2023-04-25"):
        report = submit(tertial, people.kommunpolis, due)
        with pytest.raises(DomainError):
            followups.revision_from_report(
                report_id=report.pk, person=people.samordnare, channel=Channel.LOGIN
            )
        login(client, people.samordnare)
        refused = client.post(
            reverse("workflows:followup_revise", args=[tertial.pk, due.isoformat()])
        )
    assert refused.status_code == 400
    tertial.refresh_from_db()
    assert tertial.state == AgreementState.IN_FORCE


# -- at the same moment -----------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_drafters_handing_in_the_same_report_at_once_make_one_report(in_force, people):
    from tests.workflows.test_concurrency import at_once
    from workflows.services.actors import today

    due = rules.next_due(followups.schedule_of(in_force), today()).due
    results = at_once(
        lambda: submit(in_force, people.samordnare, due),
        lambda: submit(in_force, people.kommunpolis, due),
    )
    handed_in = [r for r in results if isinstance(r, FollowUpReport)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(handed_in) == 1 and len(refused) == 1, results
    assert FollowUpReport.objects.get().is_submitted
    assert in_force.events.filter(action="followup_submitted").count() == 1
