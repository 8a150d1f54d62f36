"""A version, a new version, approving one, and comparing two."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .. import compare as compare_rules
from .. import content as content_rules
from .. import selectors
from ..agreement_lifecycle import period_over
from ..forms import ApproveForm, CompareForm, VersionForm
from ..models import Version
from ..models.trail import Channel
from ..services import drafting
from .agreements import AgreementPageMixin, DraftingButtonsMixin
from .base import AgreementMixin, ServiceFormView

ONLY_DRAFTERS = gettext_lazy(
    "Bara överenskommelsens kommunpolis och trygghetssamordnare kan skriva versioner."
)


def version_url(version: Version) -> str:
    return reverse("workflows:version_detail", args=[version.agreement_id, version.number])


class VersionMixin(AgreementMixin):
    def version_or_404(self, number: int) -> Version:
        version = selectors.version_by_number(self.agreement, number)
        if version is None:
            raise Http404(_("Versionen finns inte."))
        return version


class VersionDetailView(VersionMixin, DraftingButtonsMixin, TemplateView):
    template_name = "workflows/version_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.version_or_404(self.kwargs["number"])
        latest = self.agreement.latest_version()
        return super().get_context_data(
            version=version,
            latest=latest,
            is_latest=latest is not None and latest.pk == version.pk,
            approval=self.approval_for(version, latest),
            **kwargs,
        )


class VersionCreateView(VersionMixin, ServiceFormView):
    """Ny version: the whole text in one text area, from the latest version, from
    another (``?fran=3``) or from an empty page (``?fran=tom``)."""

    template_name = "workflows/version_form.html"
    form_class = VersionForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.drafter:
            raise PermissionDenied(ONLY_DRAFTERS)
        return super().get(request, *args, **kwargs)

    def base_version(self, latest: Version | None) -> Version | None:
        source = self.request.GET.get("fran", "")
        if source == "tom":
            return None
        if source.isdigit():
            return self.version_or_404(int(source))
        return self.default_base(latest)

    def default_base(self, latest: Version | None) -> Version | None:
        """Where a new version starts without ``?fran``: the latest version."""
        if self.revision_of is not None and not self.revision_has_version:
            # A revision starts from the text in force, not from a version an
            # earlier revision left behind.
            return self.revision_of
        return latest

    @cached_property
    def revision_of(self) -> Version | None:
        """The version in force, while a revision of it is under way."""
        if not self.agreement.in_revision or self.agreement.version_in_force_id is None:
            return None
        return self.agreement.version_in_force

    @cached_property
    def revision_has_version(self) -> bool:
        return selectors.revision_versions([self.agreement]).get(self.agreement.pk) is not None

    @cached_property
    def latest(self) -> Version | None:
        return self.agreement.latest_version()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["with_period"] = drafting.period_editable(self.agreement)
        if drafting.parties_editable(self.agreement):
            current = (self.agreement.kommun, self.agreement.lokalpolisomrade)
            others = selectors.drafting_parties(self.person)
            pairs = [current, *[pair for pair in others if pair != current]]
            kwargs["parties"] = pairs if len(pairs) > 1 else None
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        latest = self.latest
        base = self.base_version(latest)
        return {
            "text": content_rules.to_markdown(base.content) if base else "",
            "seen_latest": latest.number if latest else 0,
            "parent_number": base.number if base else None,
            "period_start": self.agreement.period_start,
            "period_end": self.agreement.period_end,
            "kind": self.agreement.kind,
            "deciding_body": self.agreement.deciding_body,
            "follow_up_cadence": self.agreement.follow_up_cadence,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        form = kwargs["form"]
        seen_latest = form["seen_latest"].value()
        newer = self.latest if self.latest and str(seen_latest) != str(self.latest.number) else None
        return super().get_context_data(
            latest=self.latest,
            revision_of=self.revision_of,
            default_base=self.default_base(self.latest),
            newer=newer if form.errors else None,
            parent_number=form["parent_number"].value(),
            seen_latest=seen_latest,
            period_over=period_over(self.agreement),
            **kwargs,
        )

    def perform(self, form: Form) -> str:
        version = drafting.version_submit(
            agreement_id=self.agreement.pk,
            author=self.person,
            content=form.content,
            change_note=form.cleaned_data["change_note"],
            seen_latest=form.cleaned_data["seen_latest"],
            parent_number=form.cleaned_data["parent_number"],
            channel=Channel.LOGIN,
            period=form.period,
            facts=form.facts,
            parties=form.chosen_parties,
        )
        messages.success(self.request, _("Version %(n)d är inlämnad.") % {"n": version.number})
        return version_url(version)


class VersionApproveView(VersionMixin, AgreementPageMixin, ServiceFormView):
    """POST only. A refusal shows the agreement page with the reason."""

    http_method_names = ["post"]
    form_class = ApproveForm

    def perform(self, form: Form) -> str:
        version = self.version_or_404(self.kwargs["number"])
        drafting.version_approve(
            version_id=version.pk,
            person=self.person,
            channel=Channel.LOGIN,
            decide_by=form.cleaned_data["decide_by"],
        )
        self.agreement.refresh_from_db(fields=["state"])
        if self.agreement.awaiting_decision:
            text = _("Version %(n)d är godkänd av båda och är nu ett gemensamt förslag.")
        else:
            text = _("Du har godkänt version %(n)d.")
        messages.success(self.request, text % {"n": version.number})
        return reverse("workflows:agreement_detail", args=[self.agreement.pk])


class VersionCompareView(AgreementMixin, TemplateView):
    """Any two versions side by side in one column: what was removed and added."""

    template_name = "workflows/version_compare.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        versions = list(
            self.agreement.versions.select_related("author").defer("content").order_by("number")
        )
        form = CompareForm(self.form_data(versions), versions=versions)
        context = self.get_context_data(form=form, versions=versions)
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        old, new = self.contents(form.cleaned_data["fran"], form.cleaned_data["till"])
        diffs = compare_rules.compare(old.content, new.content)
        context.update(old=old, new=new, diffs=diffs, counts=_counts(diffs))
        return self.render_to_response(context)

    def form_data(self, versions: list[Version]) -> dict[str, Any]:
        """The query, or by default the latest version against the one before it."""
        if "fran" in self.request.GET or "till" in self.request.GET:
            return self.request.GET
        numbers = [v.number for v in versions] or [0]
        return {"fran": numbers[-2] if len(numbers) > 1 else numbers[-1], "till": numbers[-1]}

    def contents(self, old_number: int, new_number: int) -> tuple[Version, Version]:
        by_number = {
            v.number: v
            for v in self.agreement.versions.select_related("author").filter(
                number__in=[old_number, new_number]
            )
        }
        return by_number[old_number], by_number[new_number]


def _counts(diffs: list[compare_rules.SectionDiff]) -> dict[str, int]:
    counts = dict.fromkeys(("unchanged", "changed", "added", "removed"), 0)
    for diff in diffs:
        counts[diff.status] += 1
    return counts
