"""The importer (pure parsing), import_agreement and load_demo.

The seed tests read the real texts in shared/seeds/ beside the repository and
skip only when that directory is absent.
"""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from workflows import content as content_rules
from workflows import demo_in_force
from workflows.importer import parse, parse_file
from workflows.models import Agreement, Organisation, Person, Role, RoleAssignment
from workflows.models.trail import Channel

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
DEMO = Path(__file__).resolve().parents[2] / "workflows" / "demo"
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed texts are not here ({SEEDS}); clone shared/ beside"
)
D = datetime.date


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def all_text(result) -> str:
    return content_rules.to_markdown(result.content)


# ---------------------------------------------------------------------------
# The real seeds
# ---------------------------------------------------------------------------


@needs_seeds
def test_seed_000_hoor_operational_agreement_has_parties_period_signatories_and_kind():
    result = parse_file(seed("000"))

    assert result.kommun == "Höörs kommun"  # written "Höors" in the title, "Höørs" below
    assert result.lokalpolisomrade == "Lokalpolisområde Eslöv"
    assert (result.period_start, result.period_end) == (D(2023, 1, 1), D(2024, 12, 31))
    assert [s.as_dict() for s in result.signatories] == [
        {"name": "Johan Svahnberg", "title": "Kommunstyrelsens ordförande"},
        {"name": "Veronica Ek", "title": "Lokalpolisområdeschef"},
    ]
    assert result.kind == "operational"
    assert result.deciding_body is None  # the text names KF and KS for the two parts
    assert "Gemensam lägesbild" in [s["heading"] for s in result.sections]
    assert result.missing == []


@needs_seeds
def test_seed_000_signature_block_is_not_left_in_the_sections():
    text = all_text(parse_file(seed("000")))

    assert "Johan Svahnberg" not in text
    assert "Höørs" not in text


@needs_seeds
def test_seed_001_medborgarloften_has_signatories_and_signing_date_but_no_kind():
    result = parse_file(seed("001"))

    assert result.title == "Medborgarlöften 2023 - 2024"
    assert (result.period_start, result.period_end) == (D(2023, 1, 1), D(2024, 12, 31))
    assert [s.name for s in result.signatories] == ["Johan Svahnberg", "Veronica Ek"]
    assert (result.signed_place, result.signed_on) == ("Höör", D(2023, 4, 11))
    assert (result.kommun, result.lokalpolisomrade) == ("Höörs kommun", "Lokalpolisområde Eslöv")
    assert result.kind is None and result.missing == ["kind"]
    promises = next(s for s in result.sections if s["heading"] == "Medborgarlöften 2023-2024")
    assert [i["title"] for i in promises["items"]][1:] == [
        "Grannsamverkan mot brott",
        "Blåljusdagar",
        "Trafikmiljö",
    ]


@needs_seeds
def test_seed_002_eslov_period_comes_from_the_validity_sentence_not_the_title_years():
    result = parse_file(seed("002"))

    assert (result.kommun, result.lokalpolisomrade) == ("Eslövs kommun", "Lokalpolisområde Eslöv")
    assert (result.period_start, result.period_end) == (D(2021, 5, 1), D(2022, 12, 31))
    assert result.sources["period"].startswith("texten")
    assert [s.name for s in result.signatories] == ["Anna-Karin Boije", "Johan Andersson"]
    assert (result.signed_place, result.signed_on) == ("Eslöv", D(2021, 6, 18))
    assert result.kind == "one_part" and result.deciding_body == "ks"
    assert result.missing == []


@needs_seeds
def test_seed_002_samverkansomraden_become_items_with_effektmal_and_ansvarig():
    result = parse_file(seed("002"))
    items = [item for section in result.sections for item in section["items"]]

    assert len(items) == 14
    tunnels = items[0]
    assert tunnels["title"] == "Förbättra tryggheten i tunnlar och andra miljöer"
    assert tunnels["effektmal"].startswith("alla gångtunnlar ska uppfattas som tryggare")
    assert tunnels["ansvarig"] == "Gata-trafik-park inom Miljö och Samhällsbyggnad."
    assert all(item["effektmal"] and item["ansvarig"] for item in items)
    assert "Handwritten signature" not in all_text(result)
    assert "\nAKB\n" not in all_text(result)


@needs_seeds
def test_seed_004_skips_the_document_list_and_finds_period_and_kf_decision():
    result = parse_file(seed("004"))

    assert (result.period_start, result.period_end) == (D(2016, 12, 22), D(2019, 12, 31))
    assert result.deciding_body == "kf"
    decision = result.decision
    assert (decision.date, decision.paragraph, decision.diarienummer) == (
        D(2016, 12, 21),
        "158",
        "KSF 2016/562",
    )
    assert result.kommun == "Höörs kommun"  # not one of the ~100 listed kommuner
    assert result.lokalpolisomrade == "Lokalpolisområde Eslöv"
    assert result.title.endswith("Höörs kommun 2016-2019")
    assert len(result.sections) < 10
    assert "Tomelilla" not in all_text(result)
    assert result.missing == ["signatories"]  # the text names no signatories


