"""E-mail in the recipient's language: English for those who chose it, Swedish for the rest.

The English files sit beside the Swedish ones as ``<name>.en.subject.txt``,
``<name>.en.txt`` and ``<name>.en.html``; notifications/rendering.py picks them for
a recipient whose ``language`` is "en".
"""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.utils import timezone, translation

from notifications.models import OutboxEmail
from notifications.rendering import email_render
from tests.conftest import SAMPLE_CONTENT, _person
from tests.workflows.conftest import decide
from workflows.models import Body, Outcome, Role, SignatoryRole
from workflows.models.trail import Channel
from workflows.services.drafting import version_approve, version_submit
from workflows.services.notify import TASK_WORDS
from workflows.templatetags.samverkan import longdate

EMAIL_DIR = Path(__file__).resolve().parents[2] / "workflows/templates/workflows/email"
KINDS = sorted(p.name.removesuffix(".subject.txt") for p in EMAIL_DIR.glob("*.subject.txt"))
KINDS = [kind for kind in KINDS if not kind.endswith(".en")]
SUFFIXES = ("subject.txt", "txt", "html")

# Words only the Swedish templates write; none may show up in an English message.
SWEDISH_WORDS = ("Hej ", "Skickat automatiskt", "Öppna ", "Överenskommelsen:", " har ", " av ")


def prefer_english(person) -> None:
    person.language = "en"
    person.save()


def to(message) -> str:
    return message.to[0]


def html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def mails_to(mailoutbox, person) -> list:
    return [m for m in mailoutbox if person.email in to(m)]


def assert_english(message) -> None:
    for text in (message.subject, message.body, html(message)):
        leaked = [word for word in SWEDISH_WORDS if word in text]
        assert not leaked, f"Swedish {leaked} in {text!r}"
    assert message.body.startswith("Hello ")
    assert message.body.rstrip().splitlines()[-1].startswith("Sent automatically by Samverkan")
    assert '<html lang="en">' in html(message)
    assert "Sent automatically by Samverkan" in html(message)


def assert_swedish(message) -> None:
    assert message.body.startswith("Hej ")
    assert '<html lang="sv">' in html(message)
    assert "Hello" not in message.body and "Hello" not in html(message)


# -- real transitions, real e-mail ------------------------------------------------


def test_a_new_version_reaches_an_english_drafter_in_english_and_a_swedish_one_in_swedish(
    agreement, people, orgs, django_capture_on_commit_callbacks, mailoutbox
):
    # A second kommunpolis at the same LPO drafts too, so one event has two recipients.
    colleague = _person("Per Polis", "per@polisen.test", Role.KOMMUNPOLIS, orgs.lpo)
    prefer_english(people.kommunpolis)
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["sections"][0]["text"] = "Minskad brottslighet i hela kommunen."
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        version_submit(
            agreement_id=agreement.pk,
            author=people.samordnare,
            content=content,
            change_note="Syftet gäller hela kommunen.",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        )

    [english] = mails_to(mailoutbox, people.kommunpolis)
    [swedish] = mails_to(mailoutbox, colleague)
    title = agreement.title

    assert english.subject == f"New version 2 of {title}"
    assert english.body.startswith("Hello Karin Polis,\n")
    assert f'Sam Samordnare has submitted version 2 of "{title}".' in english.body
    assert "Change note: Syftet gäller hela kommunen." in english.body
    assert "Earlier approvals no longer count." in english.body
    assert "See what has changed</a>" in html(english)
    assert_english(english)

    assert swedish.subject == f"Ny version 2 av {title}"
    assert f'Sam Samordnare har lämnat in version 2 av "{title}".' in swedish.body
    assert "Ändringsnotering: Syftet gäller hela kommunen." in swedish.body
    assert_swedish(swedish)


