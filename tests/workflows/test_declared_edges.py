"""Every edge of the agreement's declared lifecycle, driven through its service.

Each case reaches the edge's source state through the real services, takes the
edge once, and checks the new state, the trail event the declaration names, the
e-mails queued with it, and the SQL statements the service call issued (counted
around the call, inside the test's transaction, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import copy
import datetime
import json
import os

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import OutboxEmail
from tests.conftest import SAMPLE_CONTENT
from tests.workflows.conftest import (
    appeal,
    correct,
    decide,
    justera_protocol,
    record_step,
    sign,
    termination,
)
from tests.workflows.test_followups import TERTIAL_DUE, at, bring_into_force, written
from workflows.agreement_lifecycle import AGREEMENT
from workflows.models import Agreement
from workflows.models.trail import Channel
from workflows.services import followups, lifecycle, periodic, registration, sealing
from workflows.services.drafting import agreement_create, version_approve, version_submit
from workflows.services.notify import EVENT_MAIL

# The most statements each edge's service call may issue, the same on SQLite and
# PostgreSQL: below the counts before the lifecycle was declared (the closing note
# of issues 8 and 9 has both), since a transition's e-mails, task links included,
# are written in one statement (INSERT … ON CONFLICT DO NOTHING; issue 16). A change
# that adds statements fails here. The date rules (issue 12: a decision not before
# its proposal, a signature not before the decisions) read one date each: one
# statement on every decision and signature. The kommun's bifall opens the
# nämndsekreterare's justering task (its link and e-mail), and a signature checks
# that no inhibition stops it (1). After the kommun's decision one Switch decides
# between signing, the protocol task and stopping (issue 16: it was two If nodes),
# and an edge that changes the agreement's state saves it with the chain head.
# Creating an agreement (and renewing one) looks for one of the same parties and
# kind with an overlapping period (1, issue 11). Cancelling a round reads its live
# links and tells their holders (3 statements; 1 when nobody holds one). A signature
# checks the signatory's password first (1: their user row; issue 14).
BUDGET = {
    "create": 14,
    "register_decided": 31,
    "register_signed": 11,
    "register_in_force": 11,
    "register_expired": 11,
    "submit_version": 14,
    "resubmit": 27,
    "resubmit_lapsed": 26,
    "record_justering": 39,
    "record_decision_step": 17,
    "quash_decision": 45,
    "quash_revision_decision": 45,
    "quash_signed_decision": 17,
    "remind_decision_step": 14,
    "correct_record": 13,
    "resubmit_revision": 27,
    "approve_version": 11,
    "propose": 36,
    "propose_revision": 36,
    "record_decision": 33,
    "remit": 37,
    "remit_revision": 37,
    "reject": 37,
    "reject_revision": 37,
    "open_signing": 58,
    "open_revision_signing": 58,
    "add_signature": 30,
    # the signed e-mail went to the sealing worker: 4 fewer on each second signature
    "sign": 51,
    "sign_into_force": 51,
    "sign_revision": 52,
    # a worker's, not a request's: it reads the snapshot the PDF/A shows
    "seal": 51,
    "enter_into_force": 9,
    # the job reads every open task's due date first: three queries for them all
    "remind_task": 32,
    "escalate_task": 26,
    "open_revision": 9,
    "close_revision": 8,
    "renew": 23,
    "terminate": 14,
    "give_notice": 10,
    "end_on_notice": 13,
    "expire": 11,
    "warn_expiry": 12,
    "submit_followup": 11,
    "remind_followup": 16,
    "escalate_followup": 16,
    "prompt_revision": 20,
}


def _revised(text: str = "Lokala BRÅ följer upp varje tertial.") -> dict:
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][2]["text"] = text
    return content


def _submit(agreement, people, text: str):
    latest = agreement.latest_version()
    return version_submit(
        agreement_id=agreement.pk,
        author=people.samordnare,
        content=_revised(text),
        change_note="Ändrat",
        seen_latest=latest.number,
        parent_number=latest.number,
        channel=Channel.LOGIN,
    )


def _approve(agreement, person):
    version = agreement.latest_version()
    return version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)


def _revision_draft(in_force, people):
    lifecycle.revision_open(agreement_id=in_force.pk, person=people.samordnare, channel="login")
    _submit(in_force, people, "Lokala BRÅ följer upp varje tertial.")
    in_force.refresh_from_db()
    return in_force


def _revision_proposed(in_force, people):
    agreement = _revision_draft(in_force, people)
    _approve(agreement, people.samordnare)
    _approve(agreement, people.kommunpolis)
    agreement.refresh_from_db()
    return agreement


def _revision_signing(in_force, people):
    agreement = _revision_proposed(in_force, people)
    decide(agreement, "municipal_decision", people.sekreterare)
    decide(agreement, "police_decision", people.lpo_chief)
    agreement.refresh_from_db()
    return agreement


# Each driver gets the pytest request and returns (agreement, act): ``act`` takes
# the edge once through the service a person, the flow or the periodic job uses.


def _create(request):
    orgs, people = request.getfixturevalue("orgs"), request.getfixturevalue("people")
    made = {}

    def act():
        made["agreement"] = agreement_create(
            kommun=orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            title="Operativ samverkansöverenskommelse Höör 2027–2028",
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2028, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.samordnare,
            channel=Channel.LOGIN,
        )

    return made, act


def _register(entry: str):
    """An agreement decided (and, but for ``decided``, signed) outside the product."""

    def driver(request):
        orgs, people = request.getfixturevalue("orgs"), request.getfixturevalue("people")
        this_year = timezone.localdate().year
        start_year = {"decided": 0, "signed": 1, "in_force": 0, "expired": -3}[entry] + this_year
        decided = datetime.date(min(start_year, this_year) - 1, 11, 20)
        made = {}

        def act():
            made["agreement"] = registration.agreement_register(
                kommun=orgs.hoor,
                lokalpolisomrade=orgs.lpo,
                kind="operational",
                title=f"Trygg i Höör {start_year}–{start_year + 1}",
                period_start=datetime.date(start_year, 1, 1),
                period_end=datetime.date(start_year + 1, 12, 31),
                content=SAMPLE_CONTENT,
                decisions=[
                    registration.RegisteredDecision("municipal", "ks", decided, "45", "KS 1/1"),
                    registration.RegisteredDecision("police", "lpo", decided),
                ],
                signatures=[]
                if entry == "decided"
                else [
                    registration.RegisteredSignature(
                        "ks_ordforande", "Anna Berg", signed_on=decided
                    ),
                    registration.RegisteredSignature("lpo_chef", "Per Ek", signed_on=decided),
                ],
                registrar=people.samordnare,
                channel=Channel.LOGIN,
            )

        return made, act

    return driver


def _submit_version(request):
    agreement, people = request.getfixturevalue("agreement"), request.getfixturevalue("people")
    return agreement, lambda: _submit(agreement, people, "Ny text.")


def _resubmit(request):
    agreement, people = request.getfixturevalue("proposed"), request.getfixturevalue("people")
    return agreement, lambda: _submit(agreement, people, "Ny text efter förslaget.")


def _resubmit_lapsed(request):
    """Signing waited past the period's end: a new version with a new period."""
    agreement, people = request.getfixturevalue("signing"), request.getfixturevalue("people")
    latest = agreement.latest_version()

    def act():
        with at("2025-02-03"):
            version_submit(
                agreement_id=agreement.pk,
                author=people.samordnare,
                content=_revised("Ny period."),
                change_note="Ny period 2025–2026",
                seen_latest=latest.number,
                parent_number=latest.number,
                channel=Channel.LOGIN,
                period=(datetime.date(2025, 3, 1), datetime.date(2026, 12, 31)),
            )

    return agreement, act


