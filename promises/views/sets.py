"""The drafters' pages: the agreement's promises, writing them, approving them,
following them up and the yearly report. Logged in; anyone without a role at
either party gets 404 (``AgreementMixin``); the services decide what is allowed."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from workflows import vocabulary as display
from workflows.models.organisations import DRAFTER_ROLES
from workflows.models.trail import Channel
from workflows.views.base import AgreementMixin, ServiceFormView

from .. import selectors
from ..delegation import delegated_decision
from ..forms import (
    AnmalanForm,
    ApproveForm,
    BackgroundForm,
    FollowUpForm,
    LagaKraftForm,
    PromiseFormSet,
    PromiseSetCreateForm,
    ReportForm,
)
from ..models import Answer, PromiseSet
from ..services import delegation, drafting, followup
from ..services.common import SIGNATORY
from ..services.drafting import PROMISE_AGREEMENT_KINDS

ONLY_DRAFTERS = gettext_lazy(
    "Bara överenskommelsens kommunpolis och trygghetssamordnare skriver och följer upp "
    "medborgarlöften."
)


def set_url(promise_set: PromiseSet) -> str:
    return reverse("promises:set_detail", args=[promise_set.agreement_id, promise_set.pk])


class SetListView(ServiceFormView):
    """The agreement's promises, and a form to start the next period's."""

    template_name = "promises/set_list.html"
    form_class = PromiseSetCreateForm

    def get_initial(self) -> dict[str, Any]:
        start = self.agreement.period_start.year
        taken = [s.last_year for s in selectors.sets_of(self.agreement)]
        first = max([start, *(year + 1 for year in taken)])
        return {"first_year": first, "last_year": min(first + 1, self.agreement.period_end.year)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            sets=selectors.sets_of(self.agreement),
            can_create=bool(self.drafter) and self.agreement.kind in PROMISE_AGREEMENT_KINDS,
            kind_allowed=self.agreement.kind in PROMISE_AGREEMENT_KINDS,
            **kwargs,
        )

    def perform(self, form: Form) -> str:
        promise_set = drafting.promise_set_create(
            agreement_id=self.agreement.pk,
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            author=self.person,
            channel=Channel.LOGIN,
        )
        messages.success(self.request, _("Skriv löftena och spara dem."))
        return reverse("promises:set_edit", args=[self.agreement.pk, promise_set.pk])


class PromiseSetMixin(AgreementMixin):
    """``self.promise_set`` from the URL's ``set_id``, one of this agreement's."""

    @cached_property
    def promise_set(self) -> PromiseSet:
        found = selectors.set_of(self.agreement, self.kwargs["set_id"])
        if found is None:
            raise Http404(_("Det finns inga sådana medborgarlöften."))
        return found

    def require_drafter(self) -> None:
        if not self.drafter:
            raise PermissionDenied(ONLY_DRAFTERS)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("promise_set", self.promise_set)
        return super().get_context_data(**kwargs)


class SetDetailMixin(PromiseSetMixin):
    template_name = "promises/set_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        promise_set = self.promise_set
        current = [
            a
            for a in promise_set.approvals.all()
            if a.round == promise_set.round and a.content_hash == promise_set.content_hash
        ]
        answers = list(promise_set.answers.all())
        returned = [a for a in answers if a.answer == Answer.RETURNED]
        return super().get_context_data(
            promises=list(promise_set.promises.all()),
            approvals=current,
            approval=self.approval_state(current),
            answers=answers,
            signatures=[a for a in answers if a.round == promise_set.round and a.signed],
            returned=returned[-1] if returned and promise_set.editable else None,
            reports=list(promise_set.reports.all()),
            events=selectors.events_of(promise_set),
            public_url=self.public_url(),
            next_step=self.next_step(current, answers),
            registered=selectors.registration_of_set(promise_set),
            **self.delegation_context(kwargs),
            **kwargs,
        )

    def delegation_context(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """A decision by delegation: where it stands, and the nämndsekreterare's forms."""
        if not self.promise_set.public:
            return {}
        decision = delegated_decision(self.promise_set)
        if decision is None:
            return {}
        secretary = not self.read_only and delegation.secretary(self.person, self.agreement)
        today = timezone.localdate()
        anmalan = kwargs.pop("anmalan_form", None) or AnmalanForm(
            initial={"meeting_date": today, "announced_on": today}
        )
        laga_kraft = kwargs.pop("laga_kraft_form", None) or LagaKraftForm(initial={"on": today})
        return {
            "delegation": decision,
            "anmalan_form": anmalan if secretary and decision.anmalan is None else None,
            "laga_kraft_form": (
                laga_kraft if secretary and decision.may_confirm_laga_kraft() else None
            ),
        }

    def next_step(self, approvals: list, answers: list) -> str:
        """What has to happen next, and whom it waits on."""
        promise_set = self.promise_set
        if promise_set.editable:
            approved = {a.role for a in approvals}
            missing = [role for role in DRAFTER_ROLES if role not in approved]
            return _("Båda skribenterna godkänner löftena. Väntar på %(who)s.") % {
                "who": display.roles_definite(missing)
            }
        if promise_set.awaiting_signature:
            signed = {a.role for a in answers if a.round == promise_set.round}
            missing = [role for role in SIGNATORY.values() if role not in signed]
            return _("Beslut och underskrift. Väntar på %(who)s.") % {
                "who": display.roles_definite(missing)
            }
        return ""

    def approval_state(self, current: list) -> str:
        """'button' when the person may approve now, 'done' when their role has."""
        if not self.drafter or not self.promise_set.editable:
            return ""
        if self.drafter.role in {a.role for a in current}:
            return "done"
        return "button" if self.promise_set.promises.all() else ""

    def public_url(self) -> str:
        if not self.promise_set.public:
            return ""
        return reverse(
            "promises:public_kommun", args=[selectors.kommun_slug(self.agreement.kommun)]
        )