@needs_seeds
def test_seed_004_table_of_contents_splits_the_run_together_text_into_areas():
    result = parse_file(seed("004"))
    areas = next(s for s in result.sections if s["heading"] == "Samverkansområden")

    assert len(areas["items"]) == 12
    assert areas["items"][0]["title"] == "Upplevd trygghet"
    assert not any(item["text"].rstrip().endswith(" 9") for item in areas["items"])


@needs_seeds
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
)
def test_every_seed_parses_into_valid_content_and_reports_what_it_lacks(name):
    result = parse_file(SEEDS / name)

    assert content_rules.validate(result.content)["sections"]
    for field_name in result.missing:
        assert not getattr(result, field_name)
    assert json.dumps(result.summary(), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Quirks of real extractions, in small texts of our own
# ---------------------------------------------------------------------------

QUIRKY = """

Samverkansöverenskommelse mellan Höors kommun och lokalpolisområde Eslöv 2023–2024

Inledning

Kommunen och polisen arbetar tillsammans.

3

NA
AKB

Handwritten signature

Uppföljning

Lokala BRÅ följer upp varje år.

Johan Svahnberg

Kommunstyrelsens ordförande
Höørs kommun

Veronica Ek
Lokalpolisområdeschef
Lokalpolisområde Eslöv
"""


def test_stray_initials_page_numbers_and_signature_marks_are_dropped():
    result = parse(QUIRKY)

    assert [s["heading"] for s in result.sections] == ["Inledning", "Uppföljning"]
    text = all_text(result)
    for junk in ("AKB", "NA\n", "Handwritten", "\n3\n"):
        assert junk not in text


def test_misspelt_kommun_names_are_matched_to_the_real_kommun():
    result = parse(QUIRKY)

    assert result.kommun == "Höörs kommun"
    assert "Höörs kommun" in result.title
    assert result.signatories[0].organisation == "Höörs kommun"
    assert [s.title for s in result.signatories] == [
        "Kommunstyrelsens ordförande",
        "Lokalpolisområdeschef",
    ]


@pytest.mark.parametrize(
    ("title", "sentence", "start", "end"),
    [
        ("Överenskommelse Höör 2023-2024", "", D(2023, 1, 1), D(2024, 12, 31)),
        ("Medborgarlöften 2023 - 2024", "", D(2023, 1, 1), D(2024, 12, 31)),
        ("Överenskommelse Eslöv 2021–2022", "", D(2021, 1, 1), D(2022, 12, 31)),
        ("Överenskommelse Lund 2019-2022", "", D(2019, 1, 1), D(2022, 12, 31)),
        (
            "Överenskommelse 2021–2022",
            "Avtalet gäller från maj 2021 till och med december 2022 med uppföljning.",
            D(2021, 5, 1),
            D(2022, 12, 31),
        ),
        (
            "Överenskommelse 2021–2022",
            "Samverkansöverenskommelsen gäller under tiden maj 2021–31 december 2022.",
            D(2021, 5, 1),
            D(2022, 12, 31),
        ),
        (
            "Trygga Höör",
            "Samverkansöverenskommelsen är giltigt 2016-12-22-- 2019-12-31.",
            D(2016, 12, 22),
            D(2019, 12, 31),
        ),
        (
            "Trygga Höör 2016-2019",
            "Överenskommelsen gäller 2016-12-22 – 2019-12-31.",
            D(2016, 12, 22),
            D(2019, 12, 31),
        ),
    ],
)
def test_period_phrasings(title, sentence, start, end):
    result = parse(f"{title}\n\nSyfte\n\nEn text. {sentence}\n")

    assert (result.period_start, result.period_end) == (start, end)


def test_a_validity_sentence_wins_over_the_years_in_the_title():
    result = parse("Överenskommelse 2021-2022\n\nDen gäller från 1 mars 2021 till 30 juni 2022.\n")

    assert (result.period_start, result.period_end) == (D(2021, 3, 1), D(2022, 6, 30))


def test_markdown_headings_become_sections_and_items_with_effektmal_and_ansvarig():
    text = """# Samverkansöverenskommelse mellan Lokalpolisområde Eslöv och Eslövs kommun 2021–2022

Inledande text.

## Samverkansområden

### Trygghetsvandringar

Vi går tillsammans.

Effektmål: Ett tryggare samhälle.
Ansvarig: Tillväxtavdelningen

## Budget

Var och en betalar sitt.
"""
    result = parse(text)

    assert result.format == "markdown"
    assert result.title.startswith("Samverkansöverenskommelse mellan")
    assert [s["heading"] for s in result.sections] == ["", "Samverkansområden", "Budget"]
    item = result.sections[1]["items"][0]
    assert (item["title"], item["effektmal"], item["ansvarig"]) == (
        "Trygghetsvandringar",
        "Ett tryggare samhälle.",
        "Tillväxtavdelningen",
    )


def test_markdown_that_uses_single_hashes_for_sections_is_shifted_to_the_content_levels():
    result = parse("# Titel Höörs kommun\n\n# Syfte\n\nText.\n\n## Ett område\n\nMer text.\n")

    assert result.title == "Titel Höörs kommun"
    assert result.sections[0]["heading"] == "Syfte"
    assert result.sections[0]["items"][0]["title"] == "Ett område"


def test_plain_text_block_with_effektmal_and_ansvarig_is_an_item_under_its_heading():
    text = (
        "Överenskommelse\n\nSamverkansområden\n\nTrygghetsvandringar\n\nVi går ut.\n\n"
        "Effektmål: Tryggare.\n\nAnsvarig: Kommunen.\n"
    )
    section = parse(text).sections[0]

    assert section["heading"] == "Samverkansområden"
    assert section["items"] == [
        {
            "title": "Trygghetsvandringar",
            "text": "Vi går ut.",
            "effektmal": "Tryggare.",
            "ansvarig": "Kommunen.",
        }
    ]


def test_what_the_text_does_not_say_is_reported_missing_not_invented():
    result = parse(
        "Ett underlag om trygghet\n\nBakgrund\n\nVarje kommun och lokalpolisområdet "
        "arbetar med trygghet. Samma kommun kan ha flera forum.\n"
    )

    assert result.kommun is None
    assert result.lokalpolisomrade is None
    assert result.period_start is None and result.period_end is None
    assert result.signatories == []
    assert result.kind is None
    assert result.missing == [
        "kommun",
        "lokalpolisomrade",
        "period_start",
        "period_end",
        "signatories",
        "kind",
    ]


def test_an_empty_text_is_all_missing_and_does_not_crash():
    result = parse("")

    assert result.missing == list(result.summary()["missing"])
    assert "title" in result.missing and "sections" in result.missing


def test_a_long_list_of_other_kommuners_documents_is_skipped():
    kommuner = ["Alingsås", "Tomelilla", "Eskilstuna", "Kalmar", "Landskrona", "Boden", "Ljungby"]
    listing = "\n\n".join(
        f"Samverkansöverenskommelse för {kommuner[n % len(kommuner)]} kommun nr {n}"
        for n in range(25)
    )
    text = (
        f"Trygga Höör\n\nRelevanta dokument\n\n{listing}\n\nTranskript:\n\n"
        "Lokalpolisområde Eslöv och Höörs kommun samverkar. Överenskommelsen gäller "
        "2016-12-22 – 2019-12-31.\n"
    )
    result = parse(text)

    assert result.kommun == "Höörs kommun"
    assert len(result.sections) == 1
    assert "Tomelilla" not in all_text(result)
    assert any("lista" in note for note in result.notes)


def test_many_short_paragraphs_without_other_kommuner_are_not_taken_for_a_list():
    areas = "\n\n".join(f"Område {n}\n\nAnsvarig: Enhet {n}" for n in range(15))
    result = parse(f"Överenskommelse Höörs kommun\n\nSamverkansområden\n\n{areas}\n")

    assert sum(len(s["items"]) for s in result.sections) == 15


# ---------------------------------------------------------------------------
# The demo files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.md")))
def test_demo_files_import_with_nothing_missing(name):
    result = parse_file(DEMO / name)

    assert result.missing == []


def test_demo_trygga_hoor_is_a_whole_agreement_decided_by_kf():
    result = parse_file(DEMO / "trygga_hoor_2016_2019.md")

    assert (result.kind, result.deciding_body) == ("one_part", "kf")
    assert (result.period_start, result.period_end) == (D(2016, 12, 22), D(2019, 12, 31))


# ---------------------------------------------------------------------------
# import_agreement
# ---------------------------------------------------------------------------

HOOR_TITLE = "Operativ samverkansöverenskommelse mellan Höörs kommun och Lokalpolisområde Eslöv"
HOOR_TEXT = f"""{HOOR_TITLE} 2023–2024

Syfte

Kommunen och polisen arbetar tillsammans mot brott.

Uppföljning

Lokala BRÅ följer upp varje år.

Johan Svahnberg
Kommunstyrelsens ordförande
Höörs kommun
"""


@pytest.fixture
def hoor_file(tmp_path) -> Path:
    path = tmp_path / "hoor.txt"
    path.write_text(HOOR_TEXT, encoding="utf-8")
    return path


def run(*args, **options) -> str:
    out = StringIO()
    call_command("import_agreement", *[str(a) for a in args], stdout=out, **options)
    return out.getvalue()


def run_json(*args, **options) -> dict:
    output = run(*args, format="json", **options)
    assert output.count("\n") == 1  # exactly one JSON object on one line
    return json.loads(output)


def test_import_json_output_has_the_agreed_keys(people, hoor_file):
    report = run_json(hoor_file, dry_run=True)

    assert {
        "title",
        "kommun",
        "lokalpolisomrade",
        "period_start",
        "period_end",
        "signatories",
        "sections",
        "missing",
    } <= set(report)
    assert report["kommun"] == "Höörs kommun"
    assert report["lokalpolisomrade"] == "Lokalpolisområde Eslöv"
    assert (report["period_start"], report["period_end"]) == ("2023-01-01", "2024-12-31")
    assert report["signatories"] == [
        {"name": "Johan Svahnberg", "title": "Kommunstyrelsens ordförande"}
    ]
    assert report["sections"] == 2
    assert report["missing"] == []


def test_dry_run_creates_nothing(people, hoor_file):
    report = run_json(hoor_file, dry_run=True)

    assert report["dry_run"] is True and report["agreement_id"] is None
    assert not Agreement.objects.exists()


def test_import_creates_the_agreement_with_version_one_and_a_trail(orgs, people, hoor_file):
    report = run_json(hoor_file)

    agreement = Agreement.objects.get(pk=report["agreement_id"])
    assert report["created"] is True
    assert (agreement.kommun, agreement.lokalpolisomrade) == (orgs.hoor, orgs.lpo)
    assert (agreement.kind, agreement.deciding_body) == ("operational", "ks")
    version = agreement.versions.get()
    assert version.number == 1 and version.author == people.samordnare
    assert version.content_hash == report["agreement"]["version_hash"]
    assert "hoor.txt" in version.change_note
    events = list(agreement.events.order_by("seq"))
    assert [e.action for e in events] == ["agreement_created", "version_submitted"]
    assert {e.channel for e in events} == {Channel.COMMAND}


def test_import_text_output_says_what_was_found_and_what_was_created(people, hoor_file):
    output = run(hoor_file)

    assert "Kommun:" in output and "Höörs kommun" in output
    assert "Hittades inte: undertecknare" not in output
    assert "Skapade överenskommelse" in output


def test_author_option_picks_the_kommunpolis(people, hoor_file):
    report = run_json(hoor_file, author="KARIN@polisen.test")

    agreement = Agreement.objects.get(pk=report["agreement_id"])
    assert agreement.versions.get().author == people.kommunpolis


def test_author_who_is_not_a_drafter_is_refused(people, hoor_file):
    with pytest.raises(CommandError, match="--author"):
        run(hoor_file, author=people.auditor.email)
    assert not Agreement.objects.exists()


def test_importing_the_same_file_twice_is_idempotent(people, hoor_file):
    first = run_json(hoor_file)
    second = run_json(hoor_file)

    assert Agreement.objects.count() == 1
    assert second["created"] is False and second["duplicate"] is True
    assert second["agreement_id"] == first["agreement_id"]


def test_same_title_kommun_and_period_with_another_text_is_refused(people, hoor_file, tmp_path):
    run_json(hoor_file)
    changed = tmp_path / "changed.txt"
    changed.write_text(HOOR_TEXT.replace("varje år", "varje tertial"), encoding="utf-8")

    with pytest.raises(CommandError, match="finns redan"):
        run(changed)
    assert Agreement.objects.count() == 1


def test_missing_period_is_refused_with_the_options_to_pass(people, tmp_path):
    path = tmp_path / "no_period.txt"
    path.write_text(HOOR_TEXT.replace(" 2023–2024", ""), encoding="utf-8")

    out = StringIO()
    with pytest.raises(CommandError, match="--period-start") as refusal:
        call_command("import_agreement", str(path), format="json", stdout=out)
    assert "startdatum" in str(refusal.value)
    report = json.loads(out.getvalue())
    assert report["period_start"] is None and "period_start" in report["missing"]
    assert report["error"]
    assert not Agreement.objects.exists()


def test_period_given_on_the_command_line_fills_the_gap(people, tmp_path):
    path = tmp_path / "no_period.txt"
    path.write_text(HOOR_TEXT.replace(" 2023–2024", ""), encoding="utf-8")

    report = run_json(path, period_start="2023-03-01", period_end="2024-12-31")

    agreement = Agreement.objects.get(pk=report["agreement_id"])
    assert agreement.period_start == D(2023, 3, 1)


def test_missing_parties_are_refused_naming_kommun_and_lpo(people, tmp_path):
    path = tmp_path / "no_parties.txt"
    path.write_text("Samverkansöverenskommelse 2023-2024\n\nSyfte\n\nText.\n", encoding="utf-8")

    with pytest.raises(CommandError, match="--kommun NAMN och --lpo NAMN"):
        run(path)
    assert not Agreement.objects.exists()


def test_kommun_option_matches_existing_organisations_case_insensitively(people, tmp_path):
    path = tmp_path / "no_parties.txt"
    path.write_text("Samverkansöverenskommelse 2023-2024\n\nSyfte\n\nText.\n", encoding="utf-8")
    before = Organisation.objects.count()

    report = run_json(path, kommun="HÖÖRS KOMMUN", lpo="eslöv", kind="one_part")

    agreement = Agreement.objects.get(pk=report["agreement_id"])
    assert agreement.kommun.name == "Höörs kommun"
    assert agreement.lokalpolisomrade.name == "Lokalpolisområde Eslöv"
    assert Organisation.objects.count() == before


def test_an_absent_kommun_is_created_and_linked_to_the_lpo(people, tmp_path):
    path = tmp_path / "kavlinge.txt"
    path.write_text(
        "Samverkansöverenskommelse mellan Kävlinge kommun och Lokalpolisområde Eslöv 2024-2025"
        "\n\nSyfte\n\nText.\n",
        encoding="utf-8",
    )

    report = run_json(path)

    kommun = Organisation.objects.get(name="Kävlinge kommun")
    assert kommun.lokalpolisomrade.name == "Lokalpolisområde Eslöv"
    agreement = Agreement.objects.get(pk=report["agreement_id"])
    assert agreement.versions.get().author == people.kommunpolis  # no samordnare there yet


def test_no_author_anywhere_is_refused_and_leaves_nothing_behind(db, hoor_file):
    with pytest.raises(CommandError, match="--author"):
        run(hoor_file)
    assert not Agreement.objects.exists()
    assert not Organisation.objects.exists()  # the organisations made on the way rolled back


def test_a_file_that_does_not_exist_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        run(tmp_path / "nope.txt")


# ---------------------------------------------------------------------------
# load_demo
# ---------------------------------------------------------------------------


# The demo is dated from the real today (workflows/demo_in_force.py).
@pytest.mark.real_clock
def test_load_demo_runs_twice_and_yields_the_three_imported_agreements(db):
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    counts = (Person.objects.count(), RoleAssignment.objects.count(), Agreement.objects.count())
    call_command("load_demo", force=True, stdout=StringIO())

    assert (Person.objects.count(), RoleAssignment.objects.count(), Agreement.objects.count()) == (
        counts
    )
    # The three imported texts, plus Höör's next period built from one of them
    # (tests/workflows/test_demo.py).
    imported = Agreement.objects.exclude(title=demo_in_force.title())
    assert imported.count() == 3
    assert set(imported.values_list("kind", "deciding_body")) == {
        ("one_part", "kf"),
        ("one_part", "ks"),
        ("operational", "ks"),
    }
    assert all(a.versions.get().number == 1 for a in imported)
    assert "samverkan-demo" in out.getvalue()


# The demo is dated from the real today (workflows/demo_in_force.py).
@pytest.mark.real_clock
def test_load_demo_has_every_role_a_substitute_and_an_admin_who_can_log_in(db, client):
    call_command("load_demo", force=True, stdout=StringIO())

    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert RoleAssignment.objects.filter(role=Role.LPO_CHEF, substitute_for__isnull=False).exists()
    samordnare = RoleAssignment.objects.filter(role=Role.TRYGGHETSSAMORDNARE)
    assert set(samordnare.values_list("organisation__name", flat=True)) == {
        "Höörs kommun",
        "Eslövs kommun",
    }
    admin = get_user_model().objects.get(is_superuser=True)
    assert admin.is_staff and admin.username.endswith(".demo.test")
    assert all(p.email.endswith(".demo.test") for p in Person.objects.all())
    assert client.login(username=admin.username, password="samverkan-demo")


def test_load_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Person.objects.exists()


def test_an_overlapping_agreement_is_refused_by_the_command_without_a_reason(people, hoor_file):
    first = run_json(hoor_file)
    with pytest.raises(CommandError, match="--duplicate-reason"):
        run(hoor_file, title="Höör, en andra")
    assert Agreement.objects.count() == 1
    second = run_json(hoor_file, title="Höör, en andra", duplicate_reason="Gäller bara Tjörnarp.")
    created = Agreement.objects.get(pk=second["agreement_id"])
    details = created.events.get(action="agreement_created").details
    assert details["overlaps"] == [first["agreement_id"]]
    assert details["duplicate_reason"] == "Gäller bara Tjörnarp."


# ---------------------------------------------------------------------------
# The patterns of agreements the importer was not built on (see also
# test_importer_coverage.py over tests/importer_texts/)
# ---------------------------------------------------------------------------


def areas_of(result):
    return [item for section in result.sections for item in section["items"]]


@pytest.mark.parametrize(
    "head, title",
    [
        (
            "Samverkansöverenskommelse\nmellan Ale kommun och\nLokalpolisområde Ale\n2020–2022",
            "Samverkansöverenskommelse mellan Ale kommun och Lokalpolisområde Ale 2020–2022",
        ),
        (
            "ÖVERENSKOMMELSE\nom samverkan i Sala kommun",
            "ÖVERENSKOMMELSE om samverkan i Sala kommun",
        ),
        (
            "SALA KOMMUN          POLISEN\n\nSamverkansavtal för Sala kommun\n2019-2021",
            "Samverkansavtal för Sala kommun 2019-2021",
        ),
        ("**Samverkansavtal**\n**för Sala kommun**", "Samverkansavtal för Sala kommun"),
    ],
)
def test_a_title_over_several_lines_is_one_line_without_emphasis_or_letterhead(head, title):
    result = parse(f"{head}\n\nBakgrund\n\nSala kommun och polisen samverkar sedan länge.\n")

    assert result.title == title
    assert [s["heading"] for s in result.sections] == ["Bakgrund"]


def test_a_running_header_repeating_the_title_is_not_left_in_the_text():
    page = "Samverkansavtal för Sala kommun"
    text = f"{page}\n\nBakgrund\n\nFörsta sidans text.\n\n{page}\n\nAndra sidans text.\n"
    result = parse(text)

    assert page not in all_text(result)


@pytest.mark.parametrize(
    "block",
    [
        "Ada Berg                         Bo Ek\n"
        "Kommunstyrelsens ordförande      Lokalpolisområdeschef\n"
        "Sala kommun                      Lokalpolisområde Sala",
        "Ada Berg\tBo Ek\nKommunstyrelsens ordförande\tLokalpolisområdeschef",
        "För Sala kommun        För Polismyndigheten\n\n"
        "……………………………        ……………………………\nAda Berg  Bo Ek\n"
        "Kommunstyrelsens ordförande  Lokalpolisområdeschef",
        "| För Sala kommun | För Polismyndigheten |\n|---|---|\n| Ada Berg | Bo Ek |\n"
        "| Kommunstyrelsens ordförande | Lokalpolisområdeschef |",
    ],
)
def test_signatories_side_by_side_are_read_left_column_first_and_leave_the_text(block):
    head = "Samverkansavtal för Sala kommun\n\nText om samverkan.\n\nSala den 3 maj 2021"
    text = f"{head}\n\n{block}\n"
    result = parse(text)

    assert [(s.name, s.title) for s in result.signatories] == [
        ("Ada Berg", "Kommunstyrelsens ordförande"),
        ("Bo Ek", "Lokalpolisområdeschef"),
    ]
    assert (result.signed_place, result.signed_on) == ("Sala", D(2021, 5, 3))
    assert [s["text"] for s in result.sections] == ["Text om samverkan."]


def test_an_ort_och_datum_placeholder_is_no_place_and_date_and_leaves_the_text():
    text = (
        "Samverkansavtal för Sala kommun\n\nText.\n\n"
        "Ort och datum                 Ort och datum\n"
        "……………………………               ……………………………\n"
        "Ada Berg                      Bo Ek\n"
        "Kommunstyrelsens ordförande   Lokalpolisområdeschef\n"
    )
    result = parse(text)

    assert result.signed_on is None and result.signed_place is None
    assert len(result.signatories) == 2
    assert [s["text"] for s in result.sections] == ["Text."]


@pytest.mark.parametrize(
    "sentence, cadence",
    [
        ("Överenskommelsen följs upp minst en gång per tertial.", "tertial"),
        ("Överenskommelsen följs upp halvårsvis i styrgruppen.", "half_yearly"),
        ("Uppföljning sker två gånger per år.", "half_yearly"),
        ("Avtalet följs upp årligen av Brå.", "yearly"),
        ("Avtalet gäller 2020–2021 med årliga uppföljningar.", "yearly"),
        ("Överenskommelsen följs upp löpande.", None),
        ("Styrgruppen träffas en gång per månad.", None),
        ("Trygghetsmätningen genomförs årligen.", None),
        ("Brå sammanträder fyra gånger per år och följer upp arbetet.", None),
        ("Uppföljningen sker årligen, och halvårsvis vid behov.", None),
    ],
)
def test_follow_up_cadence_is_read_only_from_a_sentence_about_following_up(sentence, cadence):
    result = parse(f"Samverkansavtal för Sala kommun\n\n{sentence}\n")

    assert result.follow_up_cadence == cadence
    assert result.summary()["follow_up_cadence"] == cadence


@pytest.mark.parametrize(
    "line, body, day, paragraph, dnr",
    [
        ("Godkänd av kommunstyrelsen 2019-03-11, § 45, dnr KS 2019/123",
         "ks", D(2019, 3, 11), "45", "KS 2019/123"),
        ("Antagen av kommunfullmäktige den 24 april 2018, § 67 (Dnr KS 2018/0815)",
         "kf", D(2018, 4, 24), "67", "KS 2018/0815"),
        ("Beslutad av kommunstyrelsen 2021-02-08 § 12", "ks", D(2021, 2, 8), "12", ""),
        ("*Fastställd av kommunstyrelsen, dnr 2020/0815-003*", "ks", None, "", "2020/0815-003"),
        ("> Godkänd av kommunstyrelsen 2022-02-21, § 34, diarienummer KS/2022:11",
         "ks", D(2022, 2, 21), "34", "KS/2022:11"),
    ],
)  # fmt: skip
def test_a_decision_quoted_in_the_text_is_recorded_and_its_stamp_leaves_the_text(
    line, body, day, paragraph, dnr
):
    result = parse(f"Samverkansavtal för Sala kommun\n\n{line}\n\nBakgrund\n\nText.\n")

    decision = result.decision
    assert (decision.body, decision.date, decision.paragraph, decision.diarienummer) == (
        body,
        day,
        paragraph,
        dnr,
    )
    assert result.deciding_body == body
    assert "kommunstyrelsen" not in all_text(result) and "fullmäktige" not in all_text(result)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kommunfullmäktige antog 2017 en ANDT-policy.",
        "Kommunstyrelsen beslutade 2019-05-06 om nya riktlinjer för kameraövervakning.",
        "Riktlinjerna för kameraövervakning antogs av kommunstyrelsen 2019-05-06.",
        "Kommunfullmäktige beslutar om den strategiska delen och kommunstyrelsen om den operativa.",
    ],
)
def test_a_decision_about_something_else_is_not_the_agreements_decision(sentence):
    result = parse(f"Samverkansavtal för Sala kommun\n\nBakgrund\n\n{sentence}\n")

    assert result.decision is None and result.deciding_body is None
    assert sentence in all_text(result)


