"""The period in force through the pages: revision, renewal and termination, used as
a drafter, a signatory, a reader, an outsider and a forged form would."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.workflows.conftest import decide, sign
from tests.workflows.test_pages import assert_accessible_basics, html
from workflows import content as content_rules
from workflows.models import Agreement, AgreementState, AuditEvent, Version
from workflows.services import lifecycle

ACTIONS = ("agreement_revision_open", "agreement_revision_close", "agreement_renew")
ALL_ACTIONS = (*ACTIONS, "agreement_terminate")


def url(name: str, agreement, *more) -> str:
    return reverse(f"workflows:{name}", args=[agreement.pk, *more])


def snapshot(agreement) -> tuple:
    """Everything the lifecycle pages can change."""
    agreement.refresh_from_db()
    return (
        agreement.state,
        agreement.ended_on,
        agreement.termination_reason,
        Agreement.objects.count(),
        Version.objects.count(),
        AuditEvent.objects.filter(agreement=agreement).count(),
    )


def today() -> datetime.date:
    return timezone.localdate()


def text_in(page: str, fragment: str) -> bool:
    """The page's text with the markup taken out and the whitespace folded."""
    return fragment in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def terminate(client, agreement, reason: str, ends_on: str, *, confirmed: bool, **decision):
    """The termination form: the party's decision (taken today, no notice, unless
    told), the reason and the end date."""
    data = {
        "reason": reason,
        "ends_on": ends_on,
        "decided_on": today().isoformat(),
        "paragraph": "§ 90",
        "diarienummer": "KS 2023/90",
        "notice_months": "0",
        **decision,
    }
    if confirmed:
        data["confirmed"] = "1"
    return client.post(url("agreement_terminate", agreement), data)


# -- revision ---------------------------------------------------------------------------


def test_a_drafter_opens_a_revision_and_the_page_shows_the_version_in_force_and_the_revision(
    people, in_force
):
    client = login(Client(), people.samordnare)
    v1 = in_force.version_in_force
    before = html(client.get(url("agreement_detail", in_force)))
    assert f'href="{url("agreement_revision_open", in_force)}"' in before
    assert text_in(before, f"Gällande version Version 1 (SHA-256 {v1.short_hash} )")

    form = client.get(url("agreement_revision_open", in_force))
    assert form.status_code == 200
    assert_accessible_basics(form)
    response = client.post(
        url("agreement_revision_open", in_force), {"reason": "Uppföljningen visade behov."}
    )
    assert response.status_code == 302
    assert response.url == url("agreement_detail", in_force)

    page = html(client.get(response.url))
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.REVISION_DRAFT
    assert in_force.version_in_force == v1
    assert "Revideringen är påbörjad. Version 1 gäller" in page
    assert text_in(page, "Version 1 gäller. En revidering pågår: ingen ny version är inlämnad")
    assert "Gällande, revidering pågår" in page
    assert "Skribenterna skriver en reviderad version" in page
    assert "Godkänn version 1" not in page  # nothing new to approve yet
    assert "En revidering påbörjades" in page and "Skäl: Uppföljningen visade behov." in page

    # The new-version form starts from the text in force and says it is a revision.
    new = client.get(url("version_create", in_force))
    assert "Revidering av version 1" in html(new)
    assert new.context["form"]["parent_number"].value() == 1
    text = content_rules.to_markdown(v1.content) + "\nTätare uppföljning.\n"
    submitted = client.post(
        url("version_create", in_force),
        {"text": text, "change_note": "", "seen_latest": 1, "parent_number": 1},
    )
    assert submitted.status_code == 302

    page = html(client.get(url("agreement_detail", in_force)))
    assert text_in(page, "Version 1 gäller. En revidering pågår: version 2 är under arbete.")
    assert "Den ersätter version 1 först när den är beslutad och undertecknad" in page
    assert text_in(page, "Gällande version Version 1")
    assert "Godkänn version 2</button>" in page
    assert text_in(html(client.get(url("version_detail", in_force, 1))), "Version 1 gällande")
    assert "gällande</span>" not in html(client.get(url("version_detail", in_force, 2)))
    assert f'href="{url("agreement_revision_close", in_force)}"' in page


