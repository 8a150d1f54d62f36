"""Every medborgarlöften e-mail kind, in Swedish and English, text and HTML, by the
rules the agreement's e-mails follow (tests/workflows/test_email_language.py): dates
read as words, a task says what to do and by when, an e-mail that asks nothing says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications.models import OutboxEmail
from notifications.rendering import email_render

TEMPLATES = Path(__file__).resolve().parents[2] / "promises/templates/promises/email"
KINDS = sorted({p.name.split(".")[0] for p in TEMPLATES.glob("*.txt") if ".en." not in p.name})
SET = {
    "title": "Medborgarlöften 2025–2026",
    "period": "2025–2026",
    "agreement": "Samverkansöverenskommelse Höör 2025–2026",
    "kommun": "Höörs kommun",
    "lokalpolisomrade": "Lokalpolisområde Eslöv",
    "actor": "Sam Samordnare",
    "short_hash": "3f9a1c2b7d4e",
    "set_url": "https://samverkan.example/overenskommelser/1/medborgarloften/2/",
}
CONTEXTS = {
    "anmalan_task": {
        **SET,
        "reason": "opened",
        "decided_by": "Johan Svahnberg",
        "decided_on": "2025-01-20",
        "delegation_point": "3.4",
    },
    "answered": {
        **SET,
        "signed": True,
        "role": "Kommunstyrelsens ordförande",
        "role_code": "ks_ordforande",
        "place": "Höör",
        "signed_on": "2025-01-20",
        "reason": "",
    },
    "approved": SET,
    "changed": SET,
    "delegation_step": {
        **SET,
        "anmalan": True,
        "on": "2025-02-10",
        "paragraph": "§ 12",
        "announced_on": "2025-02-12",
        "last_appeal_day": "2025-03-05",
        "status": "Anmält till kommunstyrelsen",
    },
    "escalated": {
        **SET,
        "task_label": "Beslut och underskrift",
        "since": "2025-01-10",
        "waiting_for": ["Johan Svahnberg (Kommunstyrelsens ordförande)"],
    },
    "followed_up": {
        **SET,
        "promise": "Grannsamverkan mot brott",
        "status": "Genomfört",
        "comment": "Tolv nya grupper.",
        "reported_on": "2025-06-30",
    },
    "proposed": SET,
    "published": {
        **SET,
        "content_hash": "3f9a1c2b7d4e" * 5 + "abcd",
        "public_url": "https://samverkan.example/medborgarloften/hoor/",
        "trail_head": "9c" * 32,
        "trail_seq": 41,
    },
    "reported": {**SET, "year": 2025, "summary": "Alla löften följdes upp."},
    "task_link": {
        **SET,
        "reason": "opened",
        "promises": ["Grannsamverkan mot brott", "Trygga skolvägar"],
        "link": "https://samverkan.example/l/abc123/",
        "days": 30,
        "facts": {
            "due": "2025-01-31",
            "drafters": [
                {"name": "Karin Polis", "email": "karin@polisen.test"},
                {"name": "Sam Samordnare", "email": "sam@hoor.test"},
            ],
        },
    },
    "withdrawn": SET,
}
NOTHING_TO_DO = ["answered", "delegation_step", "followed_up", "proposed", "published",
                 "reported", "withdrawn"]  # fmt: skip
NOTHING_TO_DO_WORDS = {"sv": "behöver inte göra något", "en": "do not need to do anything"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def rendered(kind: str, language: str):
    return email_render(
        OutboxEmail(
            to_email="johan@hoor.test",
            to_name="Johan Svahnberg",
            language=language,
            template=f"promises/email/{kind}",
            context=CONTEXTS[kind],
        )
    )


def html(message) -> str:
    return message.alternatives[0][0]


def test_every_kind_has_a_test_context():
    assert KINDS == sorted(CONTEXTS)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_dates_read_as_words_in_text_and_html(kind, language):
    message = rendered(kind, language)
    for part in (message.subject, message.body, html(message)):
        without_links = re.sub(r"https?://[^\s\"<]+", "", part)
        assert not ISO_DATE.search(without_links), part


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", NOTHING_TO_DO)
def test_an_e_mail_that_asks_nothing_says_so(kind, language):
    message = rendered(kind, language)
    assert NOTHING_TO_DO_WORDS[language] in message.body
    assert NOTHING_TO_DO_WORDS[language] in html(message)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_task_link_says_what_to_do_by_when_before_the_list(language):
    message = rendered("task_link", language)
    when = {"sv": "senast 31 januari 2025", "en": "by 31 January 2025"}[language]
    assert message.subject.split(": ")[0].endswith(when)
    link = message.body.index("https://samverkan.example/l/abc123/")
    assert link < message.body.index("Grannsamverkan") < message.body.index("sam@hoor.test")
