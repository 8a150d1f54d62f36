"""Admin: read-only rows, a list of failed ones, "retry", and a test message."""

from django.urls import reverse

from notifications.models import OutboxEmail, Status

from .conftest import enqueue

CHANGELIST = "admin:notifications_outboxemail_changelist"


def failed(key: str) -> OutboxEmail:
    email = enqueue(key=key)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=Status.FAILED, attempts=6, last_error="SMTPServerDisconnected: borta"
    )
    return email


def test_retry_puts_failed_emails_back_in_the_queue_and_sends_them(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    broken = failed("broken")
    sent = enqueue(key="sent")
    OutboxEmail.objects.filter(pk=sent.pk).update(status=Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "retry", "_selected_action": [broken.pk, sent.pk]},
            follow=True,
        )

    assert "1 misslyckat meddelande står åter i kön." in response.text
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == (Status.SENT, 1)
    assert len(mailoutbox) == 1  # the already sent one was not sent again


def test_the_failed_list_shows_only_failed_emails(admin_client):
    failed("broken")
    enqueue(key="waiting")

    response = admin_client.get(reverse("admin:notifications_failedoutboxemail_changelist"))

    assert response.status_code == 200
    assert [e.key for e in response.context["cl"].result_list] == ["broken"]
    assert "SMTPServerDisconnected: borta" in response.text


def test_the_list_can_be_filtered_by_status(admin_client):
    failed("broken")
    enqueue(key="waiting")

    response = admin_client.get(reverse(CHANGELIST), {"status__exact": "pending"})

    assert [e.key for e in response.context["cl"].result_list] == ["waiting"]


def test_rows_cannot_be_added_changed_or_deleted_in_admin(admin_client):
    email = enqueue()

    change = admin_client.get(reverse("admin:notifications_outboxemail_change", args=[email.pk]))
    add = admin_client.get(reverse("admin:notifications_outboxemail_add"))
    delete = admin_client.get(reverse("admin:notifications_outboxemail_delete", args=[email.pk]))

    assert change.status_code == 200
    assert 'name="_save"' not in change.text
    assert (add.status_code, delete.status_code) == (403, 403)


def test_a_test_message_can_be_sent_from_admin(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("admin:notifications_check_email")
    form = admin_client.get(url)
    assert '<label for="id_to_email">' in form.text

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"to_email": "ops@hoor.test", "language": "en"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert (message.to, message.subject) == (["ops@hoor.test"], "Test message from Samverkan")
    assert "admin sent it" in message.body


def test_staff_without_permission_cannot_send_a_test_message(client, django_user_model):
    user = django_user_model.objects.create_user("staff", "staff@hoor.test", "x", is_staff=True)
    client.force_login(user)

    response = client.post(reverse("admin:notifications_check_email"), {"to_email": "a@b.se"})

    assert response.status_code == 403
    assert not OutboxEmail.objects.exists()