def _record_justering(request):
    agreement, people = request.getfixturevalue("proposed"), request.getfixturevalue("people")
    decide(agreement, "municipal_decision", people.sekreterare, justera=False)
    return agreement, lambda: justera_protocol(agreement, people.sekreterare)


def _record_decision_step(request):
    agreement, people = request.getfixturevalue("in_force"), request.getfixturevalue("people")
    return agreement, lambda: record_step(agreement, people.sekreterare, "anslag")


def _quash(fixture: str):
    def driver(request):
        people = request.getfixturevalue("people")
        if fixture == "revision_signing":
            agreement = _revision_signing(request.getfixturevalue("in_force"), people)
        else:
            agreement = request.getfixturevalue(fixture)
        record_step(agreement, people.sekreterare, "anslag")
        appeal(agreement, people.sekreterare)
        return agreement, lambda: record_step(
            agreement,
            people.sekreterare,
            "appeal_decided",
            names="Förvaltningsrätten i Malmö",
            appeal_outcome="upphavt",
        )

    return driver


def _correct_record(request):
    agreement, people = request.getfixturevalue("in_force"), request.getfixturevalue("people")
    decision = agreement.decisions.get(track="municipal")
    return agreement, lambda: correct(agreement, people.sekreterare, decision, "paragraph", "47")


