"""The kommun's decision after the meeting: where it stands in law, and the forms
the nämndsekreterare records anslag, protokollsutdrag, laga kraft, appeals and
inhibitions with. The services decide (services/decision_steps.py)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from ..corrections import corrected
from ..decision_status import status_of
from ..forms import StepForm
from ..models import Decision, DecisionStep, Outcome, StepKind, Track
from ..models.trail import Channel
from ..services.corrections import correctable
from ..services.decision_steps import recorder, step_record
from ..services.errors import DomainError
from .base import AgreementMixin, ServiceFormView
from .corrections import correction_url

# What the page offers next, in the order a decision lives through them.
OFFERED = (
    StepKind.ANSLAG,
    StepKind.LAGA_KRAFT,
    StepKind.APPEAL,
    StepKind.APPEAL_DECIDED,
    StepKind.INHIBITION,
    StepKind.INHIBITION_LIFTED,
    StepKind.EXTRACT,
)


# The fields each kind's form shows; the service checks what each needs.
FIELDS = {
    StepKind.ANSLAG: ("on", "url"),
    StepKind.LAGA_KRAFT: ("on", "note"),
    StepKind.APPEAL: ("on", "names", "case_number", "note"),
    StepKind.APPEAL_DECIDED: ("on", "appeal_outcome", "note"),
    StepKind.INHIBITION: ("on", "note"),
    StepKind.INHIBITION_LIFTED: ("on", "note"),
    StepKind.EXTRACT: ("on", "document"),
}


def decision_url(decision: Decision) -> str:
    return reverse("workflows:decision_detail", args=[decision.agreement_id, decision.pk])


class DecisionMixin(AgreementMixin):
    @cached_property
    def decision(self) -> Decision:
        decision = (
            Decision.objects.filter(agreement=self.agreement, pk=self.kwargs["decision_pk"])
            .select_related("version", "recorded_by")
            .defer("version__content")
            .prefetch_related("steps__recorded_by")
            .first()
        )
        if decision is None:
            raise Http404(_("Det finns inget sådant beslut i överenskommelsen."))
        return corrected([decision], "decision")[0]


class DecisionDetailView(DecisionMixin, ServiceFormView):
    template_name = "workflows/decision_detail.html"
    form_class = StepForm

    @cached_property
    def may_record(self) -> bool:
        if self.read_only or self.person is None:
            return False
        try:
            recorder(self.person, self.agreement, self.decision, Channel.LOGIN)
        except DomainError:
            return False
        return True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may_record:
            raise PermissionDenied(_("Du kan inte registrera något på det här beslutet."))
        return super().post(request, *args, **kwargs)

    def offered(self) -> list[str]:
        """The steps that can be recorded now (the service checks them again)."""
        if not self.may_record or self.decision.outcome != Outcome.BIFALL:
            return []
        if self.decision.track == Track.POLICE:
            return [StepKind.EXTRACT]  # a line decision: only its document
        status = status_of(self.decision)
        if status.quashed:
            return []
        wanted = {
            StepKind.ANSLAG: (status.protocol is not None or status.delegated)
            and status.anslag is None,
            StepKind.LAGA_KRAFT: status.may_confirm_laga_kraft(),
            StepKind.APPEAL: status.laga_kraft is None,
            StepKind.APPEAL_DECIDED: status.appeal_pending,
            StepKind.INHIBITION: status.appeal_pending and not status.inhibited,
            StepKind.INHIBITION_LIFTED: status.inhibited,
            StepKind.EXTRACT: True,
        }
        return [kind for kind in OFFERED if wanted[kind]]

    def get_prefix(self) -> str | None:
        # Each offered step has its own form on the page, prefixed by its kind.
        posted = self.request.POST.get("step", "") if self.request.method == "POST" else ""
        return posted if posted in OFFERED else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = status_of(self.decision)
        municipal = self.decision.track == Track.MUNICIPAL
        posted = kwargs.pop("form", None)
        forms = []
        for kind in self.offered():
            form = posted if posted is not None and posted.prefix == kind else None
            if form is None:
                form = StepForm(prefix=kind, initial={"kind": kind, "on": timezone.localdate()})
            form.fields["on"].widget.attrs["max"] = timezone.localdate().isoformat()
            forms.append(
                {
                    "kind": kind,
                    "label": StepKind(kind).label,
                    "form": form,
                    "fields": [form[name] for name in FIELDS[kind]],
                }
            )
        may_correct = not self.read_only and correctable(
            self.person, self.agreement, [self.decision]
        )
        return super().get_context_data(
            decision=self.decision,
            correct_url=correction_url(self.decision) if may_correct else "",
            legal=status if municipal and self.decision.outcome == Outcome.BIFALL else None,
            steps=status.steps,
            step_forms=forms,
            form=posted,
            **kwargs,
        )

    def perform(self, form: Form) -> str:
        step = step_record(
            decision_id=self.decision.pk,
            person=self.person,
            fields=form.step_input(),
            channel=Channel.LOGIN,
        )
        messages.success(
            self.request,
            _("Registrerat: %(what)s %(date)s.")
            % {"what": step.get_kind_display().lower(), "date": step.on.isoformat()},
        )
        return decision_url(self.decision)


class DecisionDocumentView(DecisionMixin, View):
    """The uploaded protokollsutdrag, as it was uploaded (its SHA-256 is in the trail)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = DecisionStep.objects.filter(
            decision=self.decision, pk=kwargs["step_pk"], kind=StepKind.EXTRACT
        ).first()
        if step is None:
            raise Http404(_("Det finns inget sådant dokument."))
        response = HttpResponse(bytes(step.document), content_type="application/pdf")
        name = step.document_name or f"protokollsutdrag-{step.pk}.pdf"
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
