from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from .accessibility import AccessibilityView
from .accounts import AdminEmailLoginForm, ChoosePasswordView, EmailLoginForm
from .login_throttle import throttled

# Both logins count failures per account and per address (project/login_throttle.py).
admin.site.login = throttled(admin.site.login)
admin.site.login_form = AdminEmailLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "konto/logga-in/",
        throttled(auth_views.LoginView.as_view(authentication_form=EmailLoginForm)),
        name="login",
    ),
    # Choosing a password, the first time or after forgetting it (project/accounts.py).
    path("konto/valj-losenord/", ChoosePasswordView.as_view(), name="password_reset"),
    path(
        "konto/valj-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/valj-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/valj-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # The accessibility statement: public, like the medborgarlöften pages it covers.
    path(
        "tillganglighet/",
        AccessibilityView.as_view(),
        name="accessibility",
    ),
    path("om-tjansten/", TemplateView.as_view(template_name="about.html"), name="about"),
    path("", include("notifications.urls")),
    path("", include("workflows.urls")),
    path("", include("promises.urls")),
]
