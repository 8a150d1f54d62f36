"""The auditor's pages: one agreement's whole decision trail, its verification, and
the search across the agreements an auditor may read. They only read.

    /overenskommelser/<pk>/beslutsspar/             every event and e-mail, filtered
    /overenskommelser/<pk>/beslutsspar/verifiera/   the same check as verify_trail
    /granskning/                                    search (revisors)
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import audit_selectors as audit
from ..access_selectors import audited_agreements, auditor_organisation_ids
from ..filters import AgreementSearchForm, TrailFilterForm
from ..services.actors import person_for_user
from ..services.trail import chain_verify
from ..trail_actions import action_label
from .audit_display import email_rows, trail_rows
from .base import AgreementMixin

ONLY_AUDITORS = _("Granskningen är till för revisorer.")


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


class TrailView(AgreementMixin, TemplateView):
    """Every event in order with who, when, what, which version and the details;
    the e-mails that went out. A fixed number of queries per page."""

    template_name = "workflows/audit_trail.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actions = audit.trail_actions(self.agreement)
        form = TrailFilterForm(request.GET or None, actions=actions)
        context = self.get_context_data(form=form, filtered=form.is_bound)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(context, status=400)
        if form.shows_events:
            context.update(self.events(form))
        if form.shows_emails:
            context.update(self.emails(form))
        return self.render_to_response(context)

    def events(self, form: TrailFilterForm) -> dict[str, Any]:
        kind = form.kind
        page = audit.trail_page(
            self.agreement,
            actions=[kind] if kind else None,
            period=form.period(),
            after_seq=_cursor(self.request, "efter"),
        )
        versions = audit.version_numbers_by_hash(self.agreement)
        return {
            "events": page,
            "rows": trail_rows(page.items, self.agreement, versions),
            "last_seq": page.items[-1].seq if page.items else None,
        }

    def emails(self, form: TrailFilterForm) -> dict[str, Any]:
        page = audit.emails_page(
            self.agreement, period=form.period(), after_id=_cursor(self.request, "epost_efter")
        )
        return {"emails": page, "email_rows": email_rows(page.items)}


class TrailVerifyView(AgreementMixin, TemplateView):
    """Recomputes the agreement's chain (``services.trail.chain_verify``, the check
    ``manage.py verify_trail --agreement <pk>`` runs) and says what it found.
    A GET: it changes nothing."""

    template_name = "workflows/audit_verify.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = chain_verify(self.agreement.pk)
        bad = report.bad_event
        return super().get_context_data(
            report=report,
            bad_label=action_label(bad) if bad is not None else "",
            **kwargs,
        )


class AuditSearchView(LoginRequiredMixin, TemplateView):
    """Granskning: every agreement where the revisor's organisation is a party, by
    kommun, lokalpolisområde, status, period, decision date and diarienummer."""

    template_name = "workflows/audit_search.html"
    http_method_names = ["get", "head"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = person_for_user(request.user)
        self.organisation_ids = auditor_organisation_ids(self.person)
        if not self.organisation_ids:
            raise PermissionDenied(ONLY_AUDITORS)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = audited_agreements(self.organisation_ids)
        kommuner, lpos = audit.search_organisations(scope)
        form = AgreementSearchForm(request.GET or None, kommuner=kommuner, lpos=lpos)
        context = self.get_context_data(form=form, person=self.person)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(context, status=400)
        search = form.search() if form.is_bound else audit.Search()
        context["results"] = audit.agreements_search(scope, search, after=_cursor(request, "efter"))
        return self.render_to_response(context)
