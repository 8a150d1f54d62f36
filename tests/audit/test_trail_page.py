"""The decision trail page: every event with who, when, what, on which version, the
details, and the e-mails that went out, as the revisor reads it."""

from __future__ import annotations

import copy
import datetime

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import OutboxEmail
from tests.conftest import SAMPLE_CONTENT, login
from tests.workflows.conftest import decide
from workflows import audit_selectors
from workflows.models import Person, Role, RoleAssignment, Version
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create, version_approve, version_submit
from workflows.templatetags.audit import isotimestamp
from workflows.trail_actions import action_label

from .conftest import html, text, url

UTC = datetime.UTC


def submit_version(agreement, author, note: str) -> Version:
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] += f" {note}"
    latest = agreement.latest_version().number
    return version_submit(
        agreement_id=agreement.pk,
        author=author,
        content=content,
        change_note=note,
        seen_latest=latest,
        parent_number=latest,
        channel=Channel.LOGIN,
    )


def test_the_trail_shows_every_event_of_a_full_lifecycle_in_order(in_force, people, auditor):
    response = auditor.get(url("audit_trail", in_force))
    assert response.status_code == 200
    events = list(in_force.events.order_by("seq"))
    assert len(events) == in_force.trail_length == 12
    rows = response.context["rows"]
    assert [row.event.seq for row in rows] == list(range(1, 13))
    assert [row.what for row in rows] == [action_label(e) for e in events]
    page = text(response)
    positions = [page.index(f"{e.seq}. {action_label(e)}") for e in events]
    assert positions == sorted(positions)
    version = in_force.latest_version()
    for seen in (
        # who, with the title they had, and how they acted
        "Sam Samordnare , Trygghetssamordnare Höörs kommun Hur inloggad",
        "Karin Polis , Kommunpolis Lokalpolisområde Eslöv Hur inloggad",
        "Nils Nämnd , Nämndsekreterare Höörs kommun Hur inloggad",
        "Johan Svahnberg , Kommunstyrelsens ordförande Höörs kommun Hur inloggad",
        "Veronica Ek , Lokalpolisområdeschef Lokalpolisområde Eslöv Hur inloggad",
        "Vem Samverkan Hur systemet",
        # the drafters' approvals, the decisions and the signatures
        "Version 1 godkändes",
        "Beslut om version 1: Kommunstyrelsen, bifall",
        "Beslutande organ Kommunstyrelsen Utfall Bifall Sammanträdesdatum 2023-04-11 "
        "Paragraf § 42 Diarienummer KS 2023/17",
        "Kommunens beslut om version 1: Justering 2023-04-11",
        "Vad Justering Datum 2023-04-11 Justerare Anna Ordförande, Bo Justerare",
        "Beslutande organ Lokalpolisområdeschefen Utfall Bifall Beslutsdatum 2023-04-11",
        "Ort och datum Höör den 2023-04-11 Undertecknade som Kommunstyrelsens ordförande",
        "Ort och datum Eslöv den 2023-04-11 Undertecknade som Lokalpolisområdeschef",
        # which version, by number and hash, and the state it moved to
        f"Version Version 1 {version.content_hash}",
        "Status Beslutad, inväntar underskrift → Gällande",
    ):
        assert seen in page, seen
    for event in events:
        assert event.hash in page
    assert f'id="h{events[-1].seq}"' in html(response)