def _remind_decision_step(request):
    agreement = request.getfixturevalue("in_force")

    def act():
        with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
            assert periodic.decision_steps_remind() == 1

    return agreement, act


def _end_on_notice(request):
    agreement, people = request.getfixturevalue("in_force"), request.getfixturevalue("people")
    lifecycle.agreement_terminate(
        agreement_id=agreement.pk,
        person=people.lpo_chief,
        reason="Ny organisation.",
        ends_on=datetime.date(2023, 7, 31),
        decision=termination(police=True, notice_months=3),
        channel="login",
    )

    def act():
        with at("2023-08-01"):
            assert lifecycle.agreements_end_on_notice() == 1

    return agreement, act


def _resubmit_revision(request):
    people = request.getfixturevalue("people")
    agreement = _revision_proposed(request.getfixturevalue("in_force"), people)
    return agreement, lambda: _submit(agreement, people, "Ännu en revidering.")


def _approve_version(request):
    agreement, people = request.getfixturevalue("agreement"), request.getfixturevalue("people")
    return agreement, lambda: _approve(agreement, people.samordnare)


def _propose(request):
    agreement, people = request.getfixturevalue("agreement"), request.getfixturevalue("people")
    _approve(agreement, people.samordnare)
    return agreement, lambda: _approve(agreement, people.kommunpolis)


def _propose_revision(request):
    people = request.getfixturevalue("people")
    agreement = _revision_draft(request.getfixturevalue("in_force"), people)
    _approve(agreement, people.samordnare)
    return agreement, lambda: _approve(agreement, people.kommunpolis)


def _decision(fixture: str, outcome: str, second: bool = False):
    def driver(request):
        people = request.getfixturevalue("people")
        if fixture == "revision":
            agreement = _revision_proposed(request.getfixturevalue("in_force"), people)
        else:
            agreement = request.getfixturevalue(fixture)
        if second:
            decide(agreement, "municipal_decision", people.sekreterare)  # and justera
            return agreement, lambda: decide(agreement, "police_decision", people.lpo_chief)
        note = {"note": "Förtydliga ansvaret."} if outcome == "aterremiss" else {}
        return agreement, lambda: decide(
            agreement, "municipal_decision", people.sekreterare, outcome, justera=False, **note
        )

    return driver


def _add_signature(request):
    agreement, people = request.getfixturevalue("signing"), request.getfixturevalue("people")
    return agreement, lambda: sign(agreement, "ks_signature", people.ks_chair)


def _second_signature(start_offset_days: int):
    def driver(request):
        agreement, people = request.getfixturevalue("signing"), request.getfixturevalue("people")
        start = timezone.localdate() + datetime.timedelta(days=start_offset_days)
        Agreement.objects.filter(pk=agreement.pk).update(
            period_start=start, period_end=start + datetime.timedelta(days=700)
        )
        agreement.refresh_from_db()
        sign(agreement, "ks_signature", people.ks_chair, signed_on=timezone.localdate())
        return agreement, lambda: sign(
            agreement, "lpo_signature", people.lpo_chief, signed_on=timezone.localdate()
        )

    return driver


