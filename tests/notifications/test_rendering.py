"""Which template a row is rendered from: the recipient's language first, Swedish otherwise."""

from notifications.models import OutboxEmail
from notifications.rendering import email_render, template_names
from notifications.services import outbox_relay

from .conftest import enqueue


def test_the_english_template_is_chosen_when_the_language_is_en_and_it_exists(db, mailoutbox):
    enqueue(language="en")
    outbox_relay()

    [message] = mailoutbox
    assert message.subject == "Test message from Samverkan"
    assert message.body.startswith("Hello Karin Polis,")
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_swedish_template_is_used_when_no_english_one_exists(db, mailoutbox):
    enqueue(
        language="en",
        template="notifications/generic",
        context={"subject": "Nytt lösenord", "body": "Första stycket.\n\nAndra stycket."},
    )
    outbox_relay()

    [message] = mailoutbox
    assert message.subject == "Nytt lösenord"
    assert message.body.startswith("Hej Karin Polis!")
    html = message.alternatives[0][0]
    assert "<p>Första stycket.</p>" in html and "<p>Andra stycket.</p>" in html


def test_english_files_are_looked_for_before_the_swedish_default():
    assert template_names("workflows/proposal", "en", "txt") == [
        "workflows/proposal.en.txt",
        "workflows/proposal.txt",
    ]
    assert template_names("workflows/proposal", "sv", "txt") == ["workflows/proposal.txt"]


def test_a_subject_on_several_lines_becomes_one_line():
    email = OutboxEmail(
        to_email="karin@polisen.test",
        template="notifications/generic",
        context={"subject": "Förslag\nväntar\r\npå beslut", "body": ""},
    )

    assert email_render(email).subject == "Förslag väntar på beslut"


def test_a_recipient_name_with_a_comma_or_quote_stays_one_address():
    email = OutboxEmail(
        to_email="johan@hoor.test",
        to_name='Svahnberg, Johan "KS"',
        template="notifications/generic",
        context={"subject": "Hej", "body": ""},
    )

    message = email_render(email)
    assert message.to == ['"Svahnberg, Johan \\"KS\\"" <johan@hoor.test>']
    assert "johan@hoor.test" in message.message()["To"]
