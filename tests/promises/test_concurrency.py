"""Races with real threads and transactions, and the append-only tables, on
PostgreSQL (SQLite ignores SELECT … FOR UPDATE and has no triggers here)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from viewflow.workflow.models import Task

from promises.models import PromiseAnswer, PromiseSetState
from promises.services.answers import promises_return, promises_sign
from tests.conftest import identified, postgres_only
from tests.promises.conftest import SIGNED_ON, task_of
from tests.workflows.test_concurrency import at_once
from workflows.models import AuditEvent
from workflows.models.trail import Channel
from workflows.services.errors import DomainError
from workflows.services.rounds import OPEN_TASK
from workflows.services.trail import chain_verify

pytestmark = [postgres_only]


def signer(promise_set, kind, person, place="Höör"):
    task_id = task_of(promise_set, kind).pk
    return lambda: promises_sign(
        task_id=task_id,
        person=person,
        content_hash=promise_set.content_hash,
        place=place,
        signed_on=SIGNED_ON,
        channel=Channel.LOGIN,
        identification=identified(person),
    )


@pytest.mark.django_db(transaction=True)
def test_two_signatures_at_the_same_moment_publish_once(proposed_set, people):
    results = at_once(
        signer(proposed_set, "promises_ks", people.ks_chair),
        signer(proposed_set, "promises_lpo", people.lpo_chief, "Eslöv"),
    )
    assert all(isinstance(r, PromiseAnswer) for r in results), results
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.PUBLISHED
    assert AuditEvent.objects.filter(action="promises_published").count() == 1
    assert chain_verify(proposed_set.agreement_id).ok


@pytest.mark.django_db(transaction=True)
def test_a_signature_racing_a_return_never_publishes(proposed_set, people):
    ks_task = task_of(proposed_set, "promises_ks").pk
    sign_ks = signer(proposed_set, "promises_ks", people.ks_chair)
    lpo_task = task_of(proposed_set, "promises_lpo").pk

    def send_back():
        return promises_return(
            task_id=lpo_task,
            person=people.lpo_chief,
            content_hash=proposed_set.content_hash,
            reason="Inte än.",
            channel=Channel.LOGIN,
        )

    results = at_once(sign_ks, send_back)
    assert isinstance(results[1], PromiseAnswer), results
    assert isinstance(results[0], (PromiseAnswer, DomainError)), results
    proposed_set.refresh_from_db()
    assert proposed_set.state == PromiseSetState.RETURNED
    assert not AuditEvent.objects.filter(action="promises_published").exists()
    # The KS task is closed either way: done, or cancelled when the round stopped.
    assert Task.objects.get(pk=ks_task).status not in OPEN_TASK
    assert chain_verify(proposed_set.agreement_id).ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE promises_promiseanswer SET place = 'Någon annanstans' WHERE id = %s",
        "DELETE FROM promises_promiseanswer WHERE id = %s",
    ],
)
def test_postgres_refuses_raw_sql_that_changes_an_answer(published_set, sql):
    answer = PromiseAnswer.objects.first()
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [answer.pk])
    assert PromiseAnswer.objects.get(pk=answer.pk).place == answer.place