def test_through_decision_and_signature_the_page_keeps_the_old_text_in_force_until_signed(
    people, in_force
):
    client = login(Client(), people.samordnare)
    client.post(url("agreement_revision_open", in_force), {"reason": ""})
    text = content_rules.to_markdown(in_force.version_in_force.content) + "\nTätare.\n"
    client.post(
        url("version_create", in_force),
        {"text": text, "change_note": "", "seen_latest": 1, "parent_number": 1},
    )
    client.post(url("version_approve", in_force, 2))
    login(Client(), people.kommunpolis).post(url("version_approve", in_force, 2))
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.REVISION_PROPOSED

    def page() -> str:
        return html(client.get(url("agreement_detail", in_force)))

    assert text_in(page(), "Version 1 gäller. En revidering pågår: version 2 inväntar beslut.")
    decide(in_force, "municipal_decision", people.sekreterare)
    decide(in_force, "police_decision", people.lpo_chief)
    assert text_in(page(), "Version 1 gäller. En revidering pågår: version 2 inväntar underskrift.")
    sign(in_force, "ks_signature", people.ks_chair)
    sign(in_force, "lpo_signature", people.lpo_chief, place="Eslöv")
    after = page()
    assert "Revidering pågår" not in after
    assert text_in(after, "Gällande version Version 2")
    assert f'href="{url("agreement_revision_open", in_force)}"' in after


def test_a_revision_after_a_withdrawn_one_starts_again_from_the_text_in_force(people, in_force):
    client = login(Client(), people.kommunpolis)
    client.post(url("agreement_revision_open", in_force), {"reason": ""})
    text = content_rules.to_markdown(in_force.version_in_force.content) + "\nUtkast.\n"
    client.post(
        url("version_create", in_force),
        {"text": text, "change_note": "", "seen_latest": 1, "parent_number": 1},
    )

    closing = client.get(url("agreement_revision_close", in_force))
    assert closing.status_code == 200
    assert "version 1 gäller som förut" in html(closing)
    response = client.post(url("agreement_revision_close", in_force))
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.IN_FORCE
    page = html(client.get(response.url))
    assert "Revideringen är avbruten. Version 1 gäller som förut." in page
    assert "Revideringen avbröts" in page

    client.post(url("agreement_revision_open", in_force), {"reason": "Nytt försök."})
    new = client.get(url("version_create", in_force))
    assert new.context["form"]["parent_number"].value() == 1  # not version 2, withdrawn
    assert new.context["form"]["seen_latest"].value() == 2
    page = html(client.get(url("agreement_detail", in_force)))
    assert text_in(page, "En revidering pågår: ingen ny version är inlämnad ännu.")


def test_a_revision_of_an_agreement_not_in_force_is_refused_and_nothing_changes(people, agreement):
    client = login(Client(), people.samordnare)
    before = snapshot(agreement)
    page = html(client.get(url("agreement_detail", agreement)))
    assert "Påbörja revidering" not in page

    shown = client.get(url("agreement_revision_open", agreement))
    assert shown.status_code == 409
    assert "Det går inte nu: överenskommelsen är utkast." in html(shown)
    assert '<form method="post" novalidate>' not in html(shown)

    response = client.post(url("agreement_revision_open", agreement), {"reason": "Mitt skäl"})
    assert response.status_code == 409
    page = html(response)
    assert "Bara en gällande överenskommelse utan pågående revidering kan revideras." in page
    assert "Mitt skäl</textarea>" in page  # what the user wrote is kept
    assert 'role="alert"' in page and "<title>Fel:" in page
    assert snapshot(agreement) == before


def test_a_second_revision_while_one_is_under_way_is_refused(people, in_force):
    client = login(Client(), people.samordnare)
    client.post(url("agreement_revision_open", in_force), {"reason": ""})
    before = snapshot(in_force)
    response = client.post(url("agreement_revision_open", in_force), {"reason": ""})
    assert response.status_code == 409
    assert snapshot(in_force) == before


# -- termination ----------------------------------------------------------------------


