"""Agreements further along the lifecycle, reached through the real services."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import identified
from workflows.models import AgreementState, Decision
from workflows.models.trail import Channel
from workflows.services import rounds
from workflows.services.decision_steps import StepInput, justering_record, step_record
from workflows.services.decisions import DecisionInput, decision_record, signature_add
from workflows.services.drafting import version_approve

# The story's today (tests/conftest.py STORY_NOW): decided and signed on the day of
# the joint proposal, as the date rules allow.
MEETING = datetime.date(2023, 4, 11)


@pytest.fixture
def proposed(agreement, people, django_capture_on_commit_callbacks):
    """The fixture agreement as a joint proposal, with its decision tasks open."""
    version = agreement.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        version_approve(version_id=version.pk, person=people.samordnare, channel=Channel.LOGIN)
        version_approve(version_id=version.pk, person=people.kommunpolis, channel=Channel.LOGIN)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED
    return agreement


def task_of(agreement, kind: str):
    return rounds.open_tasks(agreement).get(flow_task=_node(kind))


def _node(kind: str):
    from workflows.flows import AgreementFlow

    return getattr(AgreementFlow, kind)


def decide(agreement, kind: str, person, outcome="bifall", justera=True, **extra):
    """Record a decision; the kommun's bifall is justerad the same day too (its
    protocol task), unless ``justera=False``. Its anslag is left for the tests
    that are about it (the nämndsekreterare is reminded of it)."""
    if kind == "police_decision":
        fields = {"diarienummer": "A 2023/5521", "decided_by": "Veronica Ek"}
    else:
        fields = {"paragraph": "§ 42", "diarienummer": "KS 2023/17"}
    fields = {"meeting_date": timezone.localdate(), **fields, **extra}
    decision = decision_record(
        task_id=task_of(agreement, kind).pk,
        person=person,
        version_hash=agreement.latest_version().content_hash,
        fields=DecisionInput(outcome, **fields),
        channel=Channel.LOGIN,
    )
    if kind == "municipal_decision" and outcome == "bifall" and justera:
        justera_protocol(agreement, person, on=fields["meeting_date"])
    return decision


def termination(police: bool = True, notice_months: int = 0, decided_on=None):
    """A party's decision to terminate, taken today unless told."""
    from workflows.services.lifecycle import TerminationDecision

    return TerminationDecision(
        decided_on=decided_on or timezone.localdate(),
        diarienummer="A 9/2023" if police else "KS 2023/90",
        paragraph="" if police else "§ 90",
        notice_months=notice_months,
    )


DECISION_REMINDERS = ("Påminnelse: registrera anslaget", "Påminnelse: bekräfta laga kraft")


def without_decision_reminders(mailoutbox) -> list:
    """The e-mails but the nämndsekreterare's reminders about the kommun's decision
    (anslag, laga kraft), which run on their own schedule (test_decision_steps.py)."""
    return [m for m in mailoutbox if not m.subject.startswith(DECISION_REMINDERS)]


def record_step(agreement, person, kind, on=None, **fields):
    """Record a step on the kommun's latest bifall, from its page's service."""
    decision = Decision.objects.filter(
        agreement=agreement, track="municipal", outcome="bifall"
    ).latest("pk")
    return step_record(
        decision_id=decision.pk,
        person=person,
        fields=StepInput(kind, on or timezone.localdate(), **fields),
        channel=Channel.LOGIN,
    )


def appeal(agreement, person, on=None):
    return record_step(
        agreement,
        person,
        "appeal",
        on,
        names="Förvaltningsrätten i Malmö",
        case_number="1234-23",
    )


def justera_protocol(agreement, person, on=None, anslag_on=None, anslag_url=""):
    """The nämndsekreterare records the justering (and the anslag) from the task."""
    return justering_record(
        task_id=task_of(agreement, "municipal_protocol").pk,
        person=person,
        version_hash=agreement.latest_version().content_hash,
        justerad_on=on or timezone.localdate(),
        justerare="Anna Ordförande, Bo Justerare",
        anslag_on=anslag_on,
        anslag_url=anslag_url,
        channel=Channel.LOGIN,
    )


def sign(agreement, kind: str, person, place="Höör", signed_on=None):
    signed_on = signed_on or timezone.localdate()
    return signature_add(
        task_id=task_of(agreement, kind).pk,
        person=person,
        version_hash=agreement.latest_version().content_hash,
        place=place,
        signed_on=signed_on,
        channel=Channel.LOGIN,
        identification=identified(person),
    )


@pytest.fixture
def signing(proposed, people):
    decide(proposed, "municipal_decision", people.sekreterare)
    decide(proposed, "police_decision", people.lpo_chief)
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.SIGNING
    return proposed


@pytest.fixture
def signed_off(proposed, people, django_capture_on_commit_callbacks):
    """Like ``signing``, with the signature links actually mailed (``mailoutbox``)."""
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, "municipal_decision", people.sekreterare)
        decide(proposed, "police_decision", people.lpo_chief)
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.SIGNING
    return proposed


@pytest.fixture
def in_force(signing, people):
    """Signed by both and in force, for a period that runs from last month to next year."""
    from django.utils import timezone

    from workflows.models import Agreement

    today = timezone.localdate()
    Agreement.objects.filter(pk=signing.pk).update(
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=400),
    )
    signing.refresh_from_db()
    sign(signing, "ks_signature", people.ks_chair)
    sign(signing, "lpo_signature", people.lpo_chief, place="Eslöv")
    signing.refresh_from_db()
    assert signing.state == AgreementState.IN_FORCE
    return signing


def correct(agreement, person, record, field: str, value: str, reason="Protokollet anger annat."):
    """A rättelse of ``record`` (a Decision or a Signature) through the service."""
    from workflows.services.corrections import correction_record

    return correction_record(
        agreement_id=agreement.pk,
        kind=record._meta.model_name,
        record_id=record.pk,
        field=field,
        value=value,
        reason=reason,
        person=person,
        channel=Channel.LOGIN,
    )
