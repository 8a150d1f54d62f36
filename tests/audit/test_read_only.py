"""A revisor reads every agreement where their organisation is a party, sees no
button or form that acts, and can change nothing through any address."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.conftest import _person, login
from tests.workflows.conftest import task_of
from workflows import content as content_rules
from workflows.access_selectors import is_read_only
from workflows.models import ActionToken, Agreement, Role, RoleAssignment

from .conftest import html, text, url

# -- what "nothing changed" means ----------------------------------------------------------

APPS_THAT_STORE = ("workflows", "notifications", "promises", "viewflow")


def snapshot() -> tuple:
    """Every row count of our apps, every agreement's state and chain head, and
    every task's status."""
    tables = set(connection.introspection.table_names())
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for model in apps.get_models()
        if model._meta.app_label in APPS_THAT_STORE
        and not model._meta.proxy
        and model._meta.db_table in tables
    )
    agreements = tuple(Agreement.objects.order_by("pk").values_list("pk", "state", "trail_head"))
    tasks = tuple(Task.objects.order_by("pk").values_list("pk", "status"))
    used = ActionToken.objects.filter(used_at__isnull=False).count()
    return counts, agreements, tasks, used


# -- every address of the site that could act on an agreement -------------------------------

NOT_OURS = ("admin/", "i18n/", "konto/", "anymail/", "dev/")


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, f"{namespace}{entry.name}", list(entry.pattern.converters)


def site_urls(values: dict[str, object]) -> list[str]:
    """Every named address outside admin, login and webhooks, with ``values`` (or the
    agreement's pk) for its parameters."""
    found = []
    for route, name, params in _patterns(get_resolver()):
        if route.startswith(NOT_OURS):
            continue
        kwargs = {param: values.get(param, values["pk"]) for param in params}
        found.append(reverse(name, kwargs=kwargs))
    return found


def everything_a_form_could_ask_for(agreement) -> dict[str, object]:
    today = timezone.localdate().isoformat()
    latest = agreement.latest_version()
    return {
        "text": content_rules.to_markdown(latest.content) + "\nÄndrat av revisorn.\n",
        "change_note": "Revisorn",
        "seen_latest": latest.number,
        "parent_number": latest.number,
        "version_hash": latest.content_hash,
        "outcome": "bifall",
        "meeting_date": "2023-04-11",
        "paragraph": "1",
        "diarienummer": "KS 1",
        "note": "Revisorn",
        "place": "Höör",
        "signed_on": today,
        "reason": "Revisorn vill",
        "ends_on": today,
        "confirm": "on",
        "first_year": timezone.localdate().year,
        "last_year": timezone.localdate().year,
    }


def _open_token(agreement) -> ActionToken | None:
    return ActionToken.objects.filter(agreement=agreement).order_by("pk").first()


@pytest.mark.parametrize("stage", ["proposed", "in_force"])
def test_no_address_of_the_site_lets_a_revisor_change_anything(
    stage, request, people, auditor, django_capture_on_commit_callbacks
):
    agreement = request.getfixturevalue(stage)
    task = Task.objects.filter(process__artifact_object_id=agreement.pk).order_by("-pk").first()
    token = _open_token(agreement)
    values = {
        "pk": agreement.pk,
        "number": agreement.latest_version().number,
        "task_id": task.pk,
        "token_pk": token.pk if token else 1,
        "token": "x" * 43,
    }
    data = everything_a_form_could_ask_for(agreement)
    before = snapshot()
    refused = {}
    with django_capture_on_commit_callbacks(execute=True):
        for address in site_urls(values):
            refused[address] = auditor.post(address, data).status_code
    assert snapshot() == before
    allowed = {address: status for address, status in refused.items() if status < 400}
    assert allowed == {}, "a revisor's POST was accepted"
    odd = {url: status for url, status in refused.items() if status not in (403, 404, 405, 410)}
    assert odd == {}


def test_each_write_address_refuses_a_revisor_with_403_or_404(proposed, people, auditor):
    task = task_of(proposed, "police_decision")
    data = everything_a_form_could_ask_for(proposed)
    before = snapshot()
    assert auditor.get(url("version_create", proposed)).status_code == 403
    assert auditor.post(url("version_create", proposed), data).status_code == 403
    assert auditor.post(url("version_approve", proposed, 1)).status_code == 403
    assert auditor.get(reverse("workflows:inbox_task", args=[task.pk])).status_code == 404
    assert auditor.post(reverse("workflows:inbox_task", args=[task.pk]), data).status_code == 404
    token = ActionToken.objects.filter(agreement=proposed).first()
    confirm = reverse("workflows:task_confirm", args=[token.pk])
    assert auditor.post(confirm, data).status_code == 403
    assert snapshot() == before