class SetDetailView(SetDetailMixin, TemplateView):
    pass


class SetApproveView(SetDetailMixin, ServiceFormView):
    """POST only: the content hash the drafter read goes with it. A refusal shows
    the set's page with the reason."""

    http_method_names = ["post"]
    form_class = ApproveForm

    def perform(self, form: Form) -> str:
        drafting.promise_set_approve(
            set_id=self.promise_set.pk,
            person=self.person,
            content_hash=form.cleaned_data["content_hash"],
            channel=Channel.LOGIN,
        )
        self.promise_set.refresh_from_db(fields=["state"])
        if self.promise_set.awaiting_signature:
            text = _(
                "Löftena är godkända av båda. Kommunstyrelsens ordförande och "
                "lokalpolisområdeschefen har fått länkar för att besluta och underteckna."
            )
        else:
            text = _("Du har godkänt löftena. De går vidare när båda har godkänt dem.")
        messages.success(self.request, text)
        return set_url(self.promise_set)


class DelegationStepView(SetDetailMixin, ServiceFormView):
    """POST only, from the set's page: a refused form is shown there again, under
    its own name (``form_name``)."""

    http_method_names = ["post"]
    form_name = ""

    def refused(self, form: Form, status: int) -> HttpResponse:
        context = self.get_context_data(**{self.form_name: form}, form=form)
        return self.render_to_response(context, status=status)


class AnmalanView(DelegationStepView):
    """The anmälan of the delegated decision (the nämndsekreterare's task)."""

    form_class = AnmalanForm
    form_name = "anmalan_form"

    def perform(self, form: Form) -> str:
        data = form.cleaned_data
        delegation.anmalan_record(
            set_id=self.promise_set.pk,
            person=self.person,
            fields=delegation.AnmalanInput(
                meeting_date=data["meeting_date"],
                paragraph=data["paragraph"],
                announced_on=data["announced_on"],
                announced_separately=data["announced_separately"],
                url=data["url"],
            ),
            channel=Channel.LOGIN,
        )
        messages.success(self.request, _("Anmälan är registrerad; överklagandetiden löper."))
        return set_url(self.promise_set) + "#delegation"


class LagaKraftView(DelegationStepView):
    form_class = LagaKraftForm
    form_name = "laga_kraft_form"

    def perform(self, form: Form) -> str:
        delegation.laga_kraft_confirm(
            set_id=self.promise_set.pk,
            person=self.person,
            on=form.cleaned_data["on"],
            channel=Channel.LOGIN,
        )
        messages.success(self.request, _("Laga kraft är registrerat."))
        return set_url(self.promise_set) + "#delegation"