def test_approvals_and_the_joint_proposal_follow_each_drafters_language(
    agreement, people, django_capture_on_commit_callbacks, mailoutbox
):
    prefer_english(people.kommunpolis)
    version = agreement.versions.get()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        version_approve(version_id=version.pk, person=people.samordnare, channel=Channel.LOGIN)
    [approved] = mailoutbox
    assert to(approved) == '"Karin Polis" <karin@polisen.test>'
    assert approved.subject == f"Sam Samordnare has approved version 1 of {agreement.title}"
    assert "Once both drafters have approved the same version" in approved.body
    assert_english(approved)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version_approve(version_id=version.pk, person=people.kommunpolis, channel=Channel.LOGIN)

    # One event, both drafters: the joint proposal.
    [english] = [m for m in mails_to(mailoutbox, people.kommunpolis) if "proposal" in m.subject]
    [swedish] = [m for m in mails_to(mailoutbox, people.samordnare) if "förslag" in m.subject]
    assert english.subject == f"Joint proposal: {agreement.title}, version 1"
    assert "It is now your joint proposal" in english.body
    assert "trygghetssamordnare (community safety coordinator)" in english.body
    assert_english(english)
    assert swedish.subject == f"Gemensamt förslag: {agreement.title}, version 1"
    assert "Den är nu ert gemensamma förslag" in swedish.body
    assert_swedish(swedish)


@pytest.fixture
def proposed_to_an_english_chief(request, people):
    """The joint proposal, with the LPO chief and the kommunpolis preferring English
    before the transition sends anything."""
    prefer_english(people.lpo_chief)
    prefer_english(people.kommunpolis)
    return request.getfixturevalue("proposed")


def test_the_decision_links_after_a_joint_proposal_follow_each_recipients_language(
    proposed_to_an_english_chief, people, mailoutbox
):
    title = proposed_to_an_english_chief.title
    [english] = mails_to(mailoutbox, people.lpo_chief)
    due_on = timezone.localdate() + datetime.timedelta(days=10)
    with translation.override("en"):
        due = longdate(due_on)
    assert english.subject == f"Decision by {due}: {title}, version 1"
    assert english.body.startswith("Hello Veronica Ek,\n")
    assert (
        f'You are asked to decide on behalf of the Police on "{title}", version 1, by {due}.'
        in english.body
    )
    assert "Karin Polis and Sam Samordnare are waiting for you" in english.body
    assert "- Karin Polis, karin@polisen.test" in english.body
    assert "/l/" in english.body
    assert "The link is personal, can be used once" in english.body
    assert "Read and confirm</a>" in html(english)
    assert_english(english)

    [swedish] = mails_to(mailoutbox, people.sekreterare)
    assert swedish.subject == f"Beslut senast {longdate(due_on)}: {title}, version 1"
    assert f'Du ombeds registrera kommunens beslut om "{title}"' in swedish.body
    assert "/l/" in swedish.body
    assert_swedish(swedish)


def test_a_referral_back_is_reported_in_english_with_the_swedish_term(
    proposed_to_an_english_chief, people, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            proposed_to_an_english_chief,
            "municipal_decision",
            people.sekreterare,
            outcome="aterremiss",
            note="Förtydliga ansvaret för trygghetsvandringar.",
        )

    title = proposed_to_an_english_chief.title
    [english] = [
        m for m in mails_to(mailoutbox, people.kommunpolis) if "referred back" in m.subject
    ]
    assert english.subject == f"Kommunstyrelsen: referred back – {title}"
    assert "Outcome: Referred back (återremiss)" in english.body
    assert "Kommunstyrelsen (the municipal executive board)" in english.body
    assert "Note: Förtydliga ansvaret för trygghetsvandringar." in english.body
    assert "the agreement is back in draft" in english.body
    assert_english(english)

    [swedish] = [m for m in mails_to(mailoutbox, people.samordnare) if "återremiss" in m.subject]
    assert swedish.subject == f"Kommunstyrelsen: återremiss – {title}"
    assert "Utfall: Återremiss" in swedish.body
    assert_swedish(swedish)


# -- every English template renders ------------------------------------------------

