"""The list of one's agreements and the agreement page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from .. import selectors
from ..models import AgreementState, Version
from ..models.agreements import DRAFTING_STATES
from ..services.actors import person_for_user
from . import display
from .base import AgreementMixin


class AgreementListView(LoginRequiredMixin, TemplateView):
    """Mina överenskommelser: a fixed number of queries however many there are."""

    template_name = "workflows/agreement_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = person_for_user(self.request.user)
        agreements = selectors.agreements_for_person(person) if person else []
        for agreement in agreements:
            agreement.next_step = display.next_step(
                agreement, agreement.latest_number, agreement.latest_approved_roles
            )
        return super().get_context_data(person=person, agreements=agreements, **kwargs)


class DraftingButtonsMixin(AgreementMixin):
    def approval_for(self, version: Version, latest: Version | None) -> str:
        """'button' when the person may approve this version now, 'done' when their
        role already has, '' otherwise."""
        if not self.drafter or latest is None or version.pk != latest.pk:
            return ""
        if self.agreement.state != AgreementState.DRAFT:
            return ""
        approved = {approval.role for approval in version.approvals.all()}
        return "done" if self.drafter.role in approved else "button"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "can_submit", bool(self.drafter) and self.agreement.state in DRAFTING_STATES
        )
        return super().get_context_data(**kwargs)


class AgreementPageMixin(DraftingButtonsMixin):
    template_name = "workflows/agreement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        versions = selectors.versions_of(self.agreement)
        latest = versions[0] if versions else None
        approved = {a.role for a in latest.approvals.all()} if latest else set()
        return super().get_context_data(
            versions=versions,
            latest=latest,
            events=selectors.trail_of(self.agreement),
            next_step=display.next_step(
                self.agreement, latest.number if latest else None, approved
            ),
            approval=self.approval_for(latest, latest) if latest else "",
            # The approve URL takes POST only: switching language returns here.
            language_next=reverse("workflows:agreement_detail", args=[self.agreement.pk]),
            **kwargs,
        )


class AgreementDetailView(AgreementPageMixin, TemplateView):
    pass