def test_termination_without_a_reason_is_refused_and_nothing_changes(people, in_force):
    client = login(Client(), people.lpo_chief)
    before = snapshot(in_force)
    for reason in ("", "   "):
        response = terminate(client, in_force, reason, today().isoformat(), confirmed=True)
        assert response.status_code == 400
        assert "Skriv skälet till uppsägningen." in html(response)
        assert 'href="#id_reason"' in html(response)
    assert snapshot(in_force) == before


def test_the_lpo_chief_terminates_after_a_warning_and_the_page_shows_it(people, in_force):
    client = login(Client(), people.lpo_chief)
    assert f'href="{url("agreement_terminate", in_force)}"' in html(
        client.get(url("agreement_detail", in_force))
    )
    form = client.get(url("agreement_terminate", in_force))
    assert form.status_code == 200
    assert_accessible_basics(form)
    before = snapshot(in_force)
    ends_on = (today() - datetime.timedelta(days=1)).isoformat()
    reason = "Kommunen har lagt ned det brottsförebyggande rådet."

    # Decided yesterday, ending the same day (no notice).
    warning = terminate(client, in_force, reason, ends_on, confirmed=False, decided_on=ends_on)
    assert warning.status_code == 200
    page = html(warning)
    assert "Uppsägningen kan inte ångras." in page
    assert f"Överenskommelsen upphör att gälla {ends_on}." in page
    assert 'name="confirmed" value="1"' in page
    assert snapshot(in_force) == before  # the warning itself changes nothing

    back = client.post(
        url("agreement_terminate", in_force),
        {
            "reason": reason,
            "ends_on": ends_on,
            "decided_on": today().isoformat(),
            "diarienummer": "A 9/2023",
            "notice_months": "0",
            "confirmed": "1",
            "andra": "1",
        },
    )
    assert back.status_code == 200
    assert f"{reason}</textarea>" in html(back) and "kan inte ångras" not in html(back)
    assert snapshot(in_force) == before

    done = terminate(client, in_force, reason, ends_on, confirmed=True, decided_on=ends_on)
    assert done.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.TERMINATED
    assert in_force.ended_on.isoformat() == ends_on
    assert in_force.termination_reason == reason

    page = html(client.get(done.url))
    assert f"Överenskommelsen är uppsagd och upphörde att gälla {ends_on}." in page
    assert text_in(page, f"Upphörde {ends_on}")
    assert text_in(page, f"Skäl för uppsägning {reason}")
    assert text_in(page, "Senast gällande version Version 1")
    assert f"Överenskommelsen sades upp och upphörde att gälla {ends_on}" in page
    assert "Säg upp</a>" not in page and "Påbörja revidering" not in page

    again = terminate(client, in_force, "Igen.", ends_on, confirmed=True)
    assert again.status_code == 409
    assert "Bara en undertecknad eller gällande överenskommelse kan sägas upp." in html(again)
    assert "Igen.</textarea>" in html(again)


@pytest.mark.parametrize("who", ["ks_chair", "kf_chair", "sekreterare"])
def test_the_kommuns_chairs_and_namndsekreterare_record_its_decision_to_terminate(
    people, in_force, who
):
    client = login(Client(), getattr(people, who))
    response = terminate(client, in_force, "Skäl.", today().isoformat(), confirmed=True)
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.TERMINATED
    event = in_force.events.get(action="agreement_terminated")
    assert (event.details["body"], event.details["paragraph"]) == ("ks", "90")


@pytest.mark.parametrize("who", ["samordnare", "kommunpolis"])
def test_a_drafter_cannot_terminate_without_a_partys_decision(people, in_force, who):
    client = login(Client(), getattr(people, who))
    before = snapshot(in_force)
    assert client.get(url("agreement_terminate", in_force)).status_code == 403
    response = terminate(client, in_force, "Skäl.", today().isoformat(), confirmed=True)
    assert response.status_code == 403
    assert snapshot(in_force) == before