TITLE = "Operativ samverkansöverenskommelse Höör 2023–2024"
URL = "https://samverkan.example/overenskommelser/7/"
VERSION = {
    "title": TITLE,
    "number": 2,
    "short_hash": "3f9a1c2b",
    "actor": "Sam Samordnare",
    "change_note": "Syftet gäller hela kommunen.",
    "version_url": URL + "versioner/2/",
    "compare_url": URL + "jamfor/?fran=1&till=2",
}
TASK = {
    "title": TITLE,
    "kommun": "Höörs kommun",
    "lokalpolisomrade": "Lokalpolisområde Eslöv",
    "number": 2,
    "short_hash": "3f9a1c2b",
    "action": TASK_WORDS["municipal_decision"][0],
    "label": TASK_WORDS["municipal_decision"][1],
    "reason": "opened",
    "link": "https://samverkan.example/l/abc123/",
    "days": 14,
    "facts": {
        "due": "2023-12-14",
        "drafters": [
            {"name": "Sam Samordnare", "email": "sam@hoor.test"},
            {"name": "Karin Polis", "email": "karin@polisen.test"},
        ],
    },
}
DECISION = {
    "title": TITLE,
    "body": str(Body.KS.label),
    "outcome": Outcome.BORDLAGGNING.value,
    "outcome_label": str(Outcome.BORDLAGGNING.label),
    "meeting_date": "2023-03-20",
    "next_meeting_date": "2023-04-17",
    "paragraph": "42",
    "diarienummer": "KS 2023/17",
    "note": "Tas upp igen i april.",
    "actor": "Nils Nämnd",
    "number": 2,
    "agreement_url": URL,
}
LIFECYCLE = {
    "title": TITLE,
    "period_start": "2023-01-01",
    "period_end": "2024-12-31",
    "actor": "Sam Samordnare",
    "agreement_url": URL,
}
FOLLOW_UP = {
    "title": TITLE,
    "due_date": "2024-01-02",
    "term_start": "2023-09-01",
    "term_end": "2023-12-31",
    "report_url": URL + "uppfoljning/2024-01-02/",
    "agreement_url": URL,
}
STEP = {
    "title": TITLE,
    "number": 1,
    "step": "Anslag",
    "on": "2023-04-13",
    "names": "",
    "case_number": "",
    "appeal_outcome": "",
    "status": "Överklagbart till och med 2023-05-04, ännu inte laga kraft.",
    "last_appeal_day": "2023-05-04",
    "laga_kraft_on": "",
    "actor": "Nils Nämnd",
    "agreement_url": URL,
    "decision_url": URL + "beslut/1/",
}
CONTEXTS = {
    "decision_step_recorded": STEP,
    "decision_quashed": {
        **STEP,
        "step": "Domstolens avgörande",
        "names": "Förvaltningsrätten i Malmö",
        "case_number": "1234-23",
        "appeal_outcome": "Beslutet upphävdes",
        "signed": False,
    },
    "record_corrected": {
        "title": TITLE,
        "number": 1,
        "signature": False,
        "field": "paragraf (§)",
        "field_en": "paragraph (§)",
        "old": "42",
        "new": "47",
        "reason": "Protokollet anger § 47.",
        "actor": "Nils Nämnd",
        "agreement_url": URL,
    },
    "decision_step_reminder": {
        "title": TITLE,
        "number": 1,
        "due": "laga_kraft",
        "due_label": "bekräfta laga kraft",
        "status": "Överklagandetiden har gått ut (2023-05-04).",
        "last_appeal_day": "2023-05-04",
        "decision_url": URL + "beslut/1/",
    },
    "agreement_signed": {
        "title": TITLE,
        "number": 2,
        "content_hash": "3f9a1c2b" * 8,
        "in_force": False,
        "period_start": "2031-01-01",
        "period_end": "2032-12-31",
        "trail_head": "ab" * 32,
        "trail_seq": 12,
        "pdf_name": "overenskommelse-3-v2-pdfa.pdf",
        "pdf_sha256": "5c" * 32,
        "sealed_by": "Common Name: Samverkan sigill, Organization: Höörs kommun",
        "signatures": [
            {
                "name": "Johan Svahnberg",
                "role": "Kommunstyrelsens ordförande",
                "place": "Höör",
                "signed_on": "2023-04-11",
            },
            {
                "name": "Veronica Ek",
                "role": "Lokalpolisområdeschef",
                "place": "Eslöv",
                "signed_on": "2023-04-12",
            },
        ],
        "agreement_url": URL,
    },
    "decision_recorded": DECISION,
    "email_failed": {
        "title": TITLE,
        "recipient": "Nils Nämnd <nils@hoor.test>",
        "error": "550 mailbox unavailable",
        "agreement_url": URL,
    },
    "entered_into_force": {
        "title": TITLE,
        "period_start": "2031-01-01",
        "period_end": "2032-12-31",
        "agreement_url": URL,
    },
    "joint_proposal": VERSION,
    "signature_added": {
        "title": TITLE,
        "actor": "Johan Svahnberg",
        "role": str(SignatoryRole.KS_ORDFORANDE.label),
        "place": "Höör",
        "signed_on": "2023-04-11",
        "agreement_url": URL,
    },
    "signing_opened": VERSION,
    "task_escalated": {
        "title": TITLE,
        "task_label": TASK_WORDS["ks_signature"][1],
        "waiting_for": ["Johan Svahnberg (Kommunstyrelsens ordförande)"],
        "since": "2023-04-01",
        "due": "2023-04-11",
        "agreement_url": URL,
    },
    "task_link": TASK,
    "link_withdrawn": {
        "title": TITLE,
        "task_label": TASK_WORDS["police_decision"][1],
        "why": "new_version",
        "number": 3,
    },
    "version_approved": VERSION,
    "version_submitted": VERSION,
    "revision_opened": {**LIFECYCLE, "reason": "Uppföljningen visade behov."},
    "agreement_terminated": {
        **LIFECYCLE,
        "reason": "Omorganisation.",
        "ends_on": "2024-06-30",
        "party": "Höörs kommun",
    },
    "notice_given": {
        **LIFECYCLE,
        "reason": "Omorganisation.",
        "ends_on": "2024-08-31",
        "party": "Höörs kommun",
    },
    "agreement_expired": LIFECYCLE,
    "agreement_registered": LIFECYCLE,
    "expiry_warning": {**LIFECYCLE, "days": 30},
    "followup_reminder": {**FOLLOW_UP, "days": 14},
    "followup_overdue": {**FOLLOW_UP, "days_late": 14, "drafters": ["Karin Polis"]},
    "followup_submitted": {
        **FOLLOW_UP,
        "actor": "Sam Samordnare",
        "recommend_revision": True,
        "recommendations": "Revidera området Trygghetsvandringar.",
        "content_hash": "ab" * 32,
    },
    "followup_revision_prompt": {**FOLLOW_UP, "period_end": "2024-12-31"},
}
# What the English version must say where the context holds a Swedish label.
EXPECTED = {
    "agreement_signed": (
        "comes into force on 1 January 2031. It is valid up to and including 31 December 2032"
    ),
    "decision_recorded": "Outcome: Deferred (bordläggning)",
    "email_failed": "could not be delivered (550 mailbox unavailable)",
    "entered_into_force": "is in force from today, 1 January 2031",
    "joint_proposal": "It is now your joint proposal",
    "signature_added": "(chair of the municipal executive board) has signed",
    "signing_opened": "have each been sent a link to sign",
    "task_escalated": 'The task "Signature" on',
    "task_link": "You are asked to record the municipality's decision on",
    "link_withdrawn": "a new version, version 3, has been submitted",
    "version_approved": "Sam Samordnare has approved version 2",
    "version_submitted": "Sam Samordnare has submitted version 2",
    "revision_opened": "has started a revision",
    "agreement_terminated": "has been terminated by Höörs kommun",
    "notice_given": "remains in force up to and including 31 August 2024 and then ends",
    "agreement_expired": "has now expired",
    "agreement_registered": "has registered",
    "expiry_warning": "30 days from now",
    "followup_reminder": "is due in 14 days, by 2 January 2024",
    "followup_overdue": "was due by 2 January 2024 and is 14 days late",
    "followup_submitted": "The report recommends revising the agreement.",
    "followup_revision_prompt": "decide whether to revise it or to keep it as it is",
    "decision_step_recorded": "Anslag (posted on the official notice board): 13 April 2023",
    "decision_quashed": "The municipality needs to decide again.",
    "record_corrected": "Paragraph (§): 42 corrected to 47",
    "decision_step_reminder": "Confirm that no appeal has come in",
}


