"""The drafters' pages: writing, approving, following up and reporting, through
HTTP, and who may see and do what."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from promises.models import PromiseFollowUp, PromiseReport, PromiseSet, PromiseSetState
from tests.conftest import login
from tests.promises.conftest import PROMISES
from tests.workflows.test_pages import assert_accessible_basics, html


def url(name: str, promise_set: PromiseSet | None = None, agreement=None) -> str:
    if promise_set is None:
        return reverse(f"promises:{name}", args=[agreement.pk])
    return reverse(f"promises:{name}", args=[promise_set.agreement_id, promise_set.pk])


def formset_data(promises: list[dict], background: str, seen_hash: str, extra: int = 2) -> dict:
    data = {
        "background": background,
        "seen_hash": seen_hash,
        "promises-TOTAL_FORMS": str(len(promises) + extra),
        "promises-INITIAL_FORMS": str(len(promises)),
        "promises-MIN_NUM_FORMS": "0",
        "promises-MAX_NUM_FORMS": "30",
    }
    for index, promise in enumerate(promises):
        for key, value in promise.items():
            data[f"promises-{index}-{key}"] = value
    return data


def test_two_drafters_write_and_approve_promises_through_the_pages(
    agreement, people, mailoutbox, django_capture_on_commit_callbacks
):
    samordnare = login(Client(), people.samordnare)
    listing = samordnare.get(url("set_list", agreement=agreement))
    assert listing.status_code == 200
    assert listing.context["form"].initial == {"first_year": 2023, "last_year": 2024}
    assert_accessible_basics(listing)

    created = samordnare.post(
        url("set_list", agreement=agreement), {"first_year": "2023", "last_year": "2024"}
    )
    promise_set = PromiseSet.objects.get()
    assert created["Location"] == url("set_edit", promise_set)

    edit = samordnare.get(url("set_edit", promise_set))
    assert edit.status_code == 200
    assert_accessible_basics(edit)
    saved = samordnare.post(
        url("set_edit", promise_set),
        formset_data(PROMISES, "Lägesbilden 2022.", edit.context["form"].initial["seen_hash"], 0),
    )
    assert saved.status_code == 302
    promise_set.refresh_from_db()
    assert [p.title for p in promise_set.promises.order_by("position")] == [
        p["title"] for p in PROMISES
    ]
    assert promise_set.background == "Lägesbilden 2022."

    detail = samordnare.get(url("set_detail", promise_set))
    assert_accessible_basics(detail)
    assert "Godkänn löftena" in html(detail)
    samordnare.post(url("set_approve", promise_set), {"content_hash": promise_set.content_hash})
    polis = login(Client(), people.kommunpolis)
    assert "Väntar på kommunpolisen" in html(polis.get(url("set_detail", promise_set)))
    with django_capture_on_commit_callbacks(execute=True):
        approved = polis.post(
            url("set_approve", promise_set), {"content_hash": promise_set.content_hash}
        )
    assert approved.status_code == 302
    promise_set.refresh_from_db()
    assert promise_set.state == PromiseSetState.PROPOSED
    page = html(polis.get(url("set_detail", promise_set)))
    assert "Väntar på kommunstyrelsens ordförande och lokalpolisområdeschefen" in page
    assert "Ändra löftena" not in page
    # Once proposed the edit page sends the drafter back to the set.
    assert polis.get(url("set_edit", promise_set))["Location"] == url("set_detail", promise_set)


def test_an_edit_with_half_a_promise_is_shown_again_with_the_errors(draft_set, people):
    polis = login(Client(), people.kommunpolis)
    data = formset_data(
        [{"title": "Trafikmiljö", "description": "", "responsible": ""}], "", draft_set.content_hash
    )
    refused = polis.post(url("set_edit", draft_set), data)
    assert refused.status_code == 400
    assert "Löfte 1, beskrivning: Beskriv löftet." in html(refused)
    assert "Löfte 1, ansvarig: Välj vem som ansvarar." in html(refused)
    draft_set.refresh_from_db()
    assert draft_set.promises.count() == 2


def test_approving_an_old_reading_shows_the_reason(draft_set, people):
    polis = login(Client(), people.kommunpolis)
    refused = polis.post(url("set_approve", draft_set), {"content_hash": "0" * 64})
    assert refused.status_code == 409
    assert "Löftena har ändrats sedan du läste dem" in html(refused)


def test_outsiders_get_404_on_every_promise_page(draft_set, people):
    outsider = login(Client(), people.outsider)
    for name in ("set_detail", "set_edit", "follow_up_create", "report_create"):
        assert outsider.get(url(name, draft_set)).status_code == 404, name
    assert outsider.get(url("set_list", agreement=draft_set.agreement)).status_code == 404
    assert outsider.post(url("set_approve", draft_set), {}).status_code == 404
    anonymous = Client().get(url("set_detail", draft_set))
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]


def test_people_at_the_parties_who_do_not_draft_may_read_but_not_write(draft_set, people):
    chair = login(Client(), people.ks_chair)
    assert chair.get(url("set_detail", draft_set)).status_code == 200
    assert "Godkänn löftena" not in html(chair.get(url("set_detail", draft_set)))
    assert chair.get(url("set_edit", draft_set)).status_code == 403
    refused = chair.post(url("set_approve", draft_set), {"content_hash": draft_set.content_hash})
    assert refused.status_code == 403
    draft_set.refresh_from_db()
    assert draft_set.state == PromiseSetState.DRAFT


def test_a_strategic_agreement_offers_no_promises(orgs, people):
    from tests.conftest import SAMPLE_CONTENT
    from workflows.models.trail import Channel
    from workflows.services.drafting import agreement_create

    strategic = agreement_create(
        kommun=orgs.hoor,
        lokalpolisomrade=orgs.lpo,
        kind="strategic",
        title="Strategisk Höör 2023–2024",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        content=SAMPLE_CONTENT,
        author=people.samordnare,
        channel=Channel.LOGIN,
    )
    samordnare = login(Client(), people.samordnare)
    page = samordnare.get(url("set_list", agreement=strategic))
    assert "inte till en strategisk" in html(page)
    assert "Börja skriva" not in html(page)
    refused = samordnare.post(
        url("set_list", agreement=strategic), {"first_year": "2023", "last_year": "2024"}
    )
    assert refused.status_code == 400
    assert not PromiseSet.objects.exists()


def test_follow_up_and_yearly_report_through_the_pages(published_set, people):
    samordnare = login(Client(), people.samordnare)
    promise = published_set.promises.get(position=1)
    form = samordnare.get(url("follow_up_create", published_set) + f"?lofte={promise.pk}")
    assert form.status_code == 200
    assert form.context["form"].initial["promise"] == promise.pk
    assert_accessible_basics(form)
    saved = samordnare.post(
        url("follow_up_create", published_set),
        {
            "promise": promise.pk,
            "status": "ongoing",
            "comment": "Tre nya områden har startat.",
            "reported_on": "2023-10-01",
        },
    )
    assert saved.status_code == 302
    assert PromiseFollowUp.objects.get().status == "ongoing"
    detail = html(samordnare.get(url("set_detail", published_set)))
    assert "Pågår" in detail and "Tre nya områden har startat." in detail

    report_form = samordnare.get(url("report_create", published_set))
    assert_accessible_basics(report_form)
    assert "Grannsamverkan mot brott: Pågår (2023-10-01)" in html(report_form)
    saved = samordnare.post(
        url("report_create", published_set),
        {"year": "2023", "summary": "Ett år med fler grannar som samverkar."},
    )
    assert saved.status_code == 302
    report = PromiseReport.objects.get()
    assert report.statuses[0]["status"] == "ongoing"
    assert "Årsrapport 2023" in html(samordnare.get(url("set_detail", published_set)))
    assert [
        c[0]
        for c in samordnare.get(url("report_create", published_set))
        .context["form"]
        .fields["year"]
        .choices
    ] == [2024]


def test_unpublished_promises_cannot_be_followed_up(draft_set, people):
    samordnare = login(Client(), people.samordnare)
    assert samordnare.get(url("follow_up_create", draft_set))["Location"] == url(
        "set_detail", draft_set
    )
    refused = samordnare.post(
        url("follow_up_create", draft_set),
        {
            "promise": draft_set.promises.first().pk,
            "status": "done",
            "comment": "Klart.",
            "reported_on": "2023-10-01",
        },
    )
    assert refused.status_code == 409
    assert not PromiseFollowUp.objects.exists()


def test_a_drafter_removes_a_promise_and_adds_another(draft_set, people):
    polis = login(Client(), people.kommunpolis)
    new = {"title": "Trafikmiljö", "description": "Vi ser över trafiken.", "responsible": "kommun"}
    data = formset_data([*PROMISES, new], "", draft_set.content_hash, extra=0)
    data["promises-INITIAL_FORMS"] = "2"
    data["promises-1-DELETE"] = "on"
    assert polis.post(url("set_edit", draft_set), data).status_code == 302
    titles = list(draft_set.promises.order_by("position").values_list("title", flat=True))
    assert titles == ["Grannsamverkan mot brott", "Trafikmiljö"]
