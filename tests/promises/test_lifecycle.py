"""From draft to published through the services: drafting, the joint proposal,
decision and signature by both, sending back, and the trail of it all."""

from __future__ import annotations

import datetime

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from promises import content as content_rules
from promises.models import (
    Answer,
    ImmutablePromise,
    PromiseAnswer,
    PromiseSet,
    PromiseSetState,
)
from promises.services import rounds
from promises.services.drafting import promise_set_approve, promises_save
from tests.conftest import SAMPLE_CONTENT, identified
from tests.promises.conftest import (
    PROMISES,
    approve,
    create_set,
    links_to,
    send_back,
    sign,
    task_of,
)
from workflows.models import ActionToken, AuditEvent
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create
from workflows.services.errors import DomainError, NotPermitted, StaleVersion, WrongState
from workflows.services.tokens import Revoked, tokens_revoke
from workflows.services.trail import chain_verify


def actions(agreement) -> list[str]:
    return list(
        AuditEvent.objects.filter(agreement=agreement, object_type="promiseset")
        .order_by("seq")
        .values_list("action", flat=True)
    )


# -- drafting ---------------------------------------------------------------------------


def test_a_drafter_starts_promises_in_draft_with_the_hash_of_their_content(draft_set, people):
    assert draft_set.state == PromiseSetState.DRAFT
    assert draft_set.period == "2023–2024"
    assert [p.title for p in draft_set.promises.order_by("position")] == [
        "Grannsamverkan mot brott",
        "Blåljusdagar för årskurs 4",
    ]
    assert len(draft_set.content_hash) == 64
    event = AuditEvent.objects.get(action="promises_created")
    assert (event.object_type, event.object_id) == ("promiseset", str(draft_set.pk))
    assert event.version_hash == draft_set.content_hash
    assert event.actor == people.samordnare


def test_the_same_promises_have_the_same_hash_whatever_the_white_space(orgs, people, agreement):
    messy = [
        dict(p, title=f"  {p['title']}  ", description=p["description"] + "\r\n") for p in PROMISES
    ]
    first = create_set(agreement, people.samordnare)
    copy = agreement_create(
        kommun=orgs.hoor,
        lokalpolisomrade=orgs.lpo,
        kind="operational",
        title="Operativ 2023–2024, kopia",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        content=SAMPLE_CONTENT,
        author=people.samordnare,
        channel=Channel.LOGIN,
        duplicate_reason="En kopia för att jämföra löftenas hash.",
    )
    assert create_set(copy, people.samordnare, promises=messy).content_hash == first.content_hash
    content = content_rules.content_of(first)
    assert content_rules.content_hash(content) == first.content_hash
    assert content_rules.content_hash(dict(content, last_year=2023)) != first.content_hash
    reordered = dict(content, promises=content["promises"][::-1])
    assert content_rules.content_hash(reordered) != first.content_hash


def test_a_strategic_agreement_cannot_have_promises(orgs, people):
    strategic = agreement_create(
        kommun=orgs.hoor,
        lokalpolisomrade=orgs.lpo,
        kind="strategic",
        title="Strategisk samverkansöverenskommelse Höör 2023–2024",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        content=SAMPLE_CONTENT,
        author=people.samordnare,
        channel=Channel.LOGIN,
    )
    with pytest.raises(DomainError, match="operativa överenskommelsen"):
        create_set(strategic, people.samordnare)
    assert not PromiseSet.objects.exists()


def test_only_the_drafters_of_the_agreement_start_promises(agreement, people):
    for person in (people.ks_chair, people.lpo_chief, people.eslov_samordnare, people.outsider):
        with pytest.raises(NotPermitted):
            create_set(agreement, person)
    assert not PromiseSet.objects.exists()


def test_promises_stay_within_the_agreement_period_and_periods_do_not_overlap(
    agreement, people, draft_set
):
    with pytest.raises(DomainError, match="inom överenskommelsens period"):
        create_set(agreement, people.samordnare, first_year=2025, last_year=2025)
    with pytest.raises(DomainError, match="redan medborgarlöften"):
        create_set(agreement, people.kommunpolis, first_year=2024, last_year=2024)


def test_a_change_voids_the_earlier_approval(draft_set, people):
    approve(draft_set, people.samordnare)
    old_hash = draft_set.content_hash
    promises_save(
        set_id=draft_set.pk,
        author=people.kommunpolis,
        channel=Channel.LOGIN,
        background="Ny bakgrund.",
        promises=PROMISES,
        seen_hash=old_hash,
    )
    draft_set.refresh_from_db()
    assert draft_set.content_hash != old_hash
    approve(draft_set, people.kommunpolis)
    draft_set.refresh_from_db()
    assert draft_set.state == PromiseSetState.DRAFT  # the samordnare approved another text
    approve(draft_set, people.samordnare)
    draft_set.refresh_from_db()
    assert draft_set.state == PromiseSetState.PROPOSED


