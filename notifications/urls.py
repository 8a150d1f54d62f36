"""Include at the site root: path("", include("notifications.urls")).

Webhooks: /anymail/<esp>/tracking/ for the configured provider only (e.g.
/anymail/postmark/tracking/), guarded by ANYMAIL["WEBHOOK_SECRET"] as basic auth
(``webhooks.py``). Developer pages: /dev/mail/ (DEBUG only).
"""

from django.conf import settings
from django.urls import path

from . import views
from .webhooks import tracking_urls

app_name = "notifications"

urlpatterns = [
    *tracking_urls(settings.ANYMAIL_TRACKING_ESP),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:pk>/", views.dev_mail_detail, name="dev_mail_detail"),
    path("dev/mail/<int:pk>/html/", views.dev_mail_html, name="dev_mail_html"),
]
