"""A whole multi-year life of one agreement, through the real services and the
periodic command, with the clock moved from step to step.

Period 2030-01-01 – 2031-12-31, followed up half-yearly, so its reports are due on
2030-07-01 (30 June is a Sunday), 2031-01-02 (New Year's Eve, then New Year's Day),
2031-06-30 and 2032-01-02 (the day after it expired). Signed in November 2029, in
force on 2030-01-01, three follow-up cycles (the second handed in late, after the
escalation), a revision opened from the third report and signed, warnings 90 and 30
days before the end, expiry on 2032-01-01, the last report after expiry and the
renewal into 2032–2033.

At every step: the state, the new events in the trail, and the e-mails, each sent
exactly once (the periodic command runs twice and the second run sends nothing).
"""

from __future__ import annotations

import copy
import datetime
import io
from collections import Counter
from contextlib import contextmanager
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import SAMPLE_CONTENT
from tests.workflows.conftest import decide, justera_protocol, record_step, sign
from workflows import followup_rules as rules
from workflows.models import AgreementState
from workflows.models.followups import ReportState
from workflows.models.trail import Channel
from workflows.services import followups, lifecycle
from workflows.services.drafting import agreement_create, version_approve, version_submit
from workflows.templatetags.samverkan import longdate

D = datetime.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TITLE = "Operativ samverkansöverenskommelse Höör 2030–2031"
DUE = [D(2030, 7, 1), D(2031, 1, 2), D(2031, 6, 30), D(2032, 1, 2)]
[ITEM] = rules.items_from(SAMPLE_CONTENT, {})
KEY = ITEM["key"]

DRAFTERS = {"karin@polisen.test", "sam@hoor.test"}
CHIEFS = {"johan@hoor.test", "veronica@polisen.test"}
PARTIES = DRAFTERS | CHIEFS | {"nils@hoor.test", "frida@hoor.test"}
SECRETARY = "nils@hoor.test"


@contextmanager
def on(day: datetime.date):
    """Noon in Stockholm on ``day``; the clock stands still meanwhile."""
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), STOCKHOLM), tick=False
    ):
        yield


class Watch:
    """What is new since the last look: e-mails (subject → addresses) and trail actions."""

    def __init__(self, agreement, mailoutbox):
        self.agreement, self.box = agreement, mailoutbox
        self.mails_seen, self.last_seq = 0, 0

    def mails(self) -> dict[str, set[str]]:
        fresh = self.box[self.mails_seen :]
        self.mails_seen = len(self.box)
        pairs = Counter((m.subject, parseaddr(m.to[0])[1]) for m in fresh)
        twice = [pair for pair, n in pairs.items() if n > 1]
        assert not twice, f"sent more than once: {twice}"
        grouped: dict[str, set[str]] = {}
        for subject, address in pairs:
            grouped.setdefault(subject, set()).add(address)
        return grouped

    def actions(self) -> list[str]:
        events = self.agreement.events.filter(seq__gt=self.last_seq).order_by("seq")
        found = list(events.values_list("seq", "action"))
        if found:
            self.last_seq = found[-1][0]
        return [action for _, action in found]

    def state(self) -> str:
        self.agreement.refresh_from_db()
        return self.agreement.state


def periodic(watch: Watch, day: datetime.date):
    """Run every periodic job on ``day``, twice: the second run finds nothing to do."""
    with on(day):
        first = io.StringIO()
        call_command("run_periodic", stdout=first)
        mails, actions = watch.mails(), watch.actions()
        again = io.StringIO()
        call_command("run_periodic", stdout=again)
    counts = [line.rsplit(": ", 1)[1] for line in again.getvalue().splitlines()]
    assert counts and set(counts) == {"0"}, again.getvalue()
    assert watch.mails() == {}
    assert watch.actions() == []
    return mails, actions


def written(status: str, analysis: str, **more) -> followups.ReportInput:
    return followups.ReportInput(
        entries={KEY: {"status": status, "comment": f"{status}: vandringar genomförda."}},
        analysis=analysis,
        **more,
    )


