from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("notifications.urls")),
    path("", include("workflows.urls")),
    path("", include("promises.urls")),
]