def test_a_save_from_an_old_reading_is_refused(draft_set, people):
    with pytest.raises(StaleVersion):
        promises_save(
            set_id=draft_set.pk,
            author=people.kommunpolis,
            channel=Channel.LOGIN,
            background="",
            promises=PROMISES[:1],
            seen_hash="0" * 64,
        )


def test_an_approval_of_text_the_drafter_did_not_read_is_refused(draft_set, people):
    with pytest.raises(StaleVersion):
        promise_set_approve(
            set_id=draft_set.pk, person=people.samordnare, content_hash="f" * 64, channel="login"
        )


def test_promises_cannot_change_once_proposed(proposed_set, people):
    with pytest.raises(WrongState):
        promises_save(
            set_id=proposed_set.pk,
            author=people.samordnare,
            channel=Channel.LOGIN,
            background="",
            promises=PROMISES[:1],
            seen_hash=proposed_set.content_hash,
        )
    promise = proposed_set.promises.first()
    promise.title = "Något annat"
    with pytest.raises(ImmutablePromise):
        promise.save()
    with pytest.raises(ImmutablePromise):
        promise.delete()


# -- the joint proposal and the round ---------------------------------------------------


def test_both_drafters_approving_makes_a_joint_proposal_and_mails_each_signatory_a_link(
    draft_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(draft_set, people.samordnare)
        approve(draft_set, people.kommunpolis)
    draft_set.refresh_from_db()
    assert draft_set.state == PromiseSetState.PROPOSED
    assert actions(draft_set.agreement)[-3:] == [
        "promises_approved",
        "promises_approved",
        "promises_proposed",
    ]
    assert len(links_to(mailoutbox, people.ks_chair)) == 1
    assert len(links_to(mailoutbox, people.lpo_chief)) == 1
    link_mail = next(m for m in mailoutbox if people.ks_chair.email in m.to[0])
    assert link_mail.subject == (
        "Beslut och underskrift senast 25 december 2023: Medborgarlöften 2023–2024, Höörs kommun"
    )
    assert "- Sam Samordnare, sam@hoor.test" in link_mail.body
    assert "Grannsamverkan mot brott" in link_mail.body
    tokens = ActionToken.objects.order_by("kind")
    assert [(t.kind, t.person) for t in tokens] == [
        ("promises_ks", people.ks_chair),
        ("promises_lpo", people.lpo_chief),
    ]
    assert {t.version_hash for t in tokens} == {draft_set.content_hash}
    assert {t.agreement_id for t in tokens} == {draft_set.agreement_id}
    assert {t.task_id for t in tokens} == {
        task_of(draft_set, "promises_ks").pk,
        task_of(draft_set, "promises_lpo").pk,
    }


def test_one_signature_is_not_enough_and_the_second_publishes(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(proposed_set, "promises_lpo", people.lpo_chief, place="Eslöv")
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED
    assert proposed_set.published_at is None
    assert {m.subject for m in mailoutbox} == {
        "Veronica Ek har undertecknat: Medborgarlöften 2023–2024, Höörs kommun"
    }

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(proposed_set, "promises_ks", people.ks_chair)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    assert proposed_set.published_at is not None
    assert rounds.open_process(proposed_set) is None
    published = AuditEvent.objects.get(action="promises_published")
    assert published.details["signatures"] == [
        {"role": "ks_ordforande", "place": "Höör", "signed_on": "2023-04-11"},
        {"role": "lpo_chef", "place": "Eslöv", "signed_on": "2023-04-11"},
    ]
    told = {m.to[0] for m in mailoutbox if m.subject.startswith("Publicerade:")}
    for person in (people.samordnare, people.kommunpolis, people.ks_chair, people.lpo_chief):
        assert any(person.email in address for address in told)
    body = next(m.body for m in mailoutbox if m.subject.startswith("Publicerade:"))
    assert "/medborgarloften/hoor/" in body
    assert published.hash in body
    assert chain_verify(proposed_set.agreement_id).ok


def test_the_wrong_role_cannot_sign(proposed_set, people):
    for task, person in (
        ("promises_ks", people.lpo_chief),
        ("promises_lpo", people.ks_chair),
        ("promises_ks", people.samordnare),
        ("promises_ks", people.sekreterare),
        ("promises_ks", people.auditor),
    ):
        with pytest.raises(NotPermitted):
            sign(proposed_set, task, person)
    assert not PromiseAnswer.objects.exists()


def test_a_signature_is_bound_to_the_content_hash(proposed_set, people):
    from promises.services.answers import promises_sign

    with pytest.raises(StaleVersion):
        promises_sign(
            task_id=task_of(proposed_set, "promises_ks").pk,
            person=people.ks_chair,
            content_hash="a" * 64,
            place="Höör",
            signed_on=datetime.date(2023, 4, 11),
            channel=Channel.LOGIN,
            identification=identified(people.ks_chair),
        )


def test_a_signature_needs_a_place_and_a_date_not_in_the_future(proposed_set, people):
    with pytest.raises(DomainError, match="ort"):
        sign(proposed_set, "promises_ks", people.ks_chair, place="  ")
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(DomainError, match="datum"):
        sign(proposed_set, "promises_ks", people.ks_chair, signed_on=tomorrow)


def test_sending_back_returns_the_promises_to_the_drafters_and_ends_the_round(
    proposed_set, people, mailoutbox, django_capture_on_commit_callbacks
):
    sign(proposed_set, "promises_ks", people.ks_chair)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_back(proposed_set, "promises_lpo", people.lpo_chief, reason="Lägg till ett mått.")
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.RETURNED
    assert proposed_set.round == 2
    process = rounds.open_process(proposed_set)
    assert process is None
    assert not ActionToken.objects.filter(used_at__isnull=True, revoked_at__isnull=True).exists()
    returned = AuditEvent.objects.get(action="promises_returned")
    assert (returned.from_state, returned.to_state) == ("proposed", "returned")
    assert returned.details["reason"] == "Lägg till ett mått."
    to_drafters = [m for m in mailoutbox if m.subject.startswith("Skickat tillbaka")]
    assert {m.to[0].split("<")[1] for m in to_drafters} == {
        "sam@hoor.test>",
        "karin@polisen.test>",
    }
    assert "Lägg till ett mått." in to_drafters[0].body

    # The drafters change the promises; it is a draft again and needs both approvals.
    promises_save(
        set_id=proposed_set.pk,
        author=people.kommunpolis,
        channel=Channel.LOGIN,
        background="",
        promises=[dict(PROMISES[0], measure="Tio nya områden.")],
        seen_hash=proposed_set.content_hash,
    )
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        approve(proposed_set, people.kommunpolis)
        approve(proposed_set, people.samordnare)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED
    # The KS-ordförande's first signature was for the old text: both sign again.
    sign(proposed_set, "promises_ks", people.ks_chair)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED
    sign(proposed_set, "promises_lpo", people.lpo_chief)
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    assert list(
        PromiseAnswer.objects.order_by("created_at").values_list("round", "role", "answer")
    ) == [
        (1, "ks_ordforande", Answer.SIGNED),
        (1, "lpo_chef", Answer.RETURNED),
        (2, "ks_ordforande", Answer.SIGNED),
        (2, "lpo_chef", Answer.SIGNED),
    ]
    assert chain_verify(proposed_set.agreement_id).ok


def test_sending_back_needs_a_reason(proposed_set, people):
    with pytest.raises(DomainError, match="behöver ändras"):
        send_back(proposed_set, "promises_ks", people.ks_chair, reason=" ")
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PROPOSED


def test_a_finished_task_cannot_be_answered_again(proposed_set, people):
    task = task_of(proposed_set, "promises_ks")
    sign(proposed_set, "promises_ks", people.ks_chair)
    from promises.services.answers import promises_sign

    with pytest.raises(DomainError, match="redan avslutad"):
        promises_sign(
            task_id=task.pk,
            person=people.ks_chair,
            content_hash=proposed_set.content_hash,
            place="Höör",
            signed_on=datetime.date(2023, 4, 11),
            channel=Channel.LOGIN,
            identification=identified(people.ks_chair),
        )
    task.refresh_from_db()
    assert task.status == STATUS.DONE


def test_an_agreement_round_ending_leaves_the_promise_links_alone(proposed_set):
    tokens_revoke(agreement_id=proposed_set.agreement_id, reason=Revoked.ROUND_ENDED)
    assert ActionToken.objects.filter(revoked_at__isnull=True).count() == 2


def test_answers_are_never_changed(published_set):
    answer = PromiseAnswer.objects.first()
    answer.place = "Någon annanstans"
    with pytest.raises(ImmutablePromise):
        answer.save()
    with pytest.raises(ImmutablePromise):
        answer.delete()


def test_the_round_is_a_viewflow_process_of_its_own(proposed_set):
    process = rounds.open_process(proposed_set)
    assert process.status == PROCESS.NEW
    assert process.artifact == proposed_set
    names = sorted(t.flow_task.name for t in rounds.open_tasks(proposed_set))
    assert names == ["promises_ks", "promises_lpo"]