def test_who_will_decide_is_the_deciding_body_but_no_decision():
    result = parse("Samverkansavtal för Sala kommun\n\nAvtalet ska beslutas av kommunstyrelsen.\n")

    assert result.deciding_body == "ks" and result.decision is None


def test_headings_run_into_their_paragraphs_are_found_in_a_word_text():
    text = (
        "Samverkansavtal för Sala kommun 2020–2021\n"
        "Bakgrund\nKommunen och polisen har samverkat länge.\n"
        "Samverkansområden\nTrygg skolväg\nBarn ska kunna gå tryggt till skolan.\n"
        "Effektmål: Färre olyckor vid skolorna.\nAnsvarig: Tekniska förvaltningen.\n"
        "Uppföljning\nAvtalet följs upp årligen.\n"
    )
    result = parse(text)

    headings = [s["heading"] for s in result.sections]
    assert headings == ["Bakgrund", "Samverkansområden", "Uppföljning"]
    assert areas_of(result) == [
        {
            "title": "Trygg skolväg",
            "text": "Barn ska kunna gå tryggt till skolan.",
            "effektmal": "Färre olyckor vid skolorna.",
            "ansvarig": "Tekniska förvaltningen.",
        }
    ]


def test_a_wrapped_sentence_is_not_taken_for_a_heading():
    text = (
        "Samverkansavtal för Sala kommun\n\nBakgrund\n\n"
        "Kommunen och polisen har sedan 2016 samverkat i det brottsförebyggande arbetet\n"
        "Kort rad\nsom fortsätter meningen.\n"
    )
    result = parse(text)

    assert [s["heading"] for s in result.sections] == ["Bakgrund"]