def submit(agreement, person, due: datetime.date, data, seen_edits=0):
    return followups.report_submit(
        agreement_id=agreement.pk,
        due_date=due,
        person=person,
        data=data,
        seen_edits=seen_edits,
        channel=Channel.LOGIN,
    )


def reminder(days: int) -> str:
    return f"Uppföljningsrapport om {days} dagar: {TITLE}"


def due_today(due: datetime.date) -> str:
    return f"Uppföljningsrapport ska lämnas {longdate(due)}: {TITLE}"


def submitted(due: datetime.date, revise=False) -> str:
    extra = ", rekommenderar revidering" if revise else ""
    return f"Uppföljningsrapport {longdate(due)}{extra}: {TITLE}"


def task_mail(label: str, due: datetime.date, number: int) -> str:
    return f"{label} senast {longdate(due)}: {TITLE}, version {number}"


def proposal_mails(number: int, proposed_on: datetime.date) -> dict[str, set[str]]:
    return {
        f"Sam Samordnare har godkänt version {number} av {TITLE}": {"karin@polisen.test"},
        f"Karin Polis har godkänt version {number} av {TITLE}": {"sam@hoor.test"},
        f"Gemensamt förslag: {TITLE}, version {number}": DRAFTERS,
        # the decision links: KS (the nämndsekreterare or the chair records) and LPO-chef
        # due ESCALATE_AFTER_DAYS (10) after the proposal: no date was asked for
        task_mail("Beslut", proposed_on + datetime.timedelta(days=10), number): CHIEFS
        | {"nils@hoor.test"},
    }


def decided_mails(decided_on: datetime.date, number: int) -> dict[str, set[str]]:
    """The justering is due 10 days after its task opened, the signatures
    SIGN_WITHIN_DAYS (14) after the decision."""
    return {
        f"Kommunstyrelsen: bifall – {TITLE}": DRAFTERS,
        f"Lokalpolisområdeschefen: bifall – {TITLE}": DRAFTERS,
        task_mail("Justering och anslag", decided_on + datetime.timedelta(days=10), number): {
            SECRETARY
        },
        f"Justering: {TITLE}": DRAFTERS,
        f"Beslutad, inväntar underskrift: {TITLE}": DRAFTERS,
        task_mail("Underskrift", decided_on + datetime.timedelta(days=14), number): CHIEFS,
    }


def signed_mails(outcome: str) -> dict[str, set[str]]:
    return {
        f"Johan Svahnberg har undertecknat {TITLE}": DRAFTERS,
        f"Veronica Ek har undertecknat {TITLE}": DRAFTERS,
        f"{outcome}: {TITLE}": PARTIES,
    }


