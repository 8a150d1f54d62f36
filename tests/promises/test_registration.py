"""Medborgarlöften decided and signed before the product come in from their text as
a set of the agreement they belong to, registered afterwards: published, marked so
on the set's and the public page, in the trail, and checked by the verifiers."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from promises.models import PromiseSet, PromiseSetState
from promises.text_import import promises_from, responsible
from tests.conftest import login
from tests.export.test_export import both, export
from tests.export.test_tamper_matrix import db_verdict, forge_record
from tests.workflows.test_importer import needs_seeds, seed
from tests.workflows.test_pages import html
from workflows.importer import parse

# In the style of Höör's seed: a lägesbild, the promises as bold bullets, a signature
# block with "Ort ÅÅÅÅ MMDD" for each party.
TEXT = """Medborgarlöften 2023 - 2024

Medborgarlöften är en del i polisens och kommunens samverkansöverenskommelse.

Aktuell lägesbild i kommunen

Fler upplever narkotikapåverkade personer utomhus och buskörning i centrum.

Medborgarlöften 2023-2024:

- **Grannsamverkan mot brott**

Polis och kommun ska tillsammans starta fler grannsamverkansnätverk i kommunen.

- **Trafikmiljö**

Polisen ska rikta trafikkontroller mot buskörning utifrån tips och statistik.

Uppföljning

Löftena följs upp i lokala brottsförebyggande rådet.

Höör 2023 0411

Johan Svahnberg
Kommunstyrelsens ordförande
Höörs kommun

Höör 2023 0411

Veronica Ek
Lokalpolisområdeschef
Lokalpolisområde Eslöv
"""


def test_the_promises_and_who_answers_for_them_are_read_from_the_text():
    text = promises_from(parse(TEXT))
    assert (text.first_year, text.last_year) == (2023, 2024)
    assert [p["title"] for p in text.promises] == ["Grannsamverkan mot brott", "Trafikmiljö"]
    assert [p["responsible"] for p in text.promises] == ["both", "lpo"]
    assert "buskörning i centrum" in text.background
    assert responsible("Kommunen bjuder in till dialog.") == "kommun"


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_promises", str(path), *map(str, args), stdout=out)
    return out.getvalue()


def test_signed_promises_are_registered_afterwards_to_their_agreement(in_force, people, tmp_path):
    agreement = in_force
    path = tmp_path / "medborgarloften.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert "Registrerade i efterhand" in run(path, "--register")
    promise_set = PromiseSet.objects.get()
    assert (promise_set.agreement, promise_set.state) == (agreement, PromiseSetState.PUBLISHED)
    event = agreement.events.get(action="promises_registered")
    assert event.details["registered_signatures"][0]["signed_on"] == "2023-04-11"

    client = login(Client(), people.samordnare)
    page = html(client.get(reverse("promises:set_detail", args=[agreement.pk, promise_set.pk])))
    assert "Registrerade i efterhand" in page
    public = html(Client().get(reverse("promises:public_kommun", args=["hoor"])))
    assert "Grannsamverkan mot brott" in public
    assert "registrerade i efterhand" in public
    assert db_verdict(agreement).startswith("OK")

    folder = export(agreement, tmp_path / "bundle")
    assert both(folder).startswith("OK ")
    forge_record(folder, "registrations", "signatures", [])
    assert "FAIL registration" in both(folder)


def test_promises_without_their_agreement_are_refused_clearly(orgs, people, tmp_path):
    path = tmp_path / "medborgarloften.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(
        CommandError, match="Hittar ingen operativ överenskommelse för Höörs kommun"
    ):
        run(path, "--register")
    assert not PromiseSet.objects.exists()


def test_import_agreement_sends_medborgarloften_to_import_promises(agreement, tmp_path):
    path = tmp_path / "medborgarloften.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="läs in den med import_promises"):
        call_command("import_agreement", str(path), stdout=io.StringIO())


def test_promises_of_an_agreement_not_yet_signed_are_not_registered(agreement, tmp_path):
    path = tmp_path / "medborgarloften.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="Överenskommelsen är inte undertecknad än"):
        run(path, "--register")
    assert not PromiseSet.objects.exists()


def test_unsigned_promises_start_as_a_draft(agreement, tmp_path):
    path = tmp_path / "medborgarloften-utkast.txt"
    path.write_text(TEXT.split("Höör 2023 0411")[0], encoding="utf-8")
    run(path, "--agreement", agreement.pk)  # the text names no parties
    assert PromiseSet.objects.get().state == PromiseSetState.DRAFT


@needs_seeds
def test_the_seed_medborgarloften_register_as_a_set_of_hoors_agreement(in_force, tmp_path):
    agreement = in_force
    out = run(seed("001"), "--register")
    promise_set = PromiseSet.objects.get()
    assert (promise_set.agreement, promise_set.period) == (agreement, "2023–2024")
    assert promise_set.promises.count() == 4
    assert "4 löften" in out
    signatures = {
        s["role"]: s
        for s in agreement.events.get(action="promises_registered").details["registered_signatures"]
    }
    assert signatures["ks_ordforande"]["name"] == "Johan Svahnberg"
    assert signatures["lpo_chef"]["name"] == "Veronica Ek"
    assert {s["signed_on"] for s in signatures.values()} == {"2023-04-11"}
