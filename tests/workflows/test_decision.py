import datetime

import pytest
from django.core.management import call_command

from tests.conftest import identified
from tests.workflows.conftest import decide, sign, task_of
from workflows.models import AgreementState, Decision, Signature
from workflows.services import rounds
from workflows.services.errors import NotPermitted, StaleVersion


def test_a_joint_proposal_opens_both_decision_tasks_and_mails_links(proposed, people, mailoutbox):
    kinds = sorted(t.flow_task.name for t in rounds.open_tasks(proposed))
    assert kinds == ["municipal_decision", "police_decision"]
    link_mails = [m for m in mailoutbox if "/l/" in m.body]
    recipients = sorted(m.to[0] for m in link_mails)
    assert recipients == [
        '"Johan Svahnberg" <johan@hoor.test>',
        '"Nils Nämnd" <nils@hoor.test>',
        '"Veronica Ek" <veronica@polisen.test>',
    ]


def test_bifall_on_both_tracks_opens_signature(signing, people):
    kinds = sorted(t.flow_task.name for t in rounds.open_tasks(signing))
    assert kinds == ["ks_signature", "lpo_signature"]
    actions = list(signing.events.order_by("seq").values_list("action", flat=True))
    assert actions[-4:] == [
        "decision_recorded",
        "decision_step_recorded",
        "decision_recorded",
        "signing_opened",
    ]


def test_two_signatures_put_an_agreement_whose_start_has_passed_in_force(signing, people):
    sign(signing, "ks_signature", people.ks_chair)
    signing.refresh_from_db()
    assert signing.state == AgreementState.SIGNING
    sign(signing, "lpo_signature", people.lpo_chief, place="Eslöv")
    signing.refresh_from_db()
    assert signing.state == AgreementState.IN_FORCE
    assert Signature.objects.filter(agreement=signing).count() == 2
    assert not rounds.open_tasks(signing).exists()
    out = __import__("io").StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().startswith("OK ")


def test_avslag_on_one_track_rejects_and_closes_the_other_task(proposed, people):
    decide(proposed, "police_decision", people.lpo_chief, outcome="avslag", note="Saknar budget.")
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.REJECTED
    assert not rounds.open_tasks(proposed).exists()


def test_aterremiss_returns_to_drafting_with_the_reason(proposed, people, mailoutbox):
    mailoutbox.clear()
    decide(
        proposed,
        "municipal_decision",
        people.sekreterare,
        outcome="aterremiss",
        note="Förtydliga ansvaret för trygghetsvandringar.",
    )
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.DRAFT
    assert not rounds.open_tasks(proposed).exists()


def test_bordlaggning_keeps_the_task_open(proposed, people):
    decide(
        proposed,
        "municipal_decision",
        people.sekreterare,
        outcome="bordlaggning",
        next_meeting_date=datetime.date(2023, 4, 17),
    )
    assert task_of(proposed, "municipal_decision")
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED
    decide(proposed, "municipal_decision", people.sekreterare)
    assert Decision.objects.filter(agreement=proposed).count() == 2


def test_nobody_decides_a_task_that_is_not_theirs(proposed, people):
    for person in (people.lpo_chief, people.kommunpolis, people.outsider, people.auditor):
        with pytest.raises(NotPermitted):
            decide(proposed, "municipal_decision", person)
    assert not Decision.objects.exists()


def test_a_decision_for_another_text_is_refused(proposed, people):
    from workflows.models.trail import Channel
    from workflows.services.decisions import DecisionInput, decision_record

    with pytest.raises(StaleVersion):
        decision_record(
            task_id=task_of(proposed, "police_decision").pk,
            person=people.lpo_chief,
            version_hash="0" * 64,
            fields=DecisionInput(
                "bifall", datetime.date(2023, 4, 11), diarienummer="A 1/2023", decided_by="V"
            ),
            channel=Channel.LOGIN,
        )


def test_signing_is_refused_while_the_decisions_are_open(proposed, people):
    import datetime as dt

    from workflows.models.trail import Channel
    from workflows.services.decisions import signature_add
    from workflows.services.errors import DomainError

    assert "ks_signature" not in [t.flow_task.name for t in rounds.open_tasks(proposed)]
    with pytest.raises(DomainError, match="inte en sådan uppgift"):
        signature_add(
            task_id=task_of(proposed, "municipal_decision").pk,
            person=people.ks_chair,
            version_hash=proposed.latest_version().content_hash,
            place="Höör",
            signed_on=dt.date(2023, 4, 11),
            channel=Channel.LOGIN,
            identification=identified(people.ks_chair),
        )
    assert not Signature.objects.exists()


def test_a_substitute_decides_for_the_lpo_chief_during_the_substitute_period(
    proposed, people, orgs
):
    from workflows.models import Person, RoleAssignment

    stand_in = Person.objects.create(name="Helena Strand", email="helena@polisen.test")
    RoleAssignment.objects.create(
        person=stand_in,
        role="lpo_chef",
        organisation=orgs.lpo,
        title="Ställföreträdande lokalpolisområdeschef",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2099, 12, 31),
        substitute_for=people.lpo_chief,
    )
    decide(proposed, "police_decision", stand_in)
    event = proposed.events.get(action="decision_recorded")
    assert event.actor == stand_in and event.on_behalf_of == people.lpo_chief
    assert event.actor_names.title == "Ställföreträdande lokalpolisområdeschef"
    assert event.actor_names.on_behalf_of_name == "Veronica Ek"


def test_a_substitute_outside_the_period_cannot_decide(proposed, people, orgs):
    from workflows.models import Person, RoleAssignment

    stand_in = Person.objects.create(name="Helena Strand", email="helena@polisen.test")
    RoleAssignment.objects.create(
        person=stand_in,
        role="lpo_chef",
        organisation=orgs.lpo,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2020, 6, 30),
        substitute_for=people.lpo_chief,
    )
    with pytest.raises(NotPermitted):
        decide(proposed, "police_decision", stand_in)
    assert not Decision.objects.exists()
