from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .accessibility import AccessibilityView
from .login_throttle import throttled

# Both logins count failures per account and per address (project/login_throttle.py).
admin.site.login = throttled(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/logga-in/", throttled(auth_views.LoginView.as_view()), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # The accessibility statement: public, like the medborgarlöften pages it covers.
    path(
        "tillganglighet/",
        AccessibilityView.as_view(),
        name="accessibility",
    ),
    path("", include("notifications.urls")),
    path("", include("workflows.urls")),
    path("", include("promises.urls")),
]
