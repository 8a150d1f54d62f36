from django.urls import path

from . import views
from .views import links

app_name = "workflows"

urlpatterns = [
    path("l/<str:token>/", links.link_open, name="link_open"),
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path(
        "overenskommelser/<int:pk>/",
        views.AgreementDetailView.as_view(),
        name="agreement_detail",
    ),
    path(
        "overenskommelser/<int:pk>/versioner/ny/",
        views.VersionCreateView.as_view(),
        name="version_create",
    ),
    path(
        "overenskommelser/<int:pk>/versioner/<int:number>/",
        views.VersionDetailView.as_view(),
        name="version_detail",
    ),
    path(
        "overenskommelser/<int:pk>/versioner/<int:number>/godkann/",
        views.VersionApproveView.as_view(),
        name="version_approve",
    ),
    path(
        "overenskommelser/<int:pk>/jamfor/",
        views.VersionCompareView.as_view(),
        name="version_compare",
    ),
]