def test_responsibility_written_as_sentences_is_read_into_the_areas_ansvarig():
    text = (
        "Samverkansavtal för Sala kommun\n\nSamverkansområden\n\n"
        "Trygg utemiljö\nMörka gångstråk upplevs som otrygga. Kommunen ansvarar för belysning.\n"
        "Polisen ansvarar för riktad närvaro.\n\n"
        "Narkotika bland unga\nFler unga använder cannabis. Socialtjänsten och Polisen "
        "ansvarar gemensamt för föräldraträffar.\n\n"
        "Organisation\n\nKommunpolisen ansvarar för att sammankalla styrgruppen.\n"
    )
    result = parse(text)

    assert [(a["title"], a["ansvarig"]) for a in areas_of(result)] == [
        ("Trygg utemiljö", "Kommunen, Polisen"),
        ("Narkotika bland unga", "Socialtjänsten och Polisen"),
    ]
    assert result.sections[-1]["heading"] == "Organisation"
    assert any("ansvarar för" in note for note in result.notes)


def test_problem_areas_listed_as_bullets_become_areas_and_other_lists_stay_text():
    text = (
        "Samverkansavtal för Sala kommun\n\nLägesbild\n\nUnderlaget är:\n"
        "- anmälningsstatistik\n- trygghetsmätningen\n\n"
        "Prioriterade problemområden\n\n• Narkotika bland unga\n• Buskörning med moped\n"
    )
    result = parse(text)

    titles = [a["title"] for a in areas_of(result)]
    assert titles == ["Narkotika bland unga", "Buskörning med moped"]
    assert "- anmälningsstatistik" in result.sections[0]["text"]


