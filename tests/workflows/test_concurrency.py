"""Races, with real threads and real transactions on PostgreSQL (SQLite ignores
SELECT … FOR UPDATE, and serialises writers anyway)."""

import copy
import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tests.conftest import SAMPLE_CONTENT, identified, postgres_only
from tests.workflows.conftest import MEETING, task_of
from workflows.models import ActionToken, AgreementState, Decision, Signature
from workflows.models.trail import Channel
from workflows.services.decisions import DecisionInput, decision_record, signature_add
from workflows.services.drafting import version_submit
from workflows.services.errors import DomainError
from workflows.services.tokens import token_find, token_issue, token_raw

POLICE_BIFALL = DecisionInput("bifall", MEETING, diarienummer="A 1/2023", decided_by="Veronica Ek")

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # the refusals are what we are counting
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_signatures_at_the_same_moment_complete_the_agreement_once(signing, people, mailoutbox):
    version_hash = signing.latest_version().content_hash
    tasks = {kind: task_of(signing, kind).pk for kind in ("ks_signature", "lpo_signature")}
    mailoutbox.clear()

    def signer(kind, person, place):
        return lambda: signature_add(
            task_id=tasks[kind],
            person=person,
            version_hash=version_hash,
            place=place,
            signed_on=datetime.date(2023, 4, 11),
            channel=Channel.LOGIN,
            identification=identified(person),
        )

    results = at_once(
        signer("ks_signature", people.ks_chair, "Höör"),
        signer("lpo_signature", people.lpo_chief, "Eslöv"),
    )
    assert all(isinstance(r, Signature) for r in results), results
    signing.refresh_from_db()
    assert signing.state == AgreementState.IN_FORCE
    assert signing.events.filter(action="agreement_signed").count() == 1
    completion = [m for m in mailoutbox if m.subject.startswith("Undertecknad")]
    recipients = [m.to[0] for m in completion]
    assert len(recipients) == len(set(recipients)) == 6  # each party person once


def test_the_same_link_posted_twenty_times_at_once_records_one_decision(proposed, people):
    task = task_of(proposed, "police_decision")
    version_hash = proposed.latest_version().content_hash
    raw = token_raw(
        token_issue(
            agreement=proposed,
            person=people.lpo_chief,
            kind="police_decision",
            task_id=task.pk,
            version_hash=version_hash,
        )
    )

    def post():
        token = token_find(raw)
        if not isinstance(token, ActionToken):
            raise DomainError(token.reason)
        return decision_record(
            task_id=task.pk,
            person=people.lpo_chief,
            version_hash=version_hash,
            fields=POLICE_BIFALL,
            channel=Channel.EMAIL_LINK,
            token=token,
        )

    results = at_once(*[post] * 20)
    assert sum(isinstance(r, Decision) for r in results) == 1
    assert all(isinstance(r, (Decision, DomainError)) for r in results), results
    assert Decision.objects.filter(agreement=proposed).count() == 1
    assert proposed.events.filter(action="decision_recorded").count() == 1


def test_a_decision_racing_a_new_version_is_never_bound_to_other_text(proposed, people):
    task = task_of(proposed, "police_decision")
    proposal_hash = proposed.latest_version().content_hash
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] = "Ny text som ingen har beslutat om."

    results = at_once(
        lambda: decision_record(
            task_id=task.pk,
            person=people.lpo_chief,
            version_hash=proposal_hash,
            fields=POLICE_BIFALL,
            channel=Channel.LOGIN,
        ),
        lambda: version_submit(
            agreement_id=proposed.pk,
            author=people.kommunpolis,
            content=content,
            change_note="sent ändring",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        ),
    )
    assert not any(isinstance(r, Exception) and not isinstance(r, DomainError) for r in results)
    for decision in Decision.objects.filter(agreement=proposed):
        # Whatever won, a decision is bound to the text it was made on…
        assert decision.version_hash == decision.version.content_hash == proposal_hash
    proposed.refresh_from_db()
    # …and a newer version always leaves the agreement in drafting with no open tasks.
    assert proposed.state == AgreementState.DRAFT
    assert proposed.versions.count() == 2


def test_both_drafters_approving_at_the_same_moment_make_one_joint_proposal(agreement, people):
    """Each reads who has approved under the agreement's lock: the one who comes
    second sees the first approval and proposes, once."""
    from workflows.models import DrafterApproval
    from workflows.services import rounds
    from workflows.services.drafting import version_approve

    version = agreement.versions.get()

    def approver(person):
        return lambda: version_approve(version_id=version.pk, person=person, channel=Channel.LOGIN)

    results = at_once(approver(people.kommunpolis), approver(people.samordnare))
    assert all(isinstance(r, DrafterApproval) for r in results), results
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED
    assert agreement.events.filter(action="joint_proposal").count() == 1
    assert {t.flow_task.name for t in rounds.open_tasks(agreement)} == {
        "municipal_decision",
        "police_decision",
    }