@pytest.fixture
def life(orgs, people, mailoutbox, django_capture_on_commit_callbacks):
    with on(D(2029, 11, 5)), django_capture_on_commit_callbacks(execute=True):
        agreement = agreement_create(
            kommun=orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            follow_up_cadence="half_yearly",
            title=TITLE,
            period_start=D(2030, 1, 1),
            period_end=D(2031, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.samordnare,
            channel=Channel.LOGIN,
        )
    return Watch(agreement, mailoutbox)


def test_a_whole_multi_year_life(life, people, django_capture_on_commit_callbacks):
    agreement, watch = life.agreement, life
    assert [e.due for e in followups.schedule_of(agreement)] == DUE
    assert watch.state() == AgreementState.DRAFT
    assert watch.actions() == ["agreement_created", "version_submitted"]
    assert watch.mails() == {f"Ny version 1 av {TITLE}": {"karin@polisen.test"}}

    # -- the first cycle: joint proposal, decisions, signatures before the start --
    with on(D(2029, 11, 5)), django_capture_on_commit_callbacks(execute=True):
        version = agreement.versions.get()
        version_approve(version_id=version.pk, person=people.samordnare, channel=Channel.LOGIN)
        version_approve(version_id=version.pk, person=people.kommunpolis, channel=Channel.LOGIN)
    assert watch.state() == AgreementState.PROPOSED
    assert watch.actions() == ["version_approved", "version_approved", "joint_proposal"]
    assert watch.mails() == proposal_mails(1, D(2029, 11, 5))

    with on(D(2029, 11, 12)), django_capture_on_commit_callbacks(execute=True):
        meeting = {"meeting_date": D(2029, 11, 12), "diarienummer": "KS 2029/88"}
        decide(agreement, "municipal_decision", people.sekreterare, **meeting)
        decide(agreement, "police_decision", people.lpo_chief, **meeting)
    assert watch.state() == AgreementState.SIGNING
    assert watch.actions() == [
        "decision_recorded",
        "decision_step_recorded",
        "decision_recorded",
        "signing_opened",
    ]
    assert watch.mails() == decided_mails(D(2029, 11, 12), 1)

    with on(D(2029, 11, 20)), django_capture_on_commit_callbacks(execute=True):
        sign(agreement, "ks_signature", people.ks_chair, signed_on=D(2029, 11, 20))
        sign(agreement, "lpo_signature", people.lpo_chief, place="Eslöv", signed_on=D(2029, 11, 20))
    assert watch.state() == AgreementState.SIGNED
    assert watch.actions() == [
        "signature_added",
        "signature_added",
        "agreement_signed",
        "agreement_sealed",  # the worker after the commit, with the PDF/A in the e-mail
    ]
    assert watch.mails() == signed_mails("Undertecknad")
    assert agreement.version_in_force == version

    # -- the kommun's decision: anslag, the appeal window, laga kraft ------------
    # Justerad 2029-11-12; the anslag is due two days later and is reminded once.
    mails, actions = periodic(watch, D(2029, 11, 21))
    assert actions == ["decision_step_reminder"]
    assert mails == {
        f"Påminnelse: registrera anslaget, senast 14 november 2029 – {TITLE}": {SECRETARY}
    }
    with on(D(2029, 11, 21)), django_capture_on_commit_callbacks(execute=True):
        record_step(agreement, people.sekreterare, "anslag", D(2029, 11, 14))
    assert watch.actions() == ["decision_step_recorded"]
    assert watch.mails() == {f"Anslag: {TITLE}": DRAFTERS}
    # Three weeks from 2029-11-14 is Wednesday 2029-12-05; a week after it the
    # nämndsekreterare is asked to confirm that no appeal came in.
    assert periodic(watch, D(2029, 12, 11)) == ({}, [])
    mails, actions = periodic(watch, D(2029, 12, 12))
    assert actions == ["decision_step_reminder"]
    assert mails == {f"Påminnelse: bekräfta laga kraft – {TITLE}": {SECRETARY}}
    with on(D(2029, 12, 12)), django_capture_on_commit_callbacks(execute=True):
        record_step(agreement, people.sekreterare, "laga_kraft")
    assert watch.actions() == ["decision_step_recorded"]
    assert watch.mails() == {f"Laga kraft: {TITLE}": DRAFTERS}

    # Not yet: the day before the start nothing happens.
    assert periodic(watch, D(2029, 12, 31)) == ({}, [])
    assert watch.state() == AgreementState.SIGNED

    # -- in force on the start date ---------------------------------------------
    mails, actions = periodic(watch, D(2030, 1, 1))
    assert actions == ["entered_into_force"]
    assert mails == {f"Gäller från i dag: {TITLE}": PARTIES}
    assert watch.state() == AgreementState.IN_FORCE

    # -- cycle 1: due 2030-07-01, handed in on the day ---------------------------
    assert periodic(watch, D(2030, 6, 16)) == ({}, [])  # 15 days before: not yet
    mails, actions = periodic(watch, D(2030, 6, 17))
    assert actions == ["followup_reminder"]
    assert mails == {reminder(14): DRAFTERS}
    mails, actions = periodic(watch, D(2030, 7, 1))
    assert actions == ["followup_reminder"]
    assert mails == {due_today(DUE[0]): DRAFTERS}
    with on(D(2030, 7, 1)), django_capture_on_commit_callbacks(execute=True):
        assert followups.report_initial(agreement, DUE[0]) == followups.ReportInput()
        first = submit(
            agreement, people.samordnare, DUE[0], written("enligt_plan", "Tryggare centrum.")
        )
    assert first.state == ReportState.SUBMITTED
    assert watch.actions() == ["followup_submitted"]
    assert watch.mails() == {submitted(DUE[0]): PARTIES}
    # Handed in: no escalation 14 days on.
    assert periodic(watch, D(2030, 7, 15)) == ({}, [])

    # -- cycle 2: due 2031-01-02, handed in late, after the escalation -----------
    mails, actions = periodic(watch, D(2030, 12, 19))
    assert actions == ["followup_reminder"]
    assert mails == {reminder(14): DRAFTERS}
    mails, actions = periodic(watch, D(2031, 1, 2))
    assert actions == ["followup_reminder"]
    assert mails == {due_today(DUE[1]): DRAFTERS}
    assert periodic(watch, D(2031, 1, 15)) == ({}, [])  # 13 days late: not yet
    mails, actions = periodic(watch, D(2031, 1, 16))
    assert actions == ["followup_escalated"]
    assert mails == {f"Försenad uppföljningsrapport: {TITLE}": DRAFTERS | CHIEFS}
    escalated = agreement.events.get(action="followup_escalated")
    assert escalated.details == {"due_date": "2031-01-02", "stage": "overdue", "days_late": 14}
    with on(D(2031, 1, 20)), django_capture_on_commit_callbacks(execute=True):
        start = followups.report_initial(agreement, DUE[1])
        assert start.entries[KEY]["status"] == "enligt_plan"  # prefilled from cycle 1
        assert start.analysis == "Tryggare centrum."
        draft = followups.report_save(
            agreement_id=agreement.pk,
            due_date=DUE[1],
            person=people.kommunpolis,
            data=written("forsenad", "Vandringarna försenade under vintern."),
            seen_edits=0,
            channel=Channel.LOGIN,
        )
        assert draft.state == ReportState.DRAFT
        second = submit(
            agreement,
            people.samordnare,
            DUE[1],
            written("forsenad", "Vandringarna försenade under vintern."),
            seen_edits=draft.edits,
        )
    assert second.state == ReportState.SUBMITTED
    assert watch.actions() == ["followup_submitted"]  # the draft is not in the trail
    assert watch.mails() == {submitted(DUE[1]): PARTIES}
    assert periodic(watch, D(2031, 1, 30)) == ({}, [])  # escalated once only

    # -- cycle 3: due 2031-06-30, recommends a revision ---------------------------
    mails, actions = periodic(watch, D(2031, 6, 16))
    assert actions == ["followup_reminder"]
    assert mails == {reminder(14): DRAFTERS}
    mails, actions = periodic(watch, D(2031, 6, 30))
    assert actions == ["followup_reminder"]
    assert mails == {due_today(DUE[2]): DRAFTERS}
    with on(D(2031, 6, 30)), django_capture_on_commit_callbacks(execute=True):
        third = submit(
            agreement,
            people.kommunpolis,
            DUE[2],
            written(
                "klar",
                "Vandringarna klara; nya behov i stationsområdet.",
                recommendations="Lägg till stationsområdet.",
                recommend_revision=True,
            ),
        )
    assert watch.actions() == ["followup_submitted"]
    assert watch.mails() == {submitted(DUE[2], revise=True): PARTIES}
    assert periodic(watch, D(2031, 7, 14)) == ({}, [])

    # -- the revision: opened from the report, proposed, decided, signed ---------
    first_version = agreement.version_in_force
    revised = copy.deepcopy(SAMPLE_CONTENT)
    revised["sections"][1]["items"].append(
        {
            "title": "Stationsområdet",
            "text": "Gemensam närvaro vid stationen kvällstid.",
            "effektmal": "Färre rån vid stationen.",
            "ansvarig": "Lokalpolisområde Eslöv",
        }
    )
    with on(D(2031, 7, 1)), django_capture_on_commit_callbacks(execute=True):
        followups.revision_from_report(
            report_id=third.pk, person=people.samordnare, channel=Channel.LOGIN
        )
    assert watch.state() == AgreementState.REVISION_DRAFT
    assert watch.actions() == ["revision_opened"]
    assert watch.mails() == {f"Revidering påbörjad: {TITLE}": PARTIES}
    with on(D(2031, 7, 1)), django_capture_on_commit_callbacks(execute=True):
        v2 = version_submit(
            agreement_id=agreement.pk,
            author=people.kommunpolis,
            content=revised,
            change_note="Stationsområdet enligt uppföljningen 2031-06-30",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        )
        version_approve(version_id=v2.pk, person=people.kommunpolis, channel=Channel.LOGIN)
        version_approve(version_id=v2.pk, person=people.samordnare, channel=Channel.LOGIN)
    opened = agreement.events.get(action="revision_opened")
    assert opened.details["reason"].startswith("Uppföljningen 2031-06-30 rekommenderar revidering.")
    assert watch.state() == AgreementState.REVISION_PROPOSED
    assert agreement.version_in_force == first_version  # the old text applies meanwhile
    assert watch.actions() == [
        "version_submitted",
        "version_approved",
        "version_approved",
        "joint_proposal",
    ]
    assert watch.mails() == {
        f"Ny version 2 av {TITLE}": {"sam@hoor.test"},
        **proposal_mails(2, D(2031, 7, 1)),
    }

    with on(D(2031, 7, 3)), django_capture_on_commit_callbacks(execute=True):
        meeting = {"meeting_date": D(2031, 7, 3), "diarienummer": "KS 2031/41"}
        decide(agreement, "municipal_decision", people.sekreterare, justera=False, **meeting)
        # Justerad and announced the same day: both from the one task.
        day = D(2031, 7, 3)
        justera_protocol(agreement, people.sekreterare, on=day, anslag_on=day)
        decide(agreement, "police_decision", people.lpo_chief, **meeting)
    assert watch.state() == AgreementState.REVISION_SIGNING
    assert watch.actions() == [
        "decision_recorded",
        "decision_step_recorded",
        "decision_step_recorded",
        "decision_recorded",
        "signing_opened",
    ]
    assert watch.mails() == {**decided_mails(D(2031, 7, 3), 2), f"Anslag: {TITLE}": DRAFTERS}

    with on(D(2031, 7, 7)), django_capture_on_commit_callbacks(execute=True):
        sign(agreement, "ks_signature", people.ks_chair, signed_on=D(2031, 7, 7))
        sign(agreement, "lpo_signature", people.lpo_chief, place="Eslöv", signed_on=D(2031, 7, 7))
    assert watch.state() == AgreementState.IN_FORCE
    assert watch.actions() == [
        "signature_added",
        "signature_added",
        "agreement_signed",
        "agreement_sealed",  # the worker after the commit, with the PDF/A in the e-mail
    ]
    assert watch.mails() == signed_mails("Undertecknad och gällande")
    replaced = agreement.events.filter(action="agreement_signed").order_by("seq")
    assert [e.details["replaces"] for e in replaced] == [None, 1]
    assert agreement.version_in_force == v2
    assert v2.parent == first_version
    assert periodic(watch, D(2031, 7, 8)) == ({}, [])
    # The revision's decision was appealable to 2031-07-24: laga kraft the day after.
    with on(D(2031, 7, 25)), django_capture_on_commit_callbacks(execute=True):
        record_step(agreement, people.sekreterare, "laga_kraft")
    assert watch.actions() == ["decision_step_recorded"]
    assert watch.mails() == {f"Laga kraft: {TITLE}": DRAFTERS}

    # -- warnings before the end --------------------------------------------------
    assert periodic(watch, D(2031, 10, 1)) == ({}, [])  # 91 days before
    mails, actions = periodic(watch, D(2031, 10, 2))
    assert actions == ["expiry_warning"]
    assert mails == {f"Upphör om 90 dagar: {TITLE}": PARTIES}
    mails, actions = periodic(watch, D(2031, 12, 1))
    assert actions == ["expiry_warning"]
    assert mails == {f"Upphör om 30 dagar: {TITLE}": PARTIES}
    warned = agreement.events.filter(action="expiry_warning").order_by("seq")
    assert [e.details["days"] for e in warned] == [90, 30]

    # The last report (due 2032-01-02) is reminded of before the end ...
    mails, actions = periodic(watch, D(2031, 12, 19))
    assert actions == ["followup_reminder"]
    assert mails == {reminder(14): DRAFTERS}
    # ... and on its last day the agreement is still in force.
    assert periodic(watch, D(2031, 12, 31)) == ({}, [])
    assert watch.state() == AgreementState.IN_FORCE

    # -- expiry the day after the end date -----------------------------------------
    mails, actions = periodic(watch, D(2032, 1, 1))
    assert actions == ["agreement_expired"]
    assert mails == {f"Har upphört: {TITLE}": PARTIES}
    assert watch.state() == AgreementState.EXPIRED
    assert agreement.ended_on == D(2031, 12, 31)

    # -- the last report, due after expiry, then the renewal -----------------------
    mails, actions = periodic(watch, D(2032, 1, 2))
    assert actions == ["followup_reminder"]
    assert mails == {due_today(DUE[3]): DRAFTERS}
    with on(D(2032, 1, 2)), django_capture_on_commit_callbacks(execute=True):
        start = followups.report_initial(agreement, DUE[3])
        assert start.entries[KEY]["status"] == "klar"  # from cycle 3, an area still in v2
        keys = [item["key"] for item in rules.items_from(v2.content, {})]
        assert len(keys) == 2 and KEY in keys  # the new area needs a status of its own
        entries = {key: {"status": "klar", "comment": "Genomfört."} for key in keys}
        data = followups.ReportInput(entries=entries, analysis="Perioden avslutad.")
        last = submit(agreement, people.samordnare, DUE[3], data)
        assert last.version == v2
        renewal = lifecycle.agreement_renew(
            agreement_id=agreement.pk, person=people.kommunpolis, channel=Channel.LOGIN
        )
    assert watch.actions() == ["followup_submitted", "agreement_renewed"]
    assert watch.mails() == {
        submitted(DUE[3]): PARTIES,
        # the renewal's version 1 by the kommunpolis, to the other drafter
        "Ny version 1 av Operativ samverkansöverenskommelse Höör 2032–2033": {"sam@hoor.test"},
    }
    assert watch.state() == AgreementState.EXPIRED
    assert renewal.state == AgreementState.DRAFT
    assert renewal.renewed_from == agreement
    assert (renewal.period_start, renewal.period_end) == (D(2032, 1, 1), D(2033, 12, 31))
    assert renewal.title == "Operativ samverkansöverenskommelse Höör 2032–2033"
    assert renewal.follow_up_cadence == "half_yearly"
    assert renewal.latest_version().content_hash == v2.content_hash
    assert periodic(watch, D(2032, 1, 20)) == ({}, [])  # nothing overdue: all handed in

    # -- the whole trail ------------------------------------------------------------
    follow_ups = agreement.events.filter(action__startswith="followup_").order_by("seq")
    assert [(e.action, e.details["due_date"]) for e in follow_ups] == [
        ("followup_reminder", "2030-07-01"),
        ("followup_reminder", "2030-07-01"),
        ("followup_submitted", "2030-07-01"),
        ("followup_reminder", "2031-01-02"),
        ("followup_reminder", "2031-01-02"),
        ("followup_escalated", "2031-01-02"),
        ("followup_submitted", "2031-01-02"),
        ("followup_reminder", "2031-06-30"),
        ("followup_reminder", "2031-06-30"),
        ("followup_submitted", "2031-06-30"),
        ("followup_reminder", "2032-01-02"),
        ("followup_reminder", "2032-01-02"),
        ("followup_submitted", "2032-01-02"),
    ]
    out = io.StringIO()
    with on(D(2032, 1, 20)):
        call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK ")