def test_every_swedish_e_mail_has_an_english_version_and_a_test_context():
    assert len(KINDS) == 26
    assert sorted(CONTEXTS) == KINDS == sorted(EXPECTED)
    english = sorted(p.name for p in EMAIL_DIR.glob("*.en.*"))
    assert english == sorted(f"{kind}.en.{suffix}" for kind in KINDS for suffix in SUFFIXES)


@pytest.mark.parametrize("kind", KINDS)
def test_each_english_template_renders(kind):
    for suffix in SUFFIXES:
        template = get_template(f"workflows/email/{kind}.en.{suffix}")
        assert template.render({**CONTEXTS[kind], "to_name": "Karin Polis"}).strip()

    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            to_name="Karin Polis",
            language="en",
            template=f"workflows/email/{kind}",
            context=CONTEXTS[kind],
        )
    )

    assert "{" not in message.subject and "%" not in message.subject
    assert EXPECTED[kind] in message.body
    assert_english(message)


@pytest.mark.parametrize(
    ("outcome", "word"),
    [
        (Outcome.BIFALL, "approved"),
        (Outcome.AVSLAG, "rejected"),
        (Outcome.ATERREMISS, "referred back"),
        (Outcome.BORDLAGGNING, "deferred"),
    ],
)
@pytest.mark.parametrize("body", list(Body))
def test_each_outcome_and_body_of_a_decision_reads_in_english(outcome, word, body):
    context = {**DECISION, "outcome": outcome.value, "outcome_label": str(outcome.label)}
    context["body"] = str(body.label)
    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            language="en",
            template="workflows/email/decision_recorded",
            context=context,
        )
    )
    assert message.subject == f"{body.label}: {word} – {TITLE}"
    assert f"Outcome: {word.capitalize()} ({str(outcome.label).lower()})" in message.body
    assert f"the decision of {body.label} (the " in message.body


