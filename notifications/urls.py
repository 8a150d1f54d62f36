"""Include at the site root: path("", include("notifications.urls")).

Webhooks: /anymail/<esp>/tracking/ (e.g. /anymail/postmark/tracking/), guarded by
ANYMAIL["WEBHOOK_SECRET"] as basic auth. Developer pages: /dev/mail/ (DEBUG only).
"""

from django.urls import include, path

from . import views

app_name = "notifications"

urlpatterns = [
    path("anymail/", include("anymail.urls")),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:pk>/", views.dev_mail_detail, name="dev_mail_detail"),
]