def test_the_trail_keeps_the_title_a_person_had_when_they_acted(in_force, people, orgs, auditor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(person=people.ks_chair).update(valid_to=yesterday)
    RoleAssignment.objects.create(
        person=people.ks_chair,
        role=Role.KF_ORDFORANDE,
        organisation=orgs.hoor,
        title="Kommunfullmäktiges ordförande",
        valid_from=yesterday + datetime.timedelta(days=1),
    )
    page = text(auditor.get(url("audit_trail", in_force)))
    assert "Johan Svahnberg , Kommunstyrelsens ordförande Höörs kommun" in page
    assert "Kommunfullmäktiges ordförande" not in page


def test_the_trail_keeps_the_name_a_person_had_when_they_acted(in_force, people, auditor):
    Person.objects.filter(pk=people.lpo_chief.pk).update(name="Veronica Ek Lind")
    page = text(auditor.get(url("audit_trail", in_force)))
    assert "Veronica Ek , Lokalpolisområdeschef" in page
    assert "Veronica Ek Lind" not in page.split("E-post som skickades")[0]


def test_a_substitute_is_shown_acting_for_the_role_holder(proposed, people, orgs, auditor):
    stand_in = Person.objects.create(name="Helena Strand", email="helena@polisen.test")
    RoleAssignment.objects.create(
        person=stand_in,
        role=Role.LPO_CHEF,
        organisation=orgs.lpo,
        title="Ställföreträdande lokalpolisområdeschef",
        valid_from=datetime.date(2020, 1, 1),
        substitute_for=people.lpo_chief,
    )
    decide(proposed, "police_decision", stand_in)
    page = text(auditor.get(url("audit_trail", proposed)))
    assert (
        "Helena Strand , Ställföreträdande lokalpolisområdeschef för Veronica Ek "
        "roll: Lokalpolisområdeschef, Lokalpolisområde Eslöv"
    ) in page


def test_times_are_swedish_time_with_their_offset_from_utc(orgs, people, auditor):
    with time_machine.travel(datetime.datetime(2023, 4, 11, 12, 2, 13, tzinfo=UTC), tick=False):
        agreement = agreement_create(
            kommun=orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            title="Höör 2023–2024",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.samordnare,
            channel=Channel.LOGIN,
        )
    with time_machine.travel(datetime.datetime(2023, 11, 15, 9, 0, 0, tzinfo=UTC), tick=False):
        submit_version(agreement, people.kommunpolis, "Vintertid.")
    page = text(auditor.get(url("audit_trail", agreement)))
    assert "När 2023-04-11 14:02:13 +02:00" in page
    assert "När 2023-11-15 10:00:00 +01:00" in page


def test_the_timestamp_filter_writes_the_offset():
    moment = datetime.datetime(2021, 6, 18, 10, 5, 0, tzinfo=UTC)
    assert isotimestamp(moment) == "2021-06-18 12:05:00 +02:00"
    assert isotimestamp(None) == ""


def test_the_emails_that_went_out_are_listed_with_their_status_and_delivery(
    proposed, eslov_agreement, people, auditor
):
    emails = OutboxEmail.objects.filter(object_type="agreement", object_id=str(proposed.pk))
    assert emails.count() > 3
    proposal = emails.filter(template="workflows/email/joint_proposal", to_email="sam@hoor.test")
    proposal.update(delivery_status="delivered", delivery_detail="250 OK")
    bounced = emails.filter(template="workflows/email/task_link", to_email="veronica@polisen.test")
    bounced.update(delivery_status="bounced", delivery_detail="550 No such user")
    response = auditor.get(url("audit_trail", proposed))
    page = text(response)
    assert len(response.context["email_rows"]) == emails.count()
    assert (
        "Sam Samordnare sam@hoor.test Gemensamt förslag: "
        "Operativ samverkansöverenskommelse Höör 2023–2024, version 1 "
        "Gemensamt förslag skickad"
    ) in page
    assert "levererad" in page and "250 OK" in page
    assert "Veronica Ek veronica@polisen.test Beslut senast " in page
    assert "studsade" in page and "550 No such user" in page
    # another agreement's e-mails are not this agreement's
    assert "ebba@eslov.test" not in page
    created = [row.email.created_at for row in response.context["email_rows"]]
    assert created == sorted(created)


# -- filters ---------------------------------------------------------------------------


def _history_over_months(orgs, people):
    with time_machine.travel(datetime.datetime(2023, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        agreement = agreement_create(
            kommun=orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="operational",
            title="Höör 2023–2024",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.samordnare,
            channel=Channel.LOGIN,
        )
    with time_machine.travel(datetime.datetime(2023, 2, 15, 21, 0, tzinfo=UTC), tick=False):
        v2 = submit_version(agreement, people.kommunpolis, "Centrum tillagt.")
    # 2023-02-28 23:30 UTC is 1 March 00:30 in Stockholm.
    with time_machine.travel(datetime.datetime(2023, 2, 28, 23, 30, tzinfo=UTC), tick=False):
        version_approve(version_id=v2.pk, person=people.kommunpolis, channel=Channel.LOGIN)
    return agreement


def test_filtering_by_kind_shows_only_that_kind(in_force, auditor):
    response = auditor.get(url("audit_trail", in_force), {"handelse": "decision_recorded"})
    assert response.status_code == 200
    assert [row.event.action for row in response.context["rows"]] == ["decision_recorded"] * 2
    assert "email_rows" not in response.context
    assert "E-post som skickades" not in text(response)


def test_filtering_on_emails_shows_only_the_emails(in_force, auditor):
    response = auditor.get(url("audit_trail", in_force), {"handelse": "epost"})
    assert "rows" not in response.context
    assert len(response.context["email_rows"]) > 0


def test_filtering_by_period_uses_whole_days_in_swedish_time(orgs, people, auditor):
    agreement = _history_over_months(orgs, people)
    trail = url("audit_trail", agreement)

    def seqs(**query) -> list[int]:
        response = auditor.get(trail, query)
        assert response.status_code == 200
        return [row.event.seq for row in response.context["rows"]]

    assert seqs() == [1, 2, 3, 4]
    assert seqs(fran="2023-02-01", till="2023-02-28") == [3]
    assert seqs(fran="2023-03-01") == [4]
    assert seqs(till="2023-01-10") == [1, 2]
    response = auditor.get(trail, {"fran": "2023-02-15", "till": "2023-02-15"})
    assert {row.email.template for row in response.context["email_rows"]} == {
        "workflows/email/version_submitted"
    }


def test_a_period_that_ends_before_it_starts_is_refused_at_the_field(agreement, auditor):
    response = auditor.get(
        url("audit_trail", agreement), {"fran": "2023-03-01", "till": "2023-02-01"}
    )
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in text(response)
    assert 'href="#id_till"' in html(response)
    assert "rows" not in response.context


def test_an_unknown_kind_is_refused(agreement, auditor):
    response = auditor.get(url("audit_trail", agreement), {"handelse": "decision_recorded"})
    assert response.status_code == 400


def test_the_filter_has_labels_for_every_field(agreement, auditor):
    page = html(auditor.get(url("audit_trail", agreement)))
    for name in ("handelse", "fran", "till"):
        assert f'<label for="id_{name}">' in page
    assert 'type="date"' in page


# -- bounded queries and pages -----------------------------------------------------------


def test_the_page_costs_the_same_queries_however_long_the_trail(
    agreement, people, auditor, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as short:
        assert auditor.get(url("audit_trail", agreement)).status_code == 200
    for n in range(8):
        submit_version(
            agreement, people.kommunpolis if n % 2 else people.samordnare, f"Ändring {n}."
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = auditor.get(url("audit_trail", agreement))
    assert len(response.context["rows"]) == 10


def test_a_long_trail_is_shown_a_page_at_a_time(agreement, people, auditor, monkeypatch):
    monkeypatch.setattr(audit_selectors, "PAGE_SIZE", 3)
    for n in range(5):
        submit_version(agreement, people.samordnare, f"Ändring {n}.")
    trail = url("audit_trail", agreement)
    first = auditor.get(trail, {"handelse": "version_submitted"})
    assert [row.event.seq for row in first.context["rows"]] == [2, 3, 4]
    assert first.context["events"].next_cursor == 4
    assert "handelse=version_submitted&amp;efter=4" in html(first)
    second = auditor.get(trail, {"handelse": "version_submitted", "efter": 4})
    assert [row.event.seq for row in second.context["rows"]] == [5, 6, 7]
    assert second.context["events"].next_cursor is None
    seen, query = [], {"handelse": "epost"}
    while True:
        page = auditor.get(trail, query).context
        assert len(page["email_rows"]) <= 3
        seen += [row.email.pk for row in page["email_rows"]]
        if page["emails"].next_cursor is None:
            break
        query["epost_efter"] = page["emails"].next_cursor
    written = OutboxEmail.objects.filter(object_type="agreement", object_id=str(agreement.pk))
    assert len(seen) > 3
    assert seen == list(written.order_by("created_at", "id").values_list("pk", flat=True))


def test_the_agreement_page_links_to_the_whole_trail(agreement, people):
    page = html(login(Client(), people.kommunpolis).get(url("agreement_detail", agreement)))
    assert url("audit_trail", agreement) in page
