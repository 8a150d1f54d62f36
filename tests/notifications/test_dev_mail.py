"""'Skickad e-post': the outbox as a developer reads it, with DEBUG on and for staff only."""

import pytest
from django.urls import reverse

from notifications.services import outbox_relay

from .conftest import enqueue


@pytest.fixture
def debug(settings) -> None:
    settings.DEBUG = True


def test_staff_see_the_sent_emails_listed(admin_client, debug):
    enqueue(context={"requested_by": "Sam"})
    outbox_relay()

    response = admin_client.get(reverse("notifications:dev_mail_list"))

    assert response.status_code == 200
    assert "<h1>Skickad e-post</h1>" in response.text
    assert '<th scope="col">Till</th>' in response.text
    assert "Karin Polis &lt;karin@polisen.test&gt;" in response.text
    assert "skickad" in response.text


def test_staff_read_each_message_as_it_was_rendered(admin_client, debug):
    email = enqueue(context={"requested_by": "Sam <Samordnare>"})

    response = admin_client.get(reverse("notifications:dev_mail_detail", args=[email.pk]))

    assert response.status_code == 200
    assert "<h1>Testmeddelande från Samverkan</h1>" in response.text
    assert "&quot;Karin Polis&quot; &lt;karin@polisen.test&gt;" in response.text
    assert "Det skickades av Sam &lt;Samordnare&gt;" in response.text  # the text body
    frame = reverse("notifications:dev_mail_html", args=[email.pk])
    assert f'<iframe title="HTML-versionen av meddelandet" sandbox src="{frame}"' in response.text
    html = admin_client.get(frame)
    assert "Sam &lt;Samordnare&gt;" in html.text  # the e-mail's HTML, escaped as sent
    policy = html["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_a_message_whose_template_is_missing_shows_the_error(admin_client, debug):
    email = enqueue(template="notifications/does_not_exist")

    response = admin_client.get(reverse("notifications:dev_mail_detail", args=[email.pk]))

    assert response.status_code == 200
    assert "notifications/does_not_exist.subject.txt" in response.text


def test_the_pages_do_not_exist_without_debug(admin_client, settings):
    settings.DEBUG = False
    email = enqueue()

    assert admin_client.get(reverse("notifications:dev_mail_list")).status_code == 404
    detail = reverse("notifications:dev_mail_detail", args=[email.pk])
    assert admin_client.get(detail).status_code == 404


@pytest.mark.parametrize("is_staff", [False, None])
def test_only_staff_may_read_them(client, django_user_model, debug, is_staff):
    if is_staff is not None:
        user = django_user_model.objects.create_user("rut", "rut@hoor.test", "x")
        client.force_login(user)

    response = client.get(reverse("notifications:dev_mail_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_older_emails_are_one_click_away(admin_client, debug):
    for n in range(51):
        enqueue(key=f"k{n}")

    first = admin_client.get(reverse("notifications:dev_mail_list"))
    assert len(first.context["emails"]) == 50
    older = admin_client.get(
        reverse("notifications:dev_mail_list"), {"fore": first.context["older"]}
    )

    assert [e.key for e in older.context["emails"]] == ["k0"]