def _sign_revision(request):
    people = request.getfixturevalue("people")
    agreement = _revision_signing(request.getfixturevalue("in_force"), people)
    today = timezone.localdate()
    sign(agreement, "ks_signature", people.ks_chair, signed_on=today)
    return agreement, lambda: sign(agreement, "lpo_signature", people.lpo_chief, signed_on=today)


def _seal(request):
    agreement = request.getfixturevalue("in_force")
    version = agreement.version_in_force
    return agreement, lambda: sealing.version_seal(version.pk)


def _enter_into_force(request):
    agreement, act = _second_signature(10)(request)
    act()
    agreement.refresh_from_db()

    def enter():
        with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
            assert periodic.agreements_enter_into_force() == 1

    return agreement, enter


def _task_reminder(days: int, already_reminded: bool = False):
    def driver(request):
        agreement = request.getfixturevalue("proposed")
        opened = timezone.now()
        if already_reminded:
            with time_machine.travel(opened + datetime.timedelta(days=6)):
                periodic.open_tasks_remind()

        def act():
            with time_machine.travel(opened + datetime.timedelta(days=days)):
                assert periodic.open_tasks_remind() == 2

        return agreement, act

    return driver


def _in_force_step(call):
    def driver(request):
        agreement, people = request.getfixturevalue("in_force"), request.getfixturevalue("people")
        return agreement, lambda: call(agreement, people)

    return driver


def _close_revision(request):
    people = request.getfixturevalue("people")
    agreement = request.getfixturevalue("in_force")
    lifecycle.revision_open(agreement_id=agreement.pk, person=people.samordnare, channel="login")
    return agreement, lambda: lifecycle.revision_close(
        agreement_id=agreement.pk, person=people.kommunpolis, channel="login"
    )


def _expire(request):
    agreement = request.getfixturevalue("in_force")

    def act():
        with time_machine.travel(agreement.period_end + datetime.timedelta(days=1, hours=12)):
            assert lifecycle.agreements_expire() == 1

    return agreement, act


def _warn_expiry(request):
    agreement = request.getfixturevalue("in_force")

    def act():
        with time_machine.travel(agreement.period_end - datetime.timedelta(days=89)):
            assert lifecycle.expiry_warnings() == 1

    return agreement, act


def _tertial(request):
    signing, people = request.getfixturevalue("signing"), request.getfixturevalue("people")
    return bring_into_force(signing, people, "2023-04-11"), people


def _submit_followup(request):
    agreement, people = _tertial(request)

    def act():
        with at("2023-04-25"):
            followups.report_submit(
                agreement_id=agreement.pk,
                due_date=TERTIAL_DUE[0],
                person=people.samordnare,
                data=written(),
                seen_edits=0,
                channel=Channel.LOGIN,
            )

    return agreement, act


def _follow_up_job(day: str, cadence: str = "tertial"):
    def driver(request):
        signing, people = request.getfixturevalue("signing"), request.getfixturevalue("people")
        agreement = bring_into_force(signing, people, "2023-04-11", cadence=cadence)

        def act():
            with at(day):
                assert followups.follow_up_reminders() >= 1

        return agreement, act

    return driver


