"""The README's demo: an agreement in force with follow-ups and a revision, and
medborgarlöften on the public page."""

import io

import time_machine
from django.core.management import call_command
from django.test import Client

from workflows import demo_in_force
from workflows.models import Agreement, AgreementState, FollowUpReport


@time_machine.travel("2026-11-23T12:00:00+01:00")
def test_the_demo_has_an_agreement_in_force_with_follow_ups_and_a_revision(db):
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    agreement = Agreement.objects.get(title=demo_in_force.title())
    assert agreement.state == AgreementState.REVISION_DRAFT
    assert agreement.version_in_force.number == 1
    reports = FollowUpReport.objects.filter(agreement=agreement, state="submitted")
    assert reports.count() == 3
    assert reports.order_by("due_date").last().recommend_revision
    # The demo shows a rättelse: the § was typed wrong.
    correction = agreement.events.get(action="record_corrected").details
    assert (correction["old"], correction["new"]) == ("212", "213")
    # Eslöv's agreement was decided and signed before the product: registered afterwards.
    eslov = Agreement.objects.get(kommun__name="Eslövs kommun")
    assert eslov.state == AgreementState.EXPIRED
    assert eslov.registration.document.name == "eslov_2021_2022.md"
    assert eslov.registration.facts["signatures"][0]["signed_on"] == "2021-06-18"
    verified = io.StringIO()
    call_command("verify_trail", stdout=verified)
    assert verified.getvalue().startswith("OK ")

    call_command("load_demo", "--force", stdout=out)  # again: nothing new
    assert Agreement.objects.filter(title=demo_in_force.title()).count() == 1
    public = Client().get("/medborgarloften/hoor/")
    assert public.status_code == 200
    assert "Fler grannar samverkar mot brott" in public.content.decode()