def test_each_lifecycle_address_refuses_a_revisor(in_force, auditor):
    data = everything_a_form_could_ask_for(in_force)
    names = [
        name
        for _route, name, params in _patterns(get_resolver())
        if name.startswith("workflows:") and params == ["pk"]
    ]
    lifecycle = [n for n in names if re.search(r"revision|terminat|renew|lifecycle", n)]
    before = snapshot()
    for name in lifecycle:
        response = auditor.post(reverse(name, args=[in_force.pk]), data)
        assert response.status_code in (403, 404), name
    assert snapshot() == before


# -- what a revisor sees ----------------------------------------------------------------------


def post_forms(response) -> set[str]:
    """The addresses of the page's POST forms."""
    forms = re.findall(r"<form[^>]*>", html(response))
    posts = [form for form in forms if 'method="post"' in form]
    return {re.search(r'action="([^"]*)"', form).group(1) for form in posts}


def buttons(response) -> set[str]:
    found = re.findall(r"<button[^>]*>(.*?)</button>", html(response), flags=re.S)
    return {" ".join(re.sub(r"<[^>]+>", " ", label).split()) for label in found}


# The buttons that only read or move around: search, filter, compare, verify, language.
READING = {"Logga ut", "Svenska", "English", "Visa", "Jämför", "Verifiera beslutsspåret"}


def write_pages(agreement) -> list[str]:
    """The pages that ask for a change: a new version, the period's actions, the inbox."""
    names = [
        name
        for _route, name, params in _patterns(get_resolver())
        if params == ["pk"] and re.search(r"version_create|revision|terminat|renew", name)
    ]
    return [reverse(name, args=[agreement.pk]) for name in names] + ["/inkorg/"]


@pytest.mark.parametrize("stage", ["agreement", "proposed", "in_force"])
def test_a_revisor_reads_the_agreement_with_no_button_that_acts(stage, request, auditor):
    agreement = request.getfixturevalue(stage)
    pages = [
        url("agreement_detail", agreement),
        url("version_detail", agreement, 1),
        url("version_compare", agreement),
        url("audit_trail", agreement),
        url("audit_verify", agreement),
    ]
    for address in pages:
        response = auditor.get(address)
        assert response.status_code == 200, address
        assert response.context["read_only"] is True
        # only logging out and choosing a language
        assert post_forms(response) <= {reverse("logout"), reverse("set_language")}, address
        assert buttons(response) <= READING, address
        links = re.findall(r'href="([^"]*)"', html(response))
        for write in write_pages(agreement):
            assert not any(link.startswith(write) for link in links if write != "/inkorg/"), write
        assert not any(re.match(r"/inkorg/\d+/", link) for link in links), address


def test_the_drafters_still_see_their_buttons(proposed, people):
    client = login(Client(), people.kommunpolis)
    response = client.get(url("agreement_detail", proposed))
    assert response.context["read_only"] is False
    assert "Ny version" in text(response)


def test_read_only_is_for_whoever_holds_no_acting_role_at_a_party(agreement, people, orgs):
    assert is_read_only(people.auditor, agreement)
    assert is_read_only(None, agreement)
    for acting in ("kommunpolis", "samordnare", "sekreterare", "ks_chair", "lpo_chief"):
        assert not is_read_only(getattr(people, acting), agreement), acting
    police_auditor = _person("Pia Granskare", "pia@polisen.test", Role.REVISOR, orgs.lpo)
    assert is_read_only(police_auditor, agreement)


# -- what a revisor may not even see -----------------------------------------------------------


def test_a_revisor_cannot_see_agreements_where_their_organisation_is_no_party(
    agreement, eslov_agreement, lund_agreement, auditor
):
    for other in (eslov_agreement, lund_agreement):
        for name, more in (
            ("agreement_detail", ()),
            ("version_detail", (1,)),
            ("audit_trail", ()),
            ("audit_verify", ()),
        ):
            assert auditor.get(url(name, other, *more)).status_code == 404, (name, other.title)
    listed = auditor.get(reverse("workflows:agreement_list")).context["agreements"]
    assert [a.pk for a in listed] == [agreement.pk]


def test_a_police_revisor_sees_the_lpos_agreements_with_every_kommun_it_serves(
    agreement, eslov_agreement, lund_agreement, orgs
):
    police_auditor = _person("Pia Granskare", "pia@polisen.test", Role.REVISOR, orgs.lpo)
    client = login(Client(), police_auditor)
    for own in (agreement, eslov_agreement):
        assert client.get(url("audit_trail", own)).status_code == 200
    assert client.get(url("audit_trail", lund_agreement)).status_code == 404


def test_a_revisor_whose_role_ended_sees_nothing(agreement, people, auditor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(person=people.auditor).update(valid_to=yesterday)
    assert auditor.get(url("audit_trail", agreement)).status_code == 404
    assert auditor.get(reverse("workflows:audit_search")).status_code == 403
