"""The drafting pages, used as a drafter, a reader, an outsider and a stranger would."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD, SAMPLE_CONTENT, _person, login
from workflows import content as content_rules
from workflows.models import AgreementState, AuditEvent, DrafterApproval, Role, Version
from workflows.models.trail import Channel
from workflows.services.drafting import agreement_create, version_approve, version_submit

TEXT_V1 = content_rules.to_markdown(SAMPLE_CONTENT)


# -- helpers -------------------------------------------------------------------------

PERIOD = {"period_start": datetime.date(2023, 1, 1), "period_end": datetime.date(2024, 12, 31)}
# The facts that change with a version before the agreement has been in force.
FACTS = {"kind": "operational", "deciding_body": "ks", "follow_up_cadence": "yearly"}


def url(name: str, agreement, *more) -> str:
    return reverse(f"workflows:{name}", args=[agreement.pk, *more])


def submit(client, agreement, text: str, *, seen_latest: int, parent: int | None = None, note=""):
    return client.post(
        url("version_create", agreement),
        {
            "text": text,
            "change_note": note,
            "seen_latest": seen_latest,
            "parent_number": parent if parent is not None else "",
        },
    )


def snapshot(agreement) -> tuple:
    """Everything the drafting pages can change."""
    agreement.refresh_from_db()
    return (
        agreement.state,
        Version.objects.filter(agreement=agreement).count(),
        DrafterApproval.objects.filter(version__agreement=agreement).count(),
        AuditEvent.objects.filter(agreement=agreement).count(),
    )


def html(response) -> str:
    return response.content.decode()


def version_by_service(agreement, author, text: str, seen_latest: int) -> Version:
    return version_submit(
        agreement_id=agreement.pk,
        author=author,
        content=content_rules.from_markdown(text),
        change_note="",
        seen_latest=seen_latest,
        parent_number=seen_latest,
        channel=Channel.LOGIN,
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(response) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html(response))
    return parser.tags


def assert_accessible_basics(response, *, lang: str = "sv") -> None:
    found = tags(response)
    names = [name for name, _attrs in found]
    assert found[0] == ("html", {"lang": lang})
    assert names.count("h1") == 1
    for landmark in ("header", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    assert ("main", {"id": "main", "tabindex": "-1", "class": "wrap"}) in found
    assert found[names.index("a")][1] == {"class": "skip-link", "href": "#main"}
    labelled = {attrs["for"] for name, attrs in found if name == "label"}
    for name, attrs in found:
        if name in ("textarea", "select") or (
            name == "input" and attrs.get("type") not in ("hidden", "submit", "button")
        ):
            assert attrs["id"] in labelled, f"{name} {attrs} has no label"
        if name == "th":
            assert attrs.get("scope") in ("col", "row")
        if name == "nav":
            assert attrs.get("aria-label")


# -- the whole drafting round through HTTP ---------------------------------------------


def test_two_drafters_take_an_agreement_to_a_joint_proposal_through_the_pages(people, agreement):
    polis = login(Client(), people.kommunpolis)
    samordnare = login(Client(), people.samordnare)

    # The kommunpolis edits version 1 from the prefilled form.
    form = polis.get(url("version_create", agreement)).context["form"]
    assert form.initial == {
        "text": TEXT_V1,
        "seen_latest": 1,
        "parent_number": 1,
        **PERIOD,
        **FACTS,
    }
    text_v2 = TEXT_V1.replace("varje år", "varje tertial")
    response = submit(polis, agreement, text_v2, seen_latest=1, parent=1, note="Tätare.")
    assert response.status_code == 302
    assert response.url == url("version_detail", agreement, 2)

    # The trygghetssamordnare approves it, then adds a section: her approval lapses.
    assert samordnare.post(url("version_approve", agreement, 2)).status_code == 302
    text_v3 = text_v2 + "\n## Forum\nLokala BRÅ möts fyra gånger per år.\n"
    assert submit(samordnare, agreement, text_v3, seen_latest=2, parent=2).status_code == 302
    assert snapshot(agreement)[0] == AgreementState.DRAFT

    # Both approve version 3: the joint proposal.
    assert polis.post(url("version_approve", agreement, 3)).status_code == 302
    response = samordnare.post(url("version_approve", agreement, 3), follow=True)
    assert "Version 3 är godkänd av båda och är nu ett gemensamt förslag." in html(response)

    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PROPOSED
    v2, v3 = agreement.versions.filter(number__in=[2, 3]).order_by("number")
    assert (v2.author, v2.parent.number, v2.change_note) == (people.kommunpolis, 1, "Tätare.")
    assert (v3.author, v3.parent.number) == (people.samordnare, 2)
    assert v3.content["sections"][-1]["heading"] == "Forum"
    assert set(v3.approvals.values_list("role", flat=True)) == {
        Role.KOMMUNPOLIS,
        Role.TRYGGHETSSAMORDNARE,
    }
    events = list(agreement.events.order_by("seq"))
    assert [(e.action, e.actor) for e in events] == [
        ("agreement_created", people.samordnare),
        ("version_submitted", people.samordnare),
        ("version_submitted", people.kommunpolis),
        ("version_approved", people.samordnare),
        ("version_submitted", people.samordnare),
        ("version_approved", people.kommunpolis),
        ("version_approved", people.samordnare),
        ("joint_proposal", people.samordnare),
    ]
    assert {e.channel for e in events[2:]} == {Channel.LOGIN}
    assert events[4].details["voided_approvals"] == [Role.TRYGGHETSSAMORDNARE]

    page = html(polis.get(url("agreement_detail", agreement)))
    trail = page[page.index("Beslutsspår") :]
    labels = re.findall(r'<p class="trail-action">(.*?)</p>', trail)
    assert labels == [
        "Överenskommelsen skapades",
        "Version 1 lämnades in",
        "Version 2 lämnades in",
        "Version 2 godkändes",
        "Version 3 lämnades in",
        "Version 3 godkändes",
        "Version 3 godkändes",
        "Version 3 blev gemensamt förslag",
    ]
    assert "Godkännanden som upphörde att gälla: Trygghetssamordnare" in trail
    assert "Karin Polis, Kommunpolis" in trail and "· inloggad" in trail
    assert "Gemensamt förslag, inväntar beslut" in page
    assert "Väntar på beslut" in html(polis.get(reverse("workflows:agreement_list")))


def test_a_new_version_after_the_joint_proposal_reopens_drafting(people, agreement):
    for person in (people.kommunpolis, people.samordnare):
        login(Client(), person).post(url("version_approve", agreement, 1))
    assert snapshot(agreement)[0] == AgreementState.PROPOSED
    polis = login(Client(), people.kommunpolis)
    response = submit(polis, agreement, TEXT_V1 + "\nNy mening.\n", seen_latest=1, parent=1)
    assert response.status_code == 302
    assert snapshot(agreement)[:2] == (AgreementState.DRAFT, 2)


def test_a_version_can_be_written_from_an_empty_text(people, agreement):
    client = login(Client(), people.samordnare)
    form = client.get(url("version_create", agreement) + "?fran=tom").context["form"]
    assert form.initial == {
        "text": "",
        "seen_latest": 1,
        "parent_number": None,
        **PERIOD,
        **FACTS,
    }
    assert submit(client, agreement, "## Helt ny\nText.", seen_latest=1).status_code == 302
    version = agreement.versions.get(number=2)
    assert version.parent is None
    assert version.content == {"sections": [{"heading": "Helt ny", "text": "Text.", "items": []}]}


# -- the pages show what matters ---------------------------------------------------------


def test_the_list_shows_each_agreement_with_its_state_and_whom_it_waits_on(people, agreement):
    version_approve(
        version_id=agreement.versions.get().pk, person=people.samordnare, channel=Channel.LOGIN
    )
    response = login(Client(), people.auditor).get(reverse("workflows:agreement_list"))
    page = html(response)
    assert agreement.title in page
    assert "Höörs kommun och Lokalpolisområde Eslöv" in page
    assert "2023-01-01 – 2024-12-31" in page
    assert "Utkast" in page and "senaste version 1" in page
    assert "Väntar på godkännande från kommunpolisen" in page
    assert "trygghetssamordnaren" not in page


def test_the_list_leaves_out_agreements_of_other_parties(people, agreement):
    page = html(login(Client(), people.outsider).get(reverse("workflows:agreement_list")))
    assert agreement.title not in page
    assert "Du har ingen roll i någon överenskommelse just nu." in page


def _more_agreements(orgs, people, count: int) -> None:
    for n in range(count):
        other = agreement_create(
            kommun=orgs.eslov if n % 2 else orgs.hoor,
            lokalpolisomrade=orgs.lpo,
            kind="one_part",
            title=f"Överenskommelse {n}",
            period_start=datetime.date(2021, 5, 1),
            period_end=datetime.date(2022, 12, 31),
            content=SAMPLE_CONTENT,
            author=people.kommunpolis,
            channel=Channel.LOGIN,
            duplicate_reason="Testdata: många överenskommelser för samma parter.",
        )
        version_approve(
            version_id=other.versions.get().pk, person=people.kommunpolis, channel=Channel.LOGIN
        )


def test_the_list_page_query_count_does_not_grow_with_the_number_of_agreements(
    orgs, people, agreement, django_assert_max_num_queries
):
    client = login(Client(), people.kommunpolis)
    list_url = reverse("workflows:agreement_list")
    with CaptureQueriesContext(connection) as with_one:
        assert len(client.get(list_url).context["agreements"]) == 1
    _more_agreements(orgs, people, 6)
    with django_assert_max_num_queries(len(with_one.captured_queries)):
        response = client.get(list_url)
    assert len(response.context["agreements"]) == 7
    assert html(response).count("Väntar på godkännande från trygghetssamordnaren") == 6


def test_the_agreement_page_shows_facts_versions_and_the_drafters_buttons(people, agreement):
    response = login(Client(), people.kommunpolis).get(url("agreement_detail", agreement))
    page = html(response)
    for fact in (
        "Utkast",
        "Operativ överenskommelse",
        "Kommunstyrelsen",
        "2023-01-01 – 2024-12-31",
        "Varje år",
        "Sam Samordnare",
        agreement.versions.get().short_hash,
        "Väntar på godkännande från kommunpolisen och trygghetssamordnaren",
    ):
        assert fact in page, fact
    assert 'href="{}"'.format(url("version_create", agreement)) in page
    assert "Godkänn version 1</button>" in page


def test_a_reader_sees_the_agreement_but_no_drafting_buttons(people, agreement):
    page = html(login(Client(), people.auditor).get(url("agreement_detail", agreement)))
    assert agreement.title in page
    assert "Ny version" not in page and "Godkänn version" not in page


def test_a_drafter_who_approved_sees_that_instead_of_the_button(people, agreement):
    client = login(Client(), people.samordnare)
    client.post(url("version_approve", agreement, 1))
    page = html(client.get(url("agreement_detail", agreement)))
    assert "Godkänn version 1</button>" not in page
    assert "Du har godkänt version 1." in page
    assert "Trygghetssamordnare: Sam Samordnare" in page


def test_the_trail_names_a_substitute_and_whom_they_stood_in_for(orgs, people, agreement):
    stand_in = _person(
        "Stina Ersättare",
        "stina@polisen.test",
        Role.KOMMUNPOLIS,
        orgs.lpo,
        title="Tf. kommunpolis",
        substitute_for=people.kommunpolis,
    )
    login(Client(), stand_in).post(url("version_approve", agreement, 1))
    page = html(login(Client(), people.auditor).get(url("agreement_detail", agreement)))
    assert "Stina Ersättare, Tf. kommunpolis för Karin Polis" in page


def test_times_are_shown_in_stockholm_time_and_dates_as_iso(people, agreement):
    summer_noon_utc = datetime.datetime(2023, 6, 18, 10, 5, tzinfo=datetime.UTC)
    with time_machine.travel(summer_noon_utc, tick=False):
        version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nMer.\n", 1)
    page = html(login(Client(), people.kommunpolis).get(url("version_detail", agreement, 2)))
    assert '<time datetime="2023-06-18T12:05:00+02:00">2023-06-18 12:05</time>' in page


def test_the_version_page_shows_the_text_hash_parent_and_approvals(people, agreement):
    version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nMer.\n", 1)
    version_approve(
        version_id=agreement.versions.get(number=2).pk,
        person=people.kommunpolis,
        channel=Channel.LOGIN,
    )
    version = agreement.versions.get(number=2)
    page = html(login(Client(), people.samordnare).get(url("version_detail", agreement, 2)))
    assert f'<code class="hash">{version.content_hash}</code>' in page
    assert 'href="{}"'.format(url("version_detail", agreement, 1)) in page
    assert "Kommunpolis: Karin Polis" in page
    assert "<h3>Samverkansområden</h3>" in page and "<h4>Trygghetsvandringar</h4>" in page
    assert "<dt>Effektmål</dt><dd>Fler upplever utemiljön som trygg.</dd>" in page
    assert "<dt>Ansvarig</dt><dd>Kommunledningskontoret</dd>" in page
    assert url("version_compare", agreement) + "?fran=1&amp;till=2" in page
    assert "Godkänn version 2</button>" in page


def test_the_compare_page_shows_exactly_the_changed_sections_and_words(people, agreement):
    text = TEXT_V1.replace("varje år", "varje tertial") + "\n## Forum\nLokala BRÅ.\n"
    version_by_service(agreement, people.kommunpolis, text, 1)
    response = login(Client(), people.auditor).get(
        url("version_compare", agreement) + "?fran=1&till=2"
    )
    assert response.status_code == 200
    page = html(response)
    folded = re.findall(r'<details class="diff-section diff-unchanged">\s*<summary>([^<]*)', page)
    assert [title.strip() for title in folded] == ["Syfte och mål", "Samverkansområden"]
    assert re.findall(r'<section class="diff-section diff-(\w+)">', page) == ["changed", "added"]
    assert page.count("<del>") == 1 + 1  # the legend, and "år"
    assert '<del><span class="visually-hidden">[borttaget: </span>år' in page
    assert '<ins><span class="visually-hidden">[tillagt: </span>tertial' in page
    assert "Ändrade avsnitt: 1. Tillagda: 1. Borttagna: 0. Oförändrade: 2." in page


def test_the_compare_page_compares_the_latest_two_versions_by_default(people, agreement):
    version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nMer.\n", 1)
    response = login(Client(), people.auditor).get(url("version_compare", agreement))
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)


def test_the_compare_page_refuses_a_version_that_does_not_exist(people, agreement):
    response = login(Client(), people.auditor).get(
        url("version_compare", agreement) + "?fran=7&till=1"
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in html(response)


# -- who may do what -----------------------------------------------------------------------

AGREEMENT_PAGES = [
    ("agreement_detail", ()),
    ("version_detail", (1,)),
    ("version_create", ()),
    ("version_compare", ()),
]


@pytest.mark.parametrize("who", ["outsider", "eslov_samordnare"])
@pytest.mark.parametrize(("name", "more"), AGREEMENT_PAGES)
def test_an_outsider_gets_404_on_every_agreement_page(people, agreement, who, name, more):
    response = login(Client(), getattr(people, who)).get(url(name, agreement, *more))
    assert response.status_code == 404
    assert agreement.title not in html(response)
    assert "Sidan finns inte" in html(response)


@pytest.mark.parametrize("who", ["outsider", "eslov_samordnare"])
def test_an_outsider_gets_404_when_posting_and_nothing_changes(people, agreement, who):
    before = snapshot(agreement)
    client = login(Client(), getattr(people, who))
    assert client.post(url("version_approve", agreement, 1)).status_code == 404
    assert submit(client, agreement, "## Ny\nText", seen_latest=1).status_code == 404
    assert snapshot(agreement) == before


def test_a_missing_agreement_or_version_is_404(people, agreement):
    client = login(Client(), people.kommunpolis)
    assert client.get(reverse("workflows:agreement_detail", args=[999])).status_code == 404
    assert client.get(url("version_detail", agreement, 9)).status_code == 404
    assert client.post(url("version_approve", agreement, 9)).status_code == 404


def test_a_user_without_a_person_sees_an_explanation_and_no_agreement(agreement):
    get_user_model().objects.create_user(username="admin2", password=PASSWORD)
    client = Client()
    client.login(username="admin2", password=PASSWORD)
    page = html(client.get(reverse("workflows:agreement_list")))
    assert "inte kopplat till någon person" in page
    assert client.get(url("agreement_detail", agreement)).status_code == 404


@pytest.mark.parametrize(("name", "more"), [*AGREEMENT_PAGES, ("agreement_list", None)])
def test_an_anonymous_visitor_is_sent_to_the_login_page(agreement, name, more):
    target = reverse("workflows:agreement_list") if more is None else url(name, agreement, *more)
    response = Client().get(target)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={target}"


def test_an_anonymous_post_changes_nothing(agreement):
    before = snapshot(agreement)
    assert Client().post(url("version_approve", agreement, 1)).status_code == 302
    assert snapshot(agreement) == before


@pytest.mark.parametrize("who", ["auditor", "ks_chair", "lpo_chief", "sekreterare"])
def test_the_wrong_role_cannot_create_a_version(people, agreement, who):
    before = snapshot(agreement)
    client = login(Client(), getattr(people, who))
    assert client.get(url("version_create", agreement)).status_code == 403
    response = submit(client, agreement, TEXT_V1 + "\nÄndrat.\n", seen_latest=1, parent=1)
    assert response.status_code == 403
    assert "Bara överenskommelsens kommunpolis och trygghetssamordnare" in html(response)
    assert snapshot(agreement) == before


@pytest.mark.parametrize("who", ["auditor", "ks_chair", "lpo_chief", "sekreterare"])
def test_the_wrong_role_cannot_approve_a_version(people, agreement, who):
    before = snapshot(agreement)
    response = login(Client(), getattr(people, who)).post(url("version_approve", agreement, 1))
    assert response.status_code == 403
    assert "Bara överenskommelsens kommunpolis och trygghetssamordnare" in html(response)
    assert snapshot(agreement) == before


def test_a_get_on_the_approve_address_changes_nothing(people, agreement):
    before = snapshot(agreement)
    client = login(Client(), people.kommunpolis)
    assert client.get(url("version_approve", agreement, 1)).status_code == 405
    assert snapshot(agreement) == before


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(people, agreement):
    before = snapshot(agreement)
    client = login(Client(enforce_csrf_checks=True), people.kommunpolis)
    response = client.post(url("version_approve", agreement, 1))
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in html(response)
    assert submit(client, agreement, TEXT_V1 + "\nX.\n", seen_latest=1).status_code == 403
    assert snapshot(agreement) == before


# -- input the rules refuse -----------------------------------------------------------------


def test_an_empty_version_is_refused_at_the_field(people, agreement):
    before = snapshot(agreement)
    response = submit(login(Client(), people.kommunpolis), agreement, "", seen_latest=1)
    assert response.status_code == 400
    page = html(response)
    assert "Skriv versionens text. En version kan inte vara tom." in page
    assert 'aria-describedby="id_text_helptext id_text_error"' in page
    assert 'id="id_text_error"' in page
    assert '<a href="#id_text">' in page
    assert snapshot(agreement) == before


def test_a_version_with_only_empty_headings_is_refused(people, agreement):
    before = snapshot(agreement)
    response = submit(login(Client(), people.kommunpolis), agreement, "##\n###\n", seen_latest=1)
    assert response.status_code == 400
    assert "En version måste ha minst ett avsnitt med text." in html(response)
    assert snapshot(agreement) == before


def test_a_version_identical_to_the_latest_is_refused_and_the_text_kept(people, agreement):
    before = snapshot(agreement)
    client = login(Client(), people.kommunpolis)
    response = submit(client, agreement, TEXT_V1, seen_latest=1, parent=1, note="Inget nytt")
    assert response.status_code == 400
    assert "Texten är densamma som i version 1." in html(response)
    assert response.context["form"]["change_note"].value() == "Inget nytt"
    assert snapshot(agreement) == before


def test_a_stale_form_is_refused_and_keeps_what_the_user_wrote(people, agreement):
    samordnare = login(Client(), people.samordnare)
    opened = samordnare.get(url("version_create", agreement)).context["form"].initial
    version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nPolisens tillägg.\n", 1)
    before = snapshot(agreement)

    her_text = TEXT_V1 + "\nSamordnarens <viktiga> tillägg.\n"
    response = submit(samordnare, agreement, her_text, seen_latest=opened["seen_latest"], parent=1)
    assert response.status_code == 409
    page = html(response)
    assert "Version 2 har lämnats in sedan du började." in page
    assert "Samordnarens &lt;viktiga&gt; tillägg." in page
    assert response.context["form"]["text"].value() == her_text
    assert url("version_compare", agreement) + "?fran=1&amp;till=2" in page
    assert snapshot(agreement) == before


def test_approving_after_the_joint_proposal_is_refused_as_the_wrong_state(people, agreement):
    for person in (people.kommunpolis, people.samordnare):
        login(Client(), person).post(url("version_approve", agreement, 1))
    before = snapshot(agreement)
    response = login(Client(), people.kommunpolis).post(url("version_approve", agreement, 1))
    assert response.status_code == 409
    page = html(response)
    assert "Överenskommelsen är redan gemensamt förslag, inväntar beslut." in page
    assert page.count("<h1>") == 1 and agreement.title in page
    assert snapshot(agreement) == before


def test_approving_a_replaced_version_is_refused_as_stale(people, agreement):
    version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nMer.\n", 1)
    before = snapshot(agreement)
    response = login(Client(), people.samordnare).post(url("version_approve", agreement, 1))
    assert response.status_code == 409
    assert "Version 1 är ersatt av version 2." in html(response)
    assert snapshot(agreement) == before


def test_approving_the_same_version_twice_is_refused(people, agreement):
    client = login(Client(), people.samordnare)
    client.post(url("version_approve", agreement, 1))
    before = snapshot(agreement)
    response = client.post(url("version_approve", agreement, 1))
    assert response.status_code == 400
    assert "Version 1 är redan godkänd av trygghetssamordnare." in html(response)
    assert snapshot(agreement) == before


# -- accessibility facts in the HTML ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "more", "query"),
    [
        ("agreement_list", None, ""),
        ("agreement_detail", (), ""),
        ("version_detail", (1,), ""),
        ("version_create", (), ""),
        ("version_compare", (), "?fran=1&till=2"),
    ],
)
def test_each_page_has_one_h1_landmarks_a_skip_link_and_labelled_fields(
    people, agreement, name, more, query
):
    version_by_service(agreement, people.kommunpolis, TEXT_V1 + "\nMer.\n", 1)
    target = reverse("workflows:agreement_list") if more is None else url(name, agreement, *more)
    response = login(Client(), people.samordnare).get(target + query)
    assert response.status_code == 200
    assert_accessible_basics(response)
    assert ("nav", {"class": "site-nav", "aria-label": "Huvudmeny"}) in tags(response)


def test_a_refused_form_is_accessible_and_says_so_in_the_title(people, agreement):
    response = submit(login(Client(), people.kommunpolis), agreement, "", seen_latest=1)
    assert_accessible_basics(response)
    assert "<title>Fel: Ny version" in html(response)
    assert 'role="alert"' in html(response)


def test_the_login_page_is_swedish_and_accessible(db):
    response = Client().get(reverse("login"))
    assert_accessible_basics(response)
    page = html(response)
    assert "<h1>Logga in</h1>" in page
    assert 'autocomplete="current-password"' in page


def test_a_failed_login_says_why_in_swedish(people):
    response = Client().post(reverse("login"), {"username": "karin@polisen.test", "password": "x"})
    assert "Inloggningen misslyckades" in html(response)
    assert "användarnamn och lösenord" in html(response)


def test_logging_in_leads_to_my_agreements(people, agreement):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "karin@polisen.test", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workflows:agreement_list")
    assert agreement.title in html(response)


def test_the_language_switcher_sets_the_page_language(people, agreement):
    client = login(Client(), people.kommunpolis)
    page = url("agreement_detail", agreement)
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302 and response.url == page
    assert_accessible_basics(client.get(page), lang="en")


def agreement_url(agreement) -> str:
    return reverse("workflows:agreement_detail", args=[agreement.pk])


def stage_bar(page: str) -> list[tuple[str, str]]:
    """The step bar's stages as (label, "done" | "current" | ""), in order."""
    bar = re.search(r'<nav class="stage-bar".*?</nav>', page, re.S).group(0)
    return [
        (label, "current" if current else ("done" if "stage-done" in css else ""))
        for css, current, label in re.findall(
            r'<li class="([^"]*)"( aria-current="step")?>\s*<span class="stage-label">([^<]+)<',
            bar,
        )
    ]