DRIVERS = {
    "create": _create,
    "register_decided": _register("decided"),
    "register_signed": _register("signed"),
    "register_in_force": _register("in_force"),
    "register_expired": _register("expired"),
    "submit_version": _submit_version,
    "resubmit": _resubmit,
    "resubmit_lapsed": _resubmit_lapsed,
    "record_justering": _record_justering,
    "record_decision_step": _record_decision_step,
    "correct_record": _correct_record,
    "quash_decision": _quash("signing"),
    "quash_revision_decision": _quash("revision_signing"),
    "quash_signed_decision": _quash("in_force"),
    "remind_decision_step": _remind_decision_step,
    "resubmit_revision": _resubmit_revision,
    "approve_version": _approve_version,
    "propose": _propose,
    "propose_revision": _propose_revision,
    "record_decision": _decision("proposed", "bifall"),
    "remit": _decision("proposed", "aterremiss"),
    "remit_revision": _decision("revision", "aterremiss"),
    "reject": _decision("proposed", "avslag"),
    "reject_revision": _decision("revision", "avslag"),
    "open_signing": _decision("proposed", "bifall", second=True),
    "open_revision_signing": _decision("revision", "bifall", second=True),
    "add_signature": _add_signature,
    "sign": _second_signature(30),
    "sign_into_force": _second_signature(-30),
    "seal": _seal,
    "sign_revision": _sign_revision,
    "enter_into_force": _enter_into_force,
    "remind_task": _task_reminder(6),
    "escalate_task": _task_reminder(12, already_reminded=True),
    "open_revision": _in_force_step(
        lambda a, p: lifecycle.revision_open(
            agreement_id=a.pk, person=p.samordnare, channel="login", reason="Behov."
        )
    ),
    "close_revision": _close_revision,
    "renew": _in_force_step(
        lambda a, p: lifecycle.agreement_renew(
            agreement_id=a.pk, person=p.kommunpolis, channel="login"
        )
    ),
    "terminate": _in_force_step(
        lambda a, p: lifecycle.agreement_terminate(
            agreement_id=a.pk,
            person=p.ks_chair,
            reason="Ny organisation.",
            ends_on=timezone.localdate(),
            decision=termination(police=False),
            channel="login",
        )
    ),
    "give_notice": _in_force_step(
        lambda a, p: lifecycle.agreement_terminate(
            agreement_id=a.pk,
            person=p.ks_chair,
            reason="Ny organisation.",
            ends_on=datetime.date(2023, 7, 31),
            decision=termination(police=False, notice_months=3),
            channel="login",
        )
    ),
    "end_on_notice": _end_on_notice,
    "expire": _expire,
    "warn_expiry": _warn_expiry,
    "submit_followup": _submit_followup,
    "remind_followup": _follow_up_job("2023-04-18"),
    "escalate_followup": _follow_up_job("2023-05-16"),
    "prompt_revision": _follow_up_job("2024-01-02", cadence="yearly"),
}


def test_every_declared_edge_has_a_driver_and_a_budget():
    names = {edge.name for edge in AGREEMENT.edges}
    assert set(DRIVERS) == names
    assert set(BUDGET) == names


@pytest.mark.parametrize("name", [edge.name for edge in AGREEMENT.edges])
def test_each_declared_edge_through_its_service(name, request, db):
    edge = AGREEMENT.edge(name)
    subject, act = DRIVERS[name](request)
    seq = 0 if isinstance(subject, dict) else subject.trail_length
    with CaptureQueriesContext(connection) as queries:
        act()
    agreement = subject["agreement"] if isinstance(subject, dict) else subject
    agreement.refresh_from_db()
    assert_taken(edge, agreement, agreement, seq, EVENT_MAIL)
    _record(name, len(queries))
    assert len(queries) <= BUDGET[name], "\n".join(q["sql"] for q in queries.captured_queries)


def assert_taken(edge, document, agreement, seq: int, mail: dict) -> None:
    """The document is in the edge's target state, the agreement's trail has the
    edge's event since ``seq``, and the edge's e-mail event queued its e-mails."""
    if edge.changes_state:
        assert document.state == edge.target
    events = list(agreement.events.filter(seq__gt=seq).order_by("seq"))
    taken = [event for event in events if event.action == edge.action]
    assert taken, f"{edge.name}: no {edge.action} event in {[e.action for e in events]}"
    if edge.changes_state:
        assert taken[-1].to_state == edge.target
    if edge.email in mail:
        queued = OutboxEmail.objects.filter(key__startswith=f"event:{taken[-1].pk}:")
        assert queued.exists(), f"{edge.name}: no e-mail for the {edge.action} event"


def _record(name: str, count: int) -> None:
    """EDGE_COUNTS=file.json collects the counts (for the closing note's table)."""
    path = os.environ.get("EDGE_COUNTS")
    if not path:
        return
    counts = json.load(open(path)) if os.path.exists(path) else {}
    counts[f"{connection.vendor}:{name}"] = count
    with open(path, "w") as out:
        json.dump(counts, out, indent=1, sort_keys=True)