@pytest.mark.parametrize("task", sorted(TASK_WORDS))
@pytest.mark.parametrize("reason", ["opened", "reminder", "deferred"])
def test_every_task_link_is_worded_in_english(task, reason):
    action, label = TASK_WORDS[task]
    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            language="en",
            template="workflows/email/task_link",
            context={**TASK, "action": action, "label": label, "reason": reason},
        )
    )
    # The Swedish phrase and label were mapped, not passed through.
    assert f"You are asked to {action} " not in message.body
    assert label not in message.subject
    if reason == "deferred":
        assert message.subject.startswith("New link after deferral (bordläggning) – ")
        assert "The matter was deferred (bordlagt)." in message.body
    elif reason == "reminder":
        assert message.subject.startswith("Reminder – ")
        assert "Reminder: this task is still waiting for you." in message.body
    else:
        assert message.subject.split(" by ")[0] in (
            "Decision",
            "Signature",
            "Approved minutes (justering)",
        )
    assert message.subject.endswith(f" by 14 December 2023: {TITLE}, version 2")


@pytest.mark.parametrize("role", list(SignatoryRole))
def test_each_signatory_role_is_named_in_english(role):
    context = {**CONTEXTS["signature_added"], "role": str(role.label)}
    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            language="en",
            template="workflows/email/signature_added",
            context=context,
        )
    )
    assert str(role.label).lower() not in message.body
    assert "has signed" in message.body and "in Höör on 11 April 2023" in message.body


def test_an_agreement_in_force_says_so_in_the_english_subject():
    context = {**CONTEXTS["agreement_signed"], "in_force": True}
    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            language="en",
            template="workflows/email/agreement_signed",
            context=context,
        )
    )
    assert message.subject == f"Signed and in force: {TITLE}"
    assert "and is in force from today. It is valid up to and including" in message.body