def test_page_headers_and_a_footer_repeated_on_every_page_leave_the_text():
    page = "Text på sidan.\n\nSala kommun\n"
    text = "Sida 1 av 3\nSamverkansavtal för Sala kommun\n\nBakgrund\n\n" + "\n".join(
        f"Sida {n} av 3\n{page}" for n in (2, 3, 4)
    )
    result = parse(text)

    assert result.title == "Samverkansavtal för Sala kommun"
    assert "Sida" not in all_text(result) and "Sala kommun" not in all_text(result)
    assert [s["heading"] for s in result.sections] == ["Bakgrund"]


def test_a_decision_in_the_documents_header_table_is_recorded_and_the_table_leaves_the_text():
    text = (
        "Samverkansavtal för Sala kommun\n\n"
        "Diarienummer: KS 2021/0345          Beslutad av: Kommunstyrelsen\n"
        "Dokumenttyp: Överenskommelse        Beslutsdatum: 2021-12-13, § 231\n\n"
        "Bakgrund\n\nText.\n"
    )
    result = parse(text)

    decision = result.decision
    assert (decision.body, decision.date, decision.paragraph, decision.diarienummer) == (
        "ks",
        D(2021, 12, 13),
        "231",
        "KS 2021/0345",
    )
    assert "Diarienummer" not in all_text(result)


