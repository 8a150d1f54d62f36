"""The period in force: revision, termination, expiry and renewal."""

import copy
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from notifications.services import outbox_relay
from tests.conftest import SAMPLE_CONTENT
from tests.workflows.conftest import decide, sign, termination, without_decision_reminders
from workflows.models import Agreement, AgreementState
from workflows.models.trail import Channel
from workflows.services import lifecycle
from workflows.services.drafting import version_approve, version_submit
from workflows.services.errors import DomainError, NotPermitted, WrongState


def revised(text: str) -> dict:
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][2]["text"] = text
    return content


def propose_revision(agreement, people, text="Lokala BRÅ följer upp varje tertial."):
    lifecycle.revision_open(
        agreement_id=agreement.pk,
        person=people.samordnare,
        channel=Channel.LOGIN,
        reason="Uppföljningen visade behov.",
    )
    version = version_submit(
        agreement_id=agreement.pk,
        author=people.samordnare,
        content=revised(text),
        change_note="Tätare uppföljning",
        seen_latest=1,
        parent_number=1,
        channel=Channel.LOGIN,
    )
    for person in (people.samordnare, people.kommunpolis):
        version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)
    agreement.refresh_from_db()
    return version


def test_a_signed_revision_replaces_the_text_in_force(in_force, people):
    first = in_force.version_in_force
    assert first.number == 1
    v2 = propose_revision(in_force, people)
    assert in_force.state == AgreementState.REVISION_PROPOSED
    assert in_force.version_in_force == first  # the old text applies meanwhile
    decide(in_force, "municipal_decision", people.sekreterare)
    decide(in_force, "police_decision", people.lpo_chief)
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.REVISION_SIGNING
    sign(in_force, "ks_signature", people.ks_chair)
    sign(in_force, "lpo_signature", people.lpo_chief, place="Eslöv")
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.IN_FORCE
    assert in_force.version_in_force == v2
    assert v2.parent == first
    signed = in_force.events.filter(action="agreement_signed").order_by("seq")
    assert [e.details["replaces"] for e in signed] == [None, 1]
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK")


def test_a_rejected_revision_leaves_the_old_text_in_force(in_force, people):
    first = in_force.version_in_force
    propose_revision(in_force, people)
    decide(in_force, "police_decision", people.lpo_chief, outcome="avslag", note="Inte nu.")
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.IN_FORCE
    assert in_force.version_in_force == first
    event = in_force.events.filter(action="decision_recorded").latest("seq")
    assert (event.from_state, event.to_state) == ("revision_proposed", "in_force")


def test_a_revision_is_refused_on_an_agreement_not_in_force(agreement, people):
    with pytest.raises(WrongState):
        lifecycle.revision_open(
            agreement_id=agreement.pk, person=people.samordnare, channel=Channel.LOGIN
        )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    assert agreement.events.count() == 2


def test_only_drafters_open_a_revision(in_force, people):
    with pytest.raises(NotPermitted):
        lifecycle.revision_open(
            agreement_id=in_force.pk, person=people.auditor, channel=Channel.LOGIN
        )


def test_termination_needs_a_reason_and_changes_nothing_without_one(in_force, people):
    with pytest.raises(DomainError, match="skälet"):
        lifecycle.agreement_terminate(
            agreement_id=in_force.pk,
            person=people.lpo_chief,
            reason="  ",
            ends_on=timezone.localdate(),
            decision=termination(police=True),
            channel=Channel.LOGIN,
        )
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.IN_FORCE


def test_either_party_terminates_and_the_other_is_told(
    in_force, people, django_capture_on_commit_callbacks, mailoutbox
):
    outbox_relay()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.agreement_terminate(
            agreement_id=in_force.pk,
            person=people.lpo_chief,
            reason="Omorganisation av lokalpolisområdet.",
            ends_on=timezone.localdate(),
            decision=termination(police=True),
            channel=Channel.LOGIN,
        )
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.TERMINATED
    assert in_force.termination_reason == "Omorganisation av lokalpolisområdet."
    to = {m.to[0] for m in mailoutbox}
    assert '"Johan Svahnberg" <johan@hoor.test>' in to and '"Sam Samordnare" <sam@hoor.test>' in to
    assert all(m.subject.startswith("Uppsagd") for m in mailoutbox)


def test_warnings_before_the_end_then_expiry_the_day_after_each_once(
    in_force, people, django_capture_on_commit_callbacks, mailoutbox
):
    end = in_force.period_end
    outbox_relay()
    mailoutbox.clear()

    def run_at(day: datetime.date) -> str:
        out = io.StringIO()
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)).astimezone()):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("run_periodic", stdout=out)
                call_command("run_periodic", stdout=out)
        return out.getvalue()

    def warnings() -> list:
        # Follow-up reminders go out on their own schedule (test_followups.py), and
        # so do the nämndsekreterare's about the decision.
        return [
            m
            for m in without_decision_reminders(mailoutbox)
            if "uppföljning" not in m.subject.lower()
        ]

    run_at(end - datetime.timedelta(days=91))
    assert warnings() == []
    run_at(end - datetime.timedelta(days=90))
    assert {m.subject for m in warnings()} == {f"Upphör om 90 dagar: {in_force.title}"}
    count_90 = len(warnings())
    run_at(end - datetime.timedelta(days=29))
    assert len(warnings()) == 2 * count_90
    run_at(end)
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.IN_FORCE
    run_at(end + datetime.timedelta(days=1))
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.EXPIRED
    assert in_force.events.filter(action="agreement_expired").count() == 1
    assert in_force.events.filter(action="expiry_warning").count() == 2


def test_renewal_starts_the_next_period_in_drafting_from_the_text_in_force(in_force, people):
    Agreement.objects.filter(pk=in_force.pk).update(
        period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    new = lifecycle.agreement_renew(
        agreement_id=in_force.pk, person=people.kommunpolis, channel=Channel.LOGIN
    )
    assert new.state == AgreementState.DRAFT
    assert (new.period_start, new.period_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert new.title == "Operativ samverkansöverenskommelse Höör 2025–2026"
    assert new.renewed_from == in_force
    assert new.latest_version().content_hash == in_force.version_in_force.content_hash
    with pytest.raises(DomainError, match="redan förnyad"):
        lifecycle.agreement_renew(
            agreement_id=in_force.pk, person=people.kommunpolis, channel=Channel.LOGIN
        )