class AnmalanTaskView(LoginRequiredMixin, View):
    """The inbox's page for the anmälan task: the form is on the set's page."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        promise_set = selectors.set_of_task(kwargs.get("task_id") or 0)
        if promise_set is None:
            raise Http404(_("Det finns ingen sådan uppgift."))
        return HttpResponseRedirect(set_url(promise_set) + "#delegation")


class SetEditView(PromiseSetMixin, ServiceFormView):
    """The background and every promise in one form; an empty promise is removed."""

    template_name = "promises/set_edit.html"
    form_class = BackgroundForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_drafter()
        if not self.promise_set.editable:
            messages.info(
                request, _("Löftena kan inte ändras när de är föreslagna eller publicerade.")
            )
            return HttpResponseRedirect(set_url(self.promise_set))
        return super().get(request, *args, **kwargs)

    @cached_property
    def formset(self):
        if self.request.method == "POST":
            return PromiseFormSet(self.request.POST, prefix="promises")
        initial = [
            {
                "title": p.title,
                "description": p.description,
                "responsible": p.responsible,
                "unit": p.unit,
                "measure": p.measure,
            }
            for p in self.promise_set.promises.all()
        ]
        return PromiseFormSet(initial=initial, prefix="promises")

    def get_initial(self) -> dict[str, Any]:
        return {
            "background": self.promise_set.background,
            "seen_hash": self.promise_set.content_hash,
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(formset=self.formset, **kwargs)

    def perform(self, form: Form) -> str:
        removed = set(self.formset.deleted_forms)
        promises = [
            {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
            for form in self.formset.forms
            if form.cleaned_data and form not in removed  # an untouched empty form has none
        ]
        drafting.promises_save(
            set_id=self.promise_set.pk,
            author=self.person,
            channel=Channel.LOGIN,
            background=form.cleaned_data["background"],
            promises=promises,
            seen_hash=form.cleaned_data["seen_hash"],
        )
        messages.success(self.request, _("Löftena är sparade. Godkänn dem när de är klara."))
        return set_url(self.promise_set)


class PublishedOnlyMixin(PromiseSetMixin):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_drafter()
        if not self.promise_set.public:
            messages.info(request, _("Bara publicerade medborgarlöften följs upp."))
            return HttpResponseRedirect(set_url(self.promise_set))
        return super().get(request, *args, **kwargs)


class FollowUpCreateView(PublishedOnlyMixin, ServiceFormView):
    template_name = "promises/follow_up_form.html"
    form_class = FollowUpForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["promises"] = list(self.promise_set.promises.all())
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = {"reported_on": timezone.localdate()}
        if "lofte" in self.request.GET and self.request.GET["lofte"].isdigit():
            initial["promise"] = int(self.request.GET["lofte"])
        return initial

    def perform(self, form: Form) -> str:
        data = form.cleaned_data
        followup.follow_up_add(
            promise_id=data["promise"],
            author=self.person,
            status=data["status"],
            comment=data["comment"],
            reported_on=data["reported_on"],
            channel=Channel.LOGIN,
        )
        messages.success(self.request, _("Uppföljningen är sparad och visas på den publika sidan."))
        return set_url(self.promise_set)


class ReportCreateView(PublishedOnlyMixin, ServiceFormView):
    template_name = "promises/report_form.html"
    form_class = ReportForm

    def years(self) -> list[int]:
        written = {r.year for r in self.promise_set.reports.all()}
        span = range(self.promise_set.first_year, self.promise_set.last_year + 1)
        return [year for year in span if year not in written]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["years"] = self.years()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            promises=list(self.promise_set.promises.all()), years=self.years(), **kwargs
        )

    def perform(self, form: Form) -> str:
        followup.report_add(
            set_id=self.promise_set.pk,
            author=self.person,
            year=form.cleaned_data["year"],
            summary=form.cleaned_data["summary"],
            channel=Channel.LOGIN,
        )
        messages.success(self.request, _("Årsrapporten är sparad och visas på den publika sidan."))
        return set_url(self.promise_set)