def test_the_step_bar_shows_the_stage_and_whom_it_waits_on(people, agreement):
    version_approve(
        version_id=agreement.versions.get().pk, person=people.samordnare, channel=Channel.LOGIN
    )
    page = html(login(Client(), people.samordnare).get(agreement_url(agreement)))

    assert stage_bar(page) == [
        ("Utkast", "current"),
        ("Beslut", ""),
        ("Underskrift", ""),
        ("Undertecknad", ""),
        ("Gällande", ""),
        ("Upphört", ""),
    ]
    assert '<span class="stage-waits">Väntar på godkännande från kommunpolisen</span>' in page


def test_the_step_bar_of_an_agreement_in_force_has_the_earlier_stages_done(people, in_force):
    page = html(login(Client(), people.samordnare).get(agreement_url(in_force)))

    assert [status for _, status in stage_bar(page)] == ["done"] * 4 + ["current", ""]


def test_the_admin_lists_rounds_and_their_tasks_in_swedish_not_viewflows_english(
    admin_client, proposed
):
    assert admin_client.get("/admin/viewflow/task/").status_code == 404
    assert admin_client.get("/admin/viewflow/process/").status_code == 404
    tasks = html(admin_client.get("/admin/workflows/roundtask/"))
    assert "uppgifter i omgångar" in tasks.lower()
    for heading in ("Skapad", "Uppgift", "Omgång", "Status", "Ansvarig", "Klar"):
        assert f">{heading}<" in tasks or f">{heading}</a>" in tasks, heading
    assert ">Tilldelad<" in tasks or ">Ny<" in tasks
    assert "Assigned" not in tasks and "Owner" not in tasks
    rounds = html(admin_client.get("/admin/workflows/agreementprocess/"))
    assert "beslutsomgångar" in rounds.lower() and proposed.title in rounds
