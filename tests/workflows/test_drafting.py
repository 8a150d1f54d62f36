import copy

import pytest

from tests.conftest import SAMPLE_CONTENT
from workflows.models import AgreementState, DrafterApproval
from workflows.models.trail import Channel
from workflows.services.drafting import version_approve, version_submit
from workflows.services.errors import DomainError, NotPermitted, StaleVersion, WrongState


def edited(text: str) -> dict:
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] = text
    return content


def submit(agreement, person, content, seen_latest):
    return version_submit(
        agreement_id=agreement.pk,
        author=person,
        content=content,
        change_note="ändring",
        seen_latest=seen_latest,
        parent_number=seen_latest,
        channel=Channel.LOGIN,
    )


def approve(version, person):
    return version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)


def test_both_drafters_approving_the_same_version_make_the_joint_proposal(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT

    approve(v1, people.kommunpolis)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED
    last = agreement.events.order_by("-seq").first()
    assert (last.action, last.from_state, last.to_state) == ("joint_proposal", "draft", "proposed")
    assert last.version_hash == v1.content_hash


def test_approvals_of_different_versions_do_not_make_a_proposal(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    v2 = submit(agreement, people.kommunpolis, edited("Polisens förslag."), seen_latest=1)
    approve(v2, people.kommunpolis)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    with pytest.raises(StaleVersion, match="ersatt av version 2"):
        approve(v1, people.samordnare)


def test_a_new_version_voids_earlier_approvals(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    submit(agreement, people.kommunpolis, edited("Ny text."), seen_latest=1)
    event = agreement.events.order_by("-seq").first()
    assert event.action == "version_submitted"
    assert event.details["voided_approvals"] == ["trygghetssamordnare"]
    # The old approval is kept as history but no longer counts.
    assert DrafterApproval.objects.filter(version=v1).count() == 1


def test_a_new_version_after_the_joint_proposal_returns_it_to_drafting(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    approve(v1, people.kommunpolis)
    submit(agreement, people.samordnare, edited("Rättat stavfel."), seen_latest=1)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    event = agreement.events.order_by("-seq").first()
    assert (event.from_state, event.to_state) == ("proposed", "draft")


def test_an_empty_version_is_refused_and_nothing_changes(agreement, people):
    with pytest.raises(DomainError, match="minst ett avsnitt"):
        submit(agreement, people.samordnare, {"sections": [{"heading": " ", "text": ""}]}, 1)
    assert agreement.versions.count() == 1
    assert agreement.events.count() == 2


def test_an_unchanged_version_is_refused(agreement, people):
    with pytest.raises(DomainError, match="densamma som i version 1"):
        submit(agreement, people.samordnare, SAMPLE_CONTENT, 1)


def test_a_version_written_against_an_old_latest_is_refused(agreement, people):
    submit(agreement, people.kommunpolis, edited("Först in."), seen_latest=1)
    with pytest.raises(StaleVersion, match="Version 2 har lämnats in"):
        submit(agreement, people.samordnare, edited("Sist in."), seen_latest=1)
    assert agreement.versions.count() == 2


@pytest.mark.parametrize(
    "who", ["ks_chair", "lpo_chief", "auditor", "outsider", "eslov_samordnare"]
)
def test_only_the_agreements_drafters_submit_or_approve(agreement, people, who):
    person = getattr(people, who)
    with pytest.raises(NotPermitted):
        submit(agreement, person, edited("Obehörig."), 1)
    with pytest.raises(NotPermitted):
        approve(agreement.versions.get(), person)
    assert agreement.versions.count() == 1
    assert not DrafterApproval.objects.exists()


def test_a_drafter_cannot_approve_twice(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    with pytest.raises(DomainError, match="redan godkänd"):
        approve(v1, people.samordnare)


def test_approving_after_the_joint_proposal_is_refused(agreement, people):
    v1 = agreement.versions.get()
    approve(v1, people.samordnare)
    approve(v1, people.kommunpolis)
    with pytest.raises(WrongState):
        approve(v1, people.kommunpolis)


def test_a_substitute_acts_for_the_role_holder_and_the_trail_says_so(agreement, people, orgs):
    import datetime

    from workflows.models import Person, RoleAssignment

    stand_in = Person.objects.create(name="Erik Ersättare", email="erik@polisen.test")
    RoleAssignment.objects.create(
        person=stand_in,
        role="kommunpolis",
        organisation=orgs.lpo,
        title="Kommunpolis (ersättare)",
        valid_from=datetime.date(2020, 1, 1),
        substitute_for=people.kommunpolis,
    )
    approve(agreement.versions.get(), stand_in)
    event = agreement.events.order_by("-seq").first()
    assert event.on_behalf_of == people.kommunpolis
    assert event.actor_names.name == "Erik Ersättare"
    assert event.actor_names.on_behalf_of_name == "Karin Polis"


def test_a_role_that_has_ended_no_longer_grants_drafting(agreement, people):
    import datetime

    people.samordnare.assignments.update(valid_to=datetime.date(2021, 1, 1))
    with pytest.raises(NotPermitted):
        approve(agreement.versions.get(), people.samordnare)


def test_each_drafting_step_emails_the_other_drafter_with_a_working_link(
    agreement, people, client, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.conftest import login

    with django_capture_on_commit_callbacks(execute=True):
        v2 = submit(agreement, people.kommunpolis, edited("Polisens text."), seen_latest=1)
    [mail] = mailoutbox
    assert mail.to == ['"Sam Samordnare" <sam@hoor.test>']
    assert mail.subject == f"Ny version 2 av {agreement.title}"
    assert "Karin Polis har lämnat in version 2" in mail.body
    link = next(w for w in mail.body.split() if "/versioner/2/" in w)
    page = login(client, people.samordnare).get(link.replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200
    assert v2.content_hash in page.content.decode()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(v2, people.samordnare)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ['"Karin Polis" <karin@polisen.test>'],
            f"Sam Samordnare har godkänt version 2 av {agreement.title}",
        )
    ]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(v2, people.kommunpolis)
    proposal_mails = [m for m in mailoutbox if m.subject.startswith("Gemensamt förslag")]
    assert sorted(m.to[0] for m in proposal_mails) == [
        '"Karin Polis" <karin@polisen.test>',
        '"Sam Samordnare" <sam@hoor.test>',
    ]
    drafter_mails = [m for m in mailoutbox if "/l/" not in m.body]
    assert len(drafter_mails) == 3  # and the approval notice to the other drafter


def test_a_refused_step_sends_no_email(
    agreement, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotPermitted):
        submit(agreement, people.outsider, edited("Obehörig."), 1)
    assert mailoutbox == []
