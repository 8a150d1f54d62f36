from django.urls import path

from . import views
from .views import inbox, links

app_name = "workflows"

urlpatterns = [
    # Acting from an e-mail link: the secret is only in the first URL.
    path("l/<str:token>/", links.link_open, name="link_open"),
    path("uppgift/<int:token_pk>/", links.LinkTaskView.as_view(), name="task_confirm"),
    path("uppgift/<int:token_pk>/klar/", links.LinkDoneView.as_view(), name="task_done"),
    # The same from the inbox, logged in.
    path("inkorg/", inbox.InboxView.as_view(), name="inbox"),
    path("inkorg/<int:task_id>/", inbox.InboxTaskView.as_view(), name="inbox_task"),
    path("inkorg/<int:task_id>/klar/", inbox.InboxDoneView.as_view(), name="inbox_done"),
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
