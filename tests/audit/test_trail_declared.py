"""The declared set of trail actions holds: an undeclared action is refused before it
reaches the trail (the lifecycle edges are checked against the declaration in
test_trail_words), every e-mail the code sends has a kind in words, and the trail
page reads in English for an English reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.audit.test_trail_words import DETAILS, HASH, RAW, events_text
from tests.conftest import login
from workflows.models.trail import Channel
from workflows.services.actors import SYSTEM, Actor, drafter_role
from workflows.services.trail import event_record
from workflows.trail_actions import REGISTRY
from workflows.views.audit_display import EMAIL_KINDS

from .conftest import url


def test_an_undeclared_action_is_refused_before_it_reaches_the_trail(agreement):
    before = agreement.trail_length
    with pytest.raises(ValueError, match="undeclared trail action 'something_new'"):
        event_record(agreement=agreement, actor=SYSTEM, action="something_new")
    agreement.refresh_from_db()
    assert agreement.trail_length == before
    assert agreement.events.count() == before


def test_every_e_mail_template_has_a_kind_in_words():
    """The trail page names an e-mail by its kind; a template without one would show
    only "E-post"."""
    base = Path(settings.BASE_DIR)
    folders = {
        "workflows/email": base / "workflows/templates/workflows/email",
        "promises/email": base / "promises/templates/promises/email",
    }
    for prefix, folder in folders.items():
        names = {path.name.split(".")[0] for path in folder.glob("*.subject.txt")}
        assert names, folder
        missing = [name for name in names if f"{prefix}/{name}" not in EMAIL_KINDS]
        assert missing == [], prefix


def test_an_english_reader_sees_every_action_in_english(agreement, people):
    drafter = Actor(
        person=people.samordnare,
        channel=Channel.LOGIN,
        assignment=drafter_role(people.samordnare, agreement),
    )
    for action, details in DETAILS.items():
        promise = REGISTRY[action].hash_label is not None
        event_record(
            agreement=agreement,
            actor=drafter if action.endswith(("submitted", "approved", "opened")) else SYSTEM,
            action=action,
            from_state="proposed" if promise else "signed",
            to_state="published" if promise else "in_force",
            version_hash=HASH if promise else agreement.latest_version().content_hash,
            details=details,
        )
    client = login(Client(), people.auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switcher sets
    words = events_text(client.get(url("audit_trail", agreement)))
    assert RAW.findall(words) == []
    for english in ("The citizen promises were changed", "Answer Sent back"):
        assert english in words, english
    for swedish in ("Medborgarlöftena ändrades", "Rekommenderar revidering"):
        assert swedish not in words, swedish
