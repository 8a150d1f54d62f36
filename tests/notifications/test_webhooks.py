"""Delivery reports arrive through anymail's Postmark tracking webhook, only with the secret."""

import base64
import json

import pytest
from anymail.exceptions import AnymailInsecureWebhookWarning

from notifications.models import DeliveryStatus, OutboxEmail, Status

from .conftest import enqueue

URL = "/anymail/postmark/tracking/"
SECRET = "samverkan:ratt-losenord-123"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"


@pytest.fixture
def sent(db, settings) -> OutboxEmail:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    email = enqueue()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, provider_message_id=MESSAGE_ID
    )
    return email


def delivery() -> dict:
    """Postmark's Delivery webhook, as in its documentation."""
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": MESSAGE_ID,
        "Recipient": "karin@polisen.test",
        "Tag": "",
        "DeliveredAt": "2024-03-04T09:01:02Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {},
    }


def bounce() -> dict:
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageStream": "outbound",
        "MessageID": MESSAGE_ID,
        "Description": "The server was unable to deliver your message (unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "karin@polisen.test",
        "BouncedAt": "2024-03-04T09:01:02Z",
        "Inactive": True,
        "CanActivate": True,
        "Metadata": {},
    }


def post(client, payload: dict, credentials: str | None = SECRET):
    headers = {}
    if credentials is not None:
        token = base64.b64encode(credentials.encode()).decode()
        headers["HTTP_AUTHORIZATION"] = f"Basic {token}"
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def test_a_delivery_report_with_the_secret_marks_the_email_delivered(client, sent):
    response = post(client, delivery())

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.DELIVERED
    assert sent.delivery_detail == "smtp;250 2.0.0 OK"
    assert sent.delivery_updated_at is not None
    assert sent.status == Status.SENT


@pytest.mark.parametrize(
    "credentials", [None, "samverkan:fel-losenord", "postmark:ratt-losenord-123"]
)
def test_a_report_without_the_right_secret_is_refused_and_changes_nothing(
    client, sent, credentials
):
    response = post(client, delivery(), credentials)

    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.UNKNOWN


def test_a_bounce_marks_the_email_bounced_and_tells_the_domain(client, sent, signals):
    post(client, bounce())

    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.BOUNCED
    assert "unknown user" in sent.delivery_detail
    assert signals.undelivered == [sent]


def test_a_spam_complaint_is_recorded(client, sent):
    complaint = {**bounce(), "RecordType": "SpamComplaint", "Type": "SpamComplaint"}

    post(client, complaint)

    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.COMPLAINED


def test_a_late_deferral_does_not_hide_that_the_email_was_delivered(client, sent):
    post(client, delivery())
    post(client, {**bounce(), "Type": "Transient"})  # Postmark's "deferred"

    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.DELIVERED


def test_a_report_for_an_unknown_message_changes_nothing(client, sent):
    response = post(client, {**delivery(), "MessageID": "someone-elses-id"})

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.UNKNOWN


def test_reports_are_ignored_when_no_secret_is_configured(client, sent, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    with pytest.warns(AnymailInsecureWebhookWarning):
        response = post(client, delivery(), credentials=None)

    assert response.status_code == 200  # anymail accepts it; we do not believe it
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.UNKNOWN


# -- only the configured provider, and never a 500 ------------------------------------------


@pytest.mark.parametrize(
    "esp", ["mailgun", "sendgrid", "mandrill", "sparkpost", "amazon_ses", "brevo"]
)
def test_other_providers_webhooks_are_not_mounted(client, db, esp):
    assert (
        client.post(f"/anymail/{esp}/tracking/", "{}", content_type="application/json").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("body", "content_type", "credentials"),
    [
        ('{"RecordType": "Delivery"}', "application/json", None),
        ('{"RecordType": "Delivery"}', "application/json", "samverkan:fel"),
        ("{not json", "application/json", SECRET),
        ("[]", "application/json", SECRET),
        ('"text"', "application/json", SECRET),
        ("RecordType=Delivery", "application/x-www-form-urlencoded", SECRET),
        ("", "text/plain", None),
    ],
    ids=["no-auth", "wrong-auth", "not-json", "a-list", "a-string", "a-form", "empty"],
)
def test_an_unauthenticated_or_malformed_call_gets_4xx_and_changes_nothing(
    client, sent, body, content_type, credentials
):
    headers = {}
    if credentials is not None:
        token = base64.b64encode(credentials.encode()).decode()
        headers["HTTP_AUTHORIZATION"] = f"Basic {token}"
    response = client.post(URL, body, content_type=content_type, **headers)
    assert 400 <= response.status_code < 500
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.UNKNOWN


def test_the_same_report_twice_changes_the_row_once(client, sent, signals):
    assert post(client, bounce()).status_code == 200
    assert post(client, bounce()).status_code == 200
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.BOUNCED
    assert signals.undelivered == [sent]
