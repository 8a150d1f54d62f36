"""The list of one's agreements and the agreement page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from .. import selectors
from .. import vocabulary as display
from ..agreement_lifecycle import AGREEMENT
from ..decision_status import in_force_basis
from ..filters import AgreementListForm
from ..forms import ApproveForm
from ..models import Decision, Outcome, Version
from ..next_step import next_step
from ..registered import registration_view
from ..services.actors import person_for_user
from ..services.corrections import correctable
from ..services.decisions import period_over_message
from . import lifecycle
from .base import AgreementMixin
from .corrections import correction_url
from .followups import schedule_rows


class AgreementListView(LoginRequiredMixin, TemplateView):
    """Mina överenskommelser: a fixed number of queries however many there are."""

    template_name = "workflows/agreement_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = person_for_user(self.request.user)
        if person is None:
            return super().get_context_data(person=None, agreements=[], **kwargs)
        form = AgreementListForm(self.request.GET or None, parties=selectors.parties_of(person))
        after = self.request.GET.get("efter", "")
        page = selectors.agreements_page_for_person(
            person, *form.filters(), after=int(after) if after.isdigit() else None
        )
        agreements = page.items
        open_kinds = selectors.open_task_kinds([a.pk for a in agreements])
        revisions = selectors.revision_versions(agreements)
        for agreement in agreements:
            agreement.next_step = next_step(
                agreement,
                agreement.latest_number,
                agreement.latest_approved_roles,
                open_kinds.get(agreement.pk, []),
                revision_started=revisions.get(agreement.pk, 0) is not None,
            )
        return super().get_context_data(
            person=person,
            form=form,
            agreements=agreements,
            next_cursor=page.next_cursor,
            filtered=bool(form.filters()) or bool(after),
            may_start=bool(selectors.drafting_parties(person)),
            **kwargs,
        )


class DraftingButtonsMixin(AgreementMixin):
    @cached_property
    def revision_number(self) -> int | None:
        """The latest version written in the revision under way; None before the
        first, and outside a revision."""
        return selectors.revision_versions([self.agreement]).get(self.agreement.pk)

    @property
    def revision_started(self) -> bool:
        return not self.agreement.in_revision or self.revision_number is not None

    def approval_for(self, version: Version, latest: Version | None) -> str:
        """'button' when the person may approve this version now, 'done' when their
        role already has, '' otherwise. Not the version in force at the start of a
        revision: there is nothing new to approve yet."""
        if not self.drafter or latest is None or version.pk != latest.pk:
            return ""
        if not self.revision_started:
            return ""
        if not self.agreement.allows("approve_version"):
            return ""
        approved = {approval.role for approval in version.approvals.all()}
        return "done" if self.drafter.role in approved else "button"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "can_submit", bool(self.drafter) and self.agreement.allows("submit_version")
        )
        form = kwargs.get("form")
        kwargs["approve_form"] = form if isinstance(form, ApproveForm) else ApproveForm()
        return super().get_context_data(**kwargs)


class AgreementPageMixin(DraftingButtonsMixin):
    template_name = "workflows/agreement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        versions = selectors.versions_of(self.agreement)
        latest = versions[0] if versions else None
        approved = {a.role for a in latest.approvals.all()} if latest else set()
        events = list(selectors.trail_of(self.agreement))
        by_object = {(e.object_type, e.object_id): e for e in events}
        decisions = selectors.decisions_of(self.agreement)
        signatures = selectors.signatures_of(self.agreement)
        for recorded in (*decisions, *signatures):
            recorded.event = by_object.get((recorded._meta.model_name, str(recorded.pk)))
        if not self.read_only:
            for recorded in correctable(self.person, self.agreement, [*decisions, *signatures]):
                recorded.correct_url = correction_url(recorded)
        open_kinds = selectors.open_task_kinds([self.agreement.pk]).get(self.agreement.pk, [])
        return super().get_context_data(
            versions=versions,
            latest=latest,
            events=events,
            decisions=decisions,
            signatures=signatures,
            sealed=[e.details for e in events if e.action == "agreement_sealed"],
            returned=self.returned_with(decisions),
            lapsed=period_over_message(self.agreement) if self.agreement.signing_lapsed else "",
            legal_basis=in_force_basis(self.agreement) if self.agreement.applies else None,
            my_tasks=self.my_tasks() if open_kinds else [],
            next_step=next_step(
                self.agreement,
                latest.number if latest else None,
                approved,
                open_kinds,
                revision_started=self.revision_started,
            ),
            stage_bar=AGREEMENT.stage_bar(self.agreement.state),
            **lifecycle.page_context(self, versions),
            approval=self.approval_for(latest, latest) if latest else "",
            follow_ups=schedule_rows(self.agreement),
            registered=registration_view(self.agreement),
            # The approve URL takes POST only: switching language returns here.
            language_next=reverse("workflows:agreement_detail", args=[self.agreement.pk]),
            **kwargs,
        )

    def returned_with(self, decisions: list[Decision]) -> Decision | None:
        """Back in drafting after återremiss: the decision that sent it back, for the
        drafters to see first."""
        if not self.agreement.allows("approve_version") or not decisions:
            return None
        final = [d for d in decisions if d.outcome != Outcome.BORDLAGGNING]
        last = final[-1] if final else None
        return last if last is not None and last.outcome == Outcome.ATERREMISS else None

    def my_tasks(self) -> list[dict[str, Any]]:
        if self.person is None:
            return []
        return [
            {"task": item.task, "heading": display.task_heading(item.kind)}
            for item in selectors.tasks_for_person(self.person, agreement=self.agreement)
        ]


class AgreementDetailView(AgreementPageMixin, TemplateView):
    pass
