from django.urls import path

from . import views
from .views import (
    audit,
    corrections,
    decisions,
    export,
    followups,
    inbox,
    kommun,
    lifecycle,
    links,
    register,
    sealed,
    signing,
    start,
)

app_name = "workflows"

urlpatterns = [
    # Acting from an e-mail link: the secret is only in the first URL.
    path("l/<str:token>/", links.link_open, name="link_open"),
    # The identity provider's answer when a signatory identifies themselves (issue 14).
    path("identifiera/klar/", signing.oidc_callback, name="oidc_callback"),
    path("konto/e-legitimation/", signing.EnrolView.as_view(), name="identity_enrol"),
    path("uppgift/<int:token_pk>/", links.LinkTaskView.as_view(), name="task_confirm"),
    path("uppgift/<int:token_pk>/klar/", links.LinkDoneView.as_view(), name="task_done"),
    # The same from the inbox, logged in.
    path("inkorg/", inbox.InboxView.as_view(), name="inbox"),
    path("inkorg/<int:task_id>/", inbox.InboxTaskView.as_view(), name="inbox_task"),
    path("inkorg/<int:task_id>/klar/", inbox.InboxDoneView.as_view(), name="inbox_done"),
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("overenskommelser/ny/", start.AgreementStartView.as_view(), name="agreement_start"),
    path(
        "overenskommelser/ny/granska/<str:sha256>/",
        start.DocumentReviewView.as_view(),
        name="agreement_start_review",
    ),
    path(
        "overenskommelser/registrera/",
        register.RegisterView.as_view(),
        name="agreement_register",
    ),
    path(
        "overenskommelser/<int:pk>/kalldokument/",
        register.SourceDocumentView.as_view(),
        name="source_document",
    ),
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
    path(
        "overenskommelser/<int:pk>/beslut/<int:decision_pk>/",
        decisions.DecisionDetailView.as_view(),
        name="decision_detail",
    ),
    path(
        "overenskommelser/<int:pk>/rattelse/<str:record>/<int:record_pk>/",
        corrections.CorrectionView.as_view(),
        name="correct_record",
    ),
    path(
        "overenskommelser/<int:pk>/beslut/<int:decision_pk>/dokument/<int:step_pk>/",
        decisions.DecisionDocumentView.as_view(),
        name="decision_document",
    ),
    path(
        "overenskommelser/<int:pk>/export/",
        export.AgreementExportView.as_view(),
        name="agreement_export",
    ),
    path(
        "overenskommelser/<int:pk>/pdfa/<int:number>/",
        sealed.SealedPdfView.as_view(),
        name="sealed_pdf",
    ),
    # The auditor's pages: they only read (workflows/views/audit.py).
    path(
        "overenskommelser/<int:pk>/beslutsspar/",
        audit.TrailView.as_view(),
        name="audit_trail",
    ),
    path(
        "overenskommelser/<int:pk>/beslutsspar/verifiera/",
        audit.TrailVerifyView.as_view(),
        name="audit_verify",
    ),
    path("granskning/", audit.AuditSearchView.as_view(), name="audit_search"),
    path(
        "kommun/<int:pk>/installningar/",
        kommun.KommunSettingsView.as_view(),
        name="kommun_settings",
    ),
]

# The period in force: each action a page that asks first (views/lifecycle.py).
urlpatterns += [
    path(
        "overenskommelser/<int:pk>/revidering/",
        lifecycle.RevisionOpenView.as_view(),
        name="agreement_revision_open",
    ),
    path(
        "overenskommelser/<int:pk>/revidering/avbryt/",
        lifecycle.RevisionCloseView.as_view(),
        name="agreement_revision_close",
    ),
    path(
        "overenskommelser/<int:pk>/fornya/",
        lifecycle.RenewView.as_view(),
        name="agreement_renew",
    ),
    path(
        "overenskommelser/<int:pk>/sag-upp/",
        lifecycle.TerminateView.as_view(),
        name="agreement_terminate",
    ),
    # Follow-up reports, by due date (2024-01-02).
    path(
        "overenskommelser/<int:pk>/uppfoljning/<str:due>/",
        followups.FollowUpReportView.as_view(),
        name="followup_report",
    ),
    path(
        "overenskommelser/<int:pk>/uppfoljning/<str:due>/revidera/",
        followups.FollowUpReviseView.as_view(),
        name="followup_revise",
    ),
]
