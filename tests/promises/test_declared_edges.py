"""Every edge of the medborgarlöften set's declared lifecycle, driven through its
service: the new state, the trail event, the e-mails, and the SQL statements."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from promises.lifecycle import PROMISE_SET
from promises.services import followup, periodic
from promises.services.drafting import promises_save
from promises.services.notify import EVENT_MAIL
from tests.promises.conftest import (
    BACKGROUND,
    PROMISES,
    SIGNED_ON,
    anmal,
    approve,
    create_set,
    send_back,
    sign,
)
from tests.workflows.test_declared_edges import _record, assert_taken
from workflows.models.trail import Channel

# The most statements each edge may issue (SQLite and PostgreSQL alike); see the
# agreement edges' test for what lowered them. A signature checks the signatory's
# password first (1 statement; issue 14).
BUDGET = {
    "create": 14,
    "register": 12,
    "edit": 22,
    "reopen": 22,
    "approve": 18,
    "propose": 51,
    "sign": 38,
    "send_back": 46,
    "publish": 84,  # the flow asks whether the KS decided by delegation (issue 13)
    "withdraw": 28,
    "escalate_task": 31,
    "remind_task": 35,
    "follow_up": 17,
    "report": 18,
    "record_delegation_step": 34,
}


def _edit(promise_set, person):
    promise_set.refresh_from_db()
    return promises_save(
        set_id=promise_set.pk,
        author=person,
        channel=Channel.LOGIN,
        background=BACKGROUND + " Ändrat.",
        promises=PROMISES,
        seen_hash=promise_set.content_hash,
    )


def _drivers(request):
    people = request.getfixturevalue("people")

    def create():
        agreement = request.getfixturevalue("agreement")
        made = {}
        return made, lambda: made.setdefault("set", create_set(agreement, people.samordnare))

    def register():
        from promises.services.registration import promise_set_register
        from workflows.services.registration import RegisteredSignature

        agreement = request.getfixturevalue("in_force")
        made = {}
        signed = [
            RegisteredSignature("ks_ordforande", "Johan Svahnberg", signed_on=SIGNED_ON),
            RegisteredSignature("lpo_chef", "Veronica Ek", signed_on=SIGNED_ON),
        ]
        return made, lambda: made.setdefault(
            "set",
            promise_set_register(
                agreement_id=agreement.pk,
                first_year=2023,
                last_year=2024,
                promises=PROMISES,
                signatures=signed,
                registrar=people.samordnare,
                channel=Channel.LOGIN,
            ),
        )

    def edit():
        s = request.getfixturevalue("draft_set")
        return s, lambda: _edit(s, people.kommunpolis)

    def reopen():
        s = request.getfixturevalue("proposed_set")
        send_back(s, "promises_ks", people.ks_chair)
        return s, lambda: _edit(s, people.samordnare)

    def approve_once():
        s = request.getfixturevalue("draft_set")
        return s, lambda: approve(s, people.samordnare)

    def propose():
        s = request.getfixturevalue("draft_set")
        approve(s, people.samordnare)
        return s, lambda: approve(s, people.kommunpolis)

    def sign_once():
        s = request.getfixturevalue("proposed_set")
        return s, lambda: sign(s, "promises_ks", people.ks_chair)

    def send_back_once():
        s = request.getfixturevalue("proposed_set")
        return s, lambda: send_back(s, "promises_lpo", people.lpo_chief)

    def publish():
        s = request.getfixturevalue("proposed_set")
        sign(s, "promises_ks", people.ks_chair)
        return s, lambda: sign(s, "promises_lpo", people.lpo_chief)

    def withdraw():
        from workflows.models import Agreement
        from workflows.services.lifecycle import _ended

        s = request.getfixturevalue("proposed_set")

        def act():
            with transaction.atomic():
                _ended(Agreement.objects.select_for_update().get(pk=s.agreement_id))

        return s, act

    def remind():
        s = request.getfixturevalue("proposed_set")
        later = timezone.now() + datetime.timedelta(days=6)

        def act():
            with time_machine.travel(later):
                assert periodic.promise_tasks_remind() == 2

        return s, act

    def escalate():
        s = request.getfixturevalue("proposed_set")
        opened = timezone.now()
        with time_machine.travel(opened + datetime.timedelta(days=6)):
            periodic.promise_tasks_remind()

        def act():
            with time_machine.travel(opened + datetime.timedelta(days=12)):
                assert periodic.promise_tasks_remind() == 2

        return s, act

    def follow_up_once():
        s = request.getfixturevalue("published_set")
        promise = s.promises.first()
        return s, lambda: followup.follow_up_add(
            promise_id=promise.pk,
            author=people.samordnare,
            status="ongoing",
            comment="Två nya områden.",
            reported_on=SIGNED_ON,
            channel=Channel.LOGIN,
        )

    def report():
        s = request.getfixturevalue("published_set")
        return s, lambda: followup.report_add(
            set_id=s.pk,
            author=people.kommunpolis,
            year=2023,
            summary="Löftena följdes.",
            channel=Channel.LOGIN,
        )

    def anmalan():
        s = request.getfixturevalue("delegated_set")
        return s, lambda: anmal(s, people.sekreterare, SIGNED_ON, SIGNED_ON)

    return {
        "record_delegation_step": anmalan,
        "create": create,
        "register": register,
        "edit": edit,
        "reopen": reopen,
        "approve": approve_once,
        "propose": propose,
        "sign": sign_once,
        "send_back": send_back_once,
        "publish": publish,
        "withdraw": withdraw,
        "escalate_task": escalate,
        "remind_task": remind,
        "follow_up": follow_up_once,
        "report": report,
    }


def test_every_declared_edge_has_a_budget():
    assert set(BUDGET) == {edge.name for edge in PROMISE_SET.edges}


@pytest.mark.parametrize("name", [edge.name for edge in PROMISE_SET.edges])
def test_each_declared_edge_through_its_service(name, request, db):
    edge = PROMISE_SET.edge(name)
    subject, act = _drivers(request)[name]()
    agreement = request.getfixturevalue("agreement")
    agreement.refresh_from_db()
    seq = agreement.trail_length
    with CaptureQueriesContext(connection) as queries:
        act()
    promise_set = subject["set"] if isinstance(subject, dict) else subject
    promise_set.refresh_from_db()
    assert_taken(edge, promise_set, agreement, seq, EVENT_MAIL)
    _record(f"promises.{name}", len(queries))
    assert len(queries) <= BUDGET[name], "\n".join(q["sql"] for q in queries.captured_queries)