def test_a_later_end_date_gives_notice_and_the_agreement_applies_until_then(
    people, in_force, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.services import outbox_relay
    from workflows.services import lifecycle as lifecycle_service

    client = login(Client(), people.ks_chair)
    before = snapshot(in_force)
    # Three months' notice from today, 2023-04-11: 2023-07-10 is too early.
    early = terminate(
        client, in_force, "Ny organisation.", "2023-07-10", confirmed=True, notice_months="3"
    )
    assert early.status_code == 400
    assert "Med 3 månaders uppsägningstid upphör den tidigast 2023-07-11." in html(early)
    assert snapshot(in_force) == before

    outbox_relay()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = terminate(
            client, in_force, "Ny organisation.", "2023-07-31", confirmed=True, notice_months="3"
        )
    assert done.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.NOTICE_GIVEN
    assert in_force.ended_on == datetime.date(2023, 7, 31)
    page = html(client.get(url("agreement_detail", in_force)))
    assert "Gällande, uppsagd" in page and "Uppsagd: gäller till och med 2023-07-31" in page
    assert "Överenskommelsen sades upp; den gäller till och med 2023-07-31" in page
    outbox_relay()
    told = {m.to[0] for m in mailoutbox if m.subject.startswith("Uppsagd, gäller till och med")}
    assert '"Veronica Ek" <veronica@polisen.test>' in told and len(told) >= 4
    mailoutbox.clear()

    # In force up to and including its last day; ended the day after, once.
    with time_machine.travel("2023-07-31T12:00:00+02:00"):
        assert lifecycle_service.agreements_end_on_notice() == 0
    with (
        time_machine.travel("2023-08-01T12:00:00+02:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert lifecycle_service.agreements_end_on_notice() == 1
        assert lifecycle_service.agreements_end_on_notice() == 0
        outbox_relay()
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.TERMINATED
    ended = [m for m in mailoutbox if m.subject.startswith("Uppsagd:")]
    assert ended and "upphörde 31 juli 2023" in ended[0].body


def test_notice_ends_a_revision_under_way(people, in_force):
    from workflows.services import lifecycle as lifecycle_service

    lifecycle_service.revision_open(
        agreement_id=in_force.pk, person=people.samordnare, channel="login"
    )
    client = login(Client(), people.lpo_chief)
    done = terminate(
        client, in_force, "Ny organisation.", "2023-07-31", confirmed=True, notice_months="3"
    )
    assert done.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.NOTICE_GIVEN
    assert not in_force.in_revision


def test_a_termination_the_service_refuses_keeps_what_was_written(people, agreement):
    client = login(Client(), people.lpo_chief)
    assert client.get(url("agreement_terminate", agreement)).status_code == 409
    before = snapshot(agreement)
    response = terminate(client, agreement, "Mitt skäl.", "2023-04-01", confirmed=True)
    assert response.status_code == 409  # a draft: nothing to terminate
    page = html(response)
    assert "Bara en undertecknad eller gällande överenskommelse kan sägas upp." in page
    assert "Mitt skäl.</textarea>" in page
    assert 'value="2023-04-01"' in page
    assert snapshot(agreement) == before


# -- renewal ----------------------------------------------------------------------------


def test_renewal_shows_the_next_period_creates_the_next_agreement_and_redirects(people, in_force):
    client = login(Client(), people.kommunpolis)
    old = in_force
    start = old.period_end + datetime.timedelta(days=1)
    assert f'href="{url("agreement_renew", old)}"' in html(client.get(url("agreement_detail", old)))

    shown = client.get(url("agreement_renew", old))
    assert shown.status_code == 200
    assert_accessible_basics(shown)
    page = html(shown)
    assert "Den nya överenskommelsen" in page and "Senaste uppföljningen" in page
    assert f'name="period_start" value="{start.isoformat()}"' in page
    assert "Version 1 får texten från version 1" in page

    response = client.post(url("agreement_renew", old))
    assert response.status_code == 302
    new = Agreement.objects.get(renewed_from=old)
    assert response.url == url("agreement_detail", new)
    assert new.state == AgreementState.DRAFT
    assert new.period_start == start
    assert new.latest_version().content_hash == old.version_in_force.content_hash

    page = html(client.get(response.url))
    assert "Den nya överenskommelsen för" in page and "är skapad som utkast" in page
    assert text_in(page, f"Förnyelse av {old.title}")
    old_page = html(client.get(url("agreement_detail", old)))
    assert text_in(old_page, f"Förnyad som {new.title}")
    assert "Förnya</a>" not in old_page
    assert "Överenskommelsen förnyades för perioden" in old_page

    before = snapshot(old)
    again = client.get(url("agreement_renew", old))
    assert again.status_code == 409
    assert "Överenskommelsen är redan förnyad." in html(again)
    assert client.post(url("agreement_renew", old)).status_code == 400
    assert snapshot(old) == before


def test_a_renewal_asks_for_the_follow_up_cadence_too(people, in_force):
    client = login(Client(), people.kommunpolis)
    page = html(client.get(url("agreement_renew", in_force)))
    assert 'name="follow_up_cadence"' in page
    assert '<option value="yearly" selected>' in page
    response = client.post(url("agreement_renew", in_force), {"follow_up_cadence": "tertial"})
    assert response.status_code == 302
    new = Agreement.objects.get(renewed_from=in_force)
    assert new.follow_up_cadence == "tertial"
    assert in_force.events.get(action="agreement_renewed").details["follow_up_cadence"] == "tertial"


def test_a_renewal_years_late_suggests_the_first_next_period_that_has_not_ended(people, in_force):
    # Today is 2023-04-11 (tests/conftest.py): 2021–2022 has ended, 2023–2024 has not.
    Agreement.objects.filter(pk=in_force.pk).update(
        period_start=datetime.date(2019, 1, 1), period_end=datetime.date(2020, 12, 31)
    )
    client = login(Client(), people.kommunpolis)
    page = html(client.get(url("agreement_renew", in_force)))
    assert 'name="period_start" value="2023-01-01"' in page
    assert 'name="period_end" value="2024-12-31"' in page


def test_the_parties_choose_the_renewal_period_but_not_one_that_has_ended(people, in_force):
    client = login(Client(), people.kommunpolis)
    refused = client.post(
        url("agreement_renew", in_force),
        {"period_start": "2021-01-01", "period_end": "2022-12-31"},
    )
    assert refused.status_code == 400
    assert "Perioden har redan gått ut" in html(refused)
    assert not Agreement.objects.filter(renewed_from=in_force).exists()

    response = client.post(
        url("agreement_renew", in_force),
        {"period_start": "2025-03-01", "period_end": "2027-02-28"},
    )
    assert response.status_code == 302
    new = Agreement.objects.get(renewed_from=in_force)
    assert (new.period_start, new.period_end) == (
        datetime.date(2025, 3, 1),
        datetime.date(2027, 2, 28),
    )
    assert new.title.endswith("2025–2027")


def test_the_renewal_page_shows_the_last_follow_up_report(people, in_force, monkeypatch):
    from workflows import selectors

    report = SimpleNamespace(
        due_date=datetime.date(2026, 12, 31),
        submitted_at=timezone.now(),
        submitted_by=people.samordnare,
        short_hash="abcdef123456",
        recommend_revision=True,
        recommendations="Fler trygghetsvandringar.",
    )
    monkeypatch.setattr(selectors, "last_follow_up", lambda agreement: report, raising=False)
    page = html(login(Client(), people.samordnare).get(url("agreement_renew", in_force)))
    assert "Uppföljningsrapporten för 2026-12-31" in page
    assert "av Sam Samordnare" in page and "abcdef123456" in page
    assert "Uppföljningen rekommenderar att överenskommelsen revideras." in page
    assert "Fler trygghetsvandringar." in page


def test_an_expired_agreement_can_be_renewed(people, in_force):
    with time_machine.travel(in_force.period_end + datetime.timedelta(days=2), tick=False):
        assert lifecycle.agreements_expire() == 1
        in_force.refresh_from_db()
        assert in_force.state == AgreementState.EXPIRED
        client = login(Client(), people.samordnare)
        page = html(client.get(url("agreement_detail", in_force)))
        assert text_in(page, f"Upphörde {in_force.period_end.isoformat()}")
        assert "Perioden tog slut" in page
        assert "Påbörja revidering" not in page and "Säg upp</a>" not in page
        response = client.post(url("agreement_renew", in_force))
        assert response.status_code == 302
        assert Agreement.objects.filter(renewed_from=in_force).exists()


# -- who may, and forged requests -----------------------------------------------------


@pytest.mark.parametrize("name", ALL_ACTIONS)
@pytest.mark.parametrize("who", ["auditor"])
def test_the_wrong_role_gets_403_on_every_action_and_nothing_changes(people, in_force, who, name):
    client = login(Client(), getattr(people, who))
    before = snapshot(in_force)
    assert client.get(url(name, in_force)).status_code == 403
    data = {"reason": "Skäl.", "ends_on": today().isoformat(), "confirmed": "1"}
    response = client.post(url(name, in_force), data)
    assert response.status_code == 403
    assert "Bara " in html(response)
    assert snapshot(in_force) == before
    page = html(client.get(url("agreement_detail", in_force)))
    for label in ("Påbörja revidering", "Förnya</a>", "Säg upp</a>"):
        assert label not in page


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("who", ["ks_chair", "lpo_chief", "sekreterare"])
def test_signatories_may_terminate_but_not_revise_or_renew(people, in_force, who, name):
    client = login(Client(), getattr(people, who))
    before = snapshot(in_force)
    assert client.get(url(name, in_force)).status_code == 403
    assert client.post(url(name, in_force), {"reason": ""}).status_code == 403
    assert snapshot(in_force) == before


@pytest.mark.parametrize("name", ALL_ACTIONS)
@pytest.mark.parametrize("who", ["outsider", "eslov_samordnare"])
def test_an_outsider_gets_404_on_every_action_and_nothing_changes(people, in_force, who, name):
    client = login(Client(), getattr(people, who))
    before = snapshot(in_force)
    assert client.get(url(name, in_force)).status_code == 404
    data = {"reason": "Skäl.", "ends_on": today().isoformat(), "confirmed": "1"}
    response = client.post(url(name, in_force), data)
    assert response.status_code == 404
    assert in_force.title not in html(response)
    assert snapshot(in_force) == before


@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(in_force, name):
    before = snapshot(in_force)
    response = Client().post(url(name, in_force), {"reason": "x", "confirmed": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert snapshot(in_force) == before


@pytest.mark.parametrize(("who", "name"), [
    ("samordnare", "agreement_revision_open"),
    ("samordnare", "agreement_renew"),
    ("lpo_chief", "agreement_terminate"),
])  # fmt: skip
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(people, in_force, who, name):
    client = login(Client(enforce_csrf_checks=True), getattr(people, who))
    before = snapshot(in_force)
    data = {"reason": "Skäl.", "ends_on": today().isoformat(), "confirmed": "1"}
    response = client.post(url(name, in_force), data)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in html(response)
    assert snapshot(in_force) == before


def test_a_post_without_a_csrf_token_cannot_withdraw_a_revision(people, in_force):
    login(Client(), people.samordnare).post(url("agreement_revision_open", in_force))
    client = login(Client(enforce_csrf_checks=True), people.samordnare)
    before = snapshot(in_force)
    assert client.post(url("agreement_revision_close", in_force)).status_code == 403
    assert snapshot(in_force) == before


@pytest.mark.parametrize(("who", "name"), [
    ("samordnare", "agreement_revision_open"),
    ("samordnare", "agreement_revision_close"),
    ("samordnare", "agreement_renew"),
    ("lpo_chief", "agreement_terminate"),
])  # fmt: skip
def test_opening_a_page_changes_nothing(people, in_force, who, name):
    client = login(Client(), getattr(people, who))
    before = snapshot(in_force)
    assert client.get(url(name, in_force)).status_code in (200, 409)
    assert client.head(url(name, in_force)).status_code in (200, 409)
    assert snapshot(in_force) == before


def test_the_list_says_what_a_revision_waits_for(people, in_force):
    client = login(Client(), people.samordnare)
    client.post(url("agreement_revision_open", in_force), {"reason": ""})
    page = html(client.get(reverse("workflows:agreement_list")))
    assert "Gällande, revidering pågår" in page
    assert "Skribenterna skriver en reviderad version" in page
    assert "Båda skribenterna godkänner version 1" not in page


def test_the_pages_are_swedish_by_default_and_english_when_chosen(people, in_force):
    client = login(Client(), people.lpo_chief)
    sv = html(client.get(url("agreement_terminate", in_force)))
    assert "Säg upp överenskommelsen" in sv
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = client.get(url("agreement_terminate", in_force))
    assert_accessible_basics(en, lang="en")
    assert "Säg upp överenskommelsen" not in html(en)