def test_the_earlier_agreements_period_and_cadence_are_not_this_ones():
    text = (
        "Samverkansavtal för Sala kommun\n\n"
        "Den tidigare överenskommelsen för åren 2016–2018 har följts upp årligen.\n\n"
        "Avtalet löper från och med 1 mars 2019 till och med 28 februari 2021. "
        "Avtalet följs upp varje halvår.\n"
    )
    result = parse(text)

    assert (result.period_start, result.period_end) == (D(2019, 3, 1), D(2021, 2, 28))
    assert result.follow_up_cadence == "half_yearly"


def test_one_year_in_the_title_is_that_whole_year_when_the_text_gives_no_period():
    result = parse("Operativ överenskommelse för Sala kommun 2024\n\nText.\n")

    assert (result.period_start, result.period_end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert result.sources["period"] == "titelns år: ”2024”"


def test_en_dash_bullets_under_an_area_heading_are_areas():
    text = (
        "Samverkansavtal för Sala kommun\n\nPrioriterade områden\n\n"
        "– Narkotika bland unga\n– Inbrott i fritidshus\n"
    )
    assert [a["title"] for a in areas_of(parse(text))] == [
        "Narkotika bland unga",
        "Inbrott i fritidshus",
    ]


def test_a_soft_wrapped_effektmal_in_markdown_is_one_field():
    text = (
        "# Samverkansavtal för Sala kommun\n\n## Samverkansområden\n\n### Krogar\n\n"
        "Effektmål: Fler anställda ska ha gått\nutbildningen.\n"
    )
    result = parse(text, fmt="markdown")

    assert areas_of(result)[0]["effektmal"] == "Fler anställda ska ha gått utbildningen."


def test_a_sub_heading_every_area_repeats_is_not_taken_for_a_page_footer():
    areas = "\n\n".join(
        f"Område {n}\n\nAktiviteter\n\nVi gör insats {n}.\n\nAnsvarig: Enhet {n}" for n in range(4)
    )
    result = parse(f"Samverkansavtal för Sala kommun\n\nSamverkansområden\n\n{areas}\n")

    assert all_text(result).count("Aktiviteter") == 4
