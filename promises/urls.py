from django.urls import path

from .views import public, sets, tasks

app_name = "promises"

AGREEMENT = "overenskommelser/<int:pk>/medborgarloften/"
SET = AGREEMENT + "<int:set_id>/"

urlpatterns = [
    # Public, without login.
    path("medborgarloften/", public.PublicIndexView.as_view(), name="public_index"),
    path("medborgarloften/<slug:slug>/", public.PublicKommunView.as_view(), name="public_kommun"),
    # The drafters' pages, under the agreement.
    path(AGREEMENT, sets.SetListView.as_view(), name="set_list"),
    path(SET, sets.SetDetailView.as_view(), name="set_detail"),
    path(SET + "andra/", sets.SetEditView.as_view(), name="set_edit"),
    path(SET + "godkann/", sets.SetApproveView.as_view(), name="set_approve"),
    path(SET + "uppfoljning/", sets.FollowUpCreateView.as_view(), name="follow_up_create"),
    path(SET + "arsrapport/", sets.ReportCreateView.as_view(), name="report_create"),
    path(SET + "anmalan/", sets.AnmalanView.as_view(), name="anmalan"),
    path(SET + "laga-kraft/", sets.LagaKraftView.as_view(), name="laga_kraft"),
    # Receipts after deciding and signing. The confirm pages themselves are the
    # agreement's /uppgift/<token>/ and /inkorg/<task>/, which hand promise tasks
    # to views/tasks.py.
    path(
        "uppgift/<int:token_pk>/medborgarloften/klar/",
        tasks.PromiseLinkDoneView.as_view(),
        name="link_done",
    ),
    path(
        "inkorg/<int:task_id>/medborgarloften/klar/",
        tasks.PromiseInboxDoneView.as_view(),
        name="inbox_done",
    ),
]
