import pytest
from django.db import connection, transaction

from tests.conftest import SAMPLE_CONTENT, postgres_only
from workflows import content as content_rules
from workflows.models import Version
from workflows.models.versions import ImmutableVersion


def test_a_submitted_version_cannot_be_saved_again(agreement):
    version = agreement.versions.get()
    version.change_note = "ändrad i efterhand"
    with pytest.raises(ImmutableVersion):
        version.save()
    assert Version.objects.get(pk=version.pk).change_note == ""


def test_a_submitted_version_cannot_be_deleted(agreement):
    version = agreement.versions.get()
    with pytest.raises(ImmutableVersion):
        version.delete()
    assert Version.objects.filter(pk=version.pk).exists()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflows_version SET change_note = 'smygändrad' WHERE id = %s",
        "UPDATE workflows_version SET content = '{}'::jsonb WHERE id = %s",
        "DELETE FROM workflows_version WHERE id = %s",
    ],
)
def test_postgres_refuses_raw_sql_that_changes_a_version(agreement, sql):
    version = agreement.versions.get()
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [version.pk])
    assert Version.objects.get(pk=version.pk).content_hash == version.content_hash


@postgres_only
def test_postgres_refuses_a_queryset_update_of_a_version(agreement):
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic():
            Version.objects.filter(agreement=agreement).update(change_note="massändring")


def test_the_content_hash_is_the_same_after_a_round_trip_through_the_database(agreement):
    version = agreement.versions.get()
    loaded = Version.objects.get(pk=version.pk)
    assert content_rules.content_hash(loaded.content) == version.content_hash
    assert content_rules.content_hash(SAMPLE_CONTENT) == version.content_hash
    assert len(version.content_hash) == 64


def test_the_content_hash_ignores_key_order_and_line_endings():
    reordered = {
        "sections": [
            {
                "items": s.get("items", []),
                "text": s["text"].replace("\n", "\r\n"),
                "heading": s["heading"],
            }
            for s in SAMPLE_CONTENT["sections"]
        ]
    }
    assert content_rules.content_hash(reordered) == content_rules.content_hash(SAMPLE_CONTENT)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["sections"][0].update(text=c["sections"][0]["text"] + "!"),
        lambda c: c["sections"][0].update(heading="Syfte"),
        lambda c: c["sections"][1]["items"][0].update(ansvarig="Polisen"),
        lambda c: c["sections"][1]["items"][0].update(effektmal="Färre brott."),
        lambda c: c["sections"].reverse(),
        lambda c: c["sections"].pop(),
    ],
    ids=["text", "heading", "ansvarig", "effektmal", "order", "removed section"],
)
def test_any_change_of_content_changes_the_hash(change):
    import copy

    changed = copy.deepcopy(SAMPLE_CONTENT)
    change(changed)
    assert content_rules.content_hash(changed) != content_rules.content_hash(SAMPLE_CONTENT)


def test_the_text_form_round_trips_to_the_same_content():
    text = content_rules.to_markdown(SAMPLE_CONTENT)
    assert content_rules.from_markdown(text) == content_rules.normalise(SAMPLE_CONTENT)
    assert "Effektmål: Fler upplever utemiljön som trygg." in text


def test_a_version_text_is_rendered_once_per_language_then_read_from_the_cache(agreement):
    from django.core.cache import cache
    from django.utils import translation

    from workflows.templatetags.samverkan import version_text

    version = agreement.versions.get()
    cache.clear()
    with translation.override("sv"):
        swedish = version_text(version)
        assert version.content["sections"][0]["heading"] in swedish and "Effektmål" in swedish
        (key,) = [k for k in cache._cache if version.content_hash in k]  # locmem's store
        cache.set(key.split(":", 2)[-1], "<p>ur cachen</p>", timeout=None)
        assert version_text(version) == "<p>ur cachen</p>"
    with translation.override("en"):
        english = version_text(version)  # rendered anew, under its own key
        assert "Intended outcome" in english and "Effektmål" not in english
    assert len([k for k in cache._cache if version.content_hash in k]) == 2