def test_an_official_working_in_english_leaves_swedish_records_and_e_mails(
    proposed, people, django_capture_on_commit_callbacks, mailoutbox
):
    from django.utils import translation

    from tests.workflows.conftest import decide

    mailoutbox.clear()
    translation.activate("en")
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, "municipal_decision", people.sekreterare)
    translation.activate("sv")
    event = proposed.events.get(action="decision_recorded")
    assert event.actor_names.title == "Nämndsekreterare"
    [to_drafter, *_] = [m for m in mailoutbox if "sam@hoor.test" in m.to[0]]
    assert "Utfall: Bifall" in to_drafter.body
    assert "kommunstyrelsen" in to_drafter.body


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def rendered(kind: str, language: str):
    """The e-mail of ``kind`` as Karin Polis gets it, from its test context."""
    return email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            to_name="Karin Polis",
            language=language,
            template=f"workflows/email/{kind}",
            context=CONTEXTS[kind],
        )
    )


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_dates_in_every_e_mail_read_as_words_not_iso(kind, language):
    """ "Höör den 24 november 2026": e-mails are read, not filed; the trail, tables and
    exports keep ISO dates. (A date inside a sentence built elsewhere, such as a
    status line, is not a template's date.)"""
    message = rendered(kind, language)
    body = message.body.replace(CONTEXTS[kind].get("status", "\0"), "")
    body = re.sub(r"https?://\S+", "", body)  # a report's address holds its due date
    assert not ISO_DATE.search(message.subject), message.subject
    assert not ISO_DATE.search(body), body


# What happened, and nothing to do: the e-mails that only inform say so.
NOTHING_TO_DO = [
    "agreement_signed",
    "agreement_terminated",
    "decision_step_recorded",
    "entered_into_force",
    "link_withdrawn",
    "notice_given",
    "record_corrected",
    "signature_added",
    "signing_opened",
]
NOTHING_TO_DO_WORDS = {"sv": "Du behöver inte göra något", "en": "You do not need to do anything"}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", NOTHING_TO_DO)
def test_an_e_mail_that_asks_nothing_says_so_after_what_happened(kind, language):
    message = rendered(kind, language)
    words = NOTHING_TO_DO_WORDS[language]
    happened = message.body.split("\n\n")[1]
    assert words in message.body and not happened.startswith(words), message.body
    assert words in html(message)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("reason", ["opened", "reminder", "deferred"])
def test_a_task_e_mail_opens_with_what_to_do_by_when_then_the_link_then_whom_to_ask(
    reason, language
):
    """The subject starts with the action and the date; the body's first paragraph
    says both, the link follows, then who waits and their addresses."""
    context = {**CONTEXTS["task_link"], "reason": reason}
    message = email_render(
        OutboxEmail(
            to_email="karin@polisen.test",
            to_name="Karin Polis",
            language=language,
            template="workflows/email/task_link",
            context=context,
        )
    )
    when = {"sv": "senast 14 december 2023", "en": "by 14 December 2023"}[language]
    subject_head = message.subject.split(": ")[0]
    assert subject_head.endswith(when), message.subject
    assert message.subject.endswith(f": {TITLE}, version 2")
    paragraphs = message.body.split("\n\n")
    assert when.split(" ", 1)[1] in paragraphs[1]
    assert "https://samverkan.example/l/abc123/" in paragraphs[2]
    asked = message.body.index("sam@hoor.test")
    assert message.body.index("https://samverkan.example/l/abc123/") < asked
    page = html(message)
    assert page.index("abc123") < page.index("mailto:sam@hoor.test")


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("sv", f"Påminnelse: registrera anslaget, senast 14 november 2029 – {TITLE}"),
        ("en", f"Reminder: post the notice (anslag) by 14 November 2029 – {TITLE}"),
    ],
)
def test_the_anslag_reminder_says_by_when_in_its_subject(language, subject):
    context = {
        **CONTEXTS["decision_step_reminder"],
        "due": "anslag",
        "due_label": "registrera anslaget",
        "anslag_due": "2029-11-14",
    }
    message = email_render(
        OutboxEmail(
            to_email="nils@hoor.test",
            language=language,
            template="workflows/email/decision_step_reminder",
            context=context,
        )
    )
    assert message.subject == subject
