"""The period in force: what the agreement page says about it, and the pages that
start or withdraw a revision, renew the agreement and terminate it.

Each action has its own page: GET shows what will happen and changes nothing, the
POST calls one service in services/lifecycle.py. The declared lifecycle
(agreement_lifecycle.py) says which buttons to offer; the services check again
under the row lock.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..agreement_lifecycle import AGREEMENT, ENDED, PAGE_STEPS, SIGNED_AHEAD
from ..forms import ConfirmForm, RenewForm, RevisionOpenForm, TerminateForm
from ..models import Agreement, RoleAssignment, Version
from ..models.trail import Channel
from ..services import lifecycle
from ..statemachine import DRAFTER, PARTY
from .base import ServiceFormView

# The page of each step the agreement page offers as a button.
STEP_URL = {
    "open_revision": "agreement_revision_open",
    "close_revision": "agreement_revision_close",
    "renew": "agreement_renew",
    "terminate": "agreement_terminate",
}

ONLY_DRAFTERS = gettext_lazy(
    "Bara överenskommelsens kommunpolis och trygghetssamordnare kan göra detta."
)
ONLY_PARTIES = gettext_lazy(
    "Bara parternas kommunpolis, trygghetssamordnare, ordförande och LPO-chef kan säga upp "
    "överenskommelsen."
)


def _url(name: str, agreement: Agreement) -> str:
    return reverse(f"workflows:{name}", args=[agreement.pk])


def terminating_role(person, agreement: Agreement) -> RoleAssignment | None:
    return lifecycle.terminating_role(person, agreement) if person is not None else None


def renewal_of(agreement: Agreement) -> Agreement | None:
    return Agreement.objects.filter(renewed_from=agreement).only("pk", "title").first()


def page_context(view: Any, versions: list[Version]) -> dict[str, Any]:
    """What the agreement page shows about the period in force, and the buttons.
    ``view`` is the agreement page (``AgreementPageMixin``): agreement, person,
    drafter and the revision under way."""
    agreement: Agreement = view.agreement
    in_force = next((v for v in versions if v.pk == agreement.version_in_force_id), None)
    renewal = renewal_of(agreement) if agreement.allows("renew") else None
    capacities = {DRAFTER} if view.drafter else set()
    if terminating_role(view.person, agreement):
        capacities.add(PARTY)
    offered = [
        edge
        for edge in AGREEMENT.offered(agreement, capacities, PAGE_STEPS)
        if not (edge.name == "renew" and renewal is not None)
    ]
    state = agreement.lifecycle_state
    if SIGNED_AHEAD in state.traits:
        label = _("Undertecknad version")
    elif ENDED in state.traits:
        label = _("Senast gällande version")
    else:
        label = _("Gällande version")
    return {
        "in_force": in_force,
        "in_force_label": label,
        "revision_number": view.revision_number,
        "renewal": renewal,
        "renewed_from": agreement.renewed_from if agreement.renewed_from_id else None,
        "lifecycle_actions": [
            {"name": edge.name, "label": edge.label, "url": _url(STEP_URL[edge.name], agreement)}
            for edge in offered
        ],
    }


class LifecycleView(ServiceFormView):
    """One action on the period in force. The role is checked before anything else
    (403 on GET and POST alike); a state where the action is not offered is said on
    the GET page, and a POST then gets the service's own refusal."""

    step: str  # the declared edge this page takes
    heading: str
    template_name: str
    form_class: type[Form] = ConfirmForm

    def permitted(self) -> bool:
        return bool(self.drafter)

    refusal = ONLY_DRAFTERS

    def require_role(self) -> None:
        if not self.permitted():
            raise PermissionDenied(str(self.refusal))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_role()
        if not self.agreement.allows(self.step):
            context = self.get_context_data(blocked=self.not_now())
            return self.render_to_response(context, status=409)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_role()
        return super().post(request, *args, **kwargs)

    def not_now(self) -> str:
        return _("Det går inte nu: överenskommelsen är %(state)s.") % {
            "state": self.agreement.get_state_display().lower()
        }

    @cached_property
    def in_force(self) -> Version | None:
        if self.agreement.version_in_force_id is None:
            return None
        return (
            Version.objects.defer("content").filter(pk=self.agreement.version_in_force_id).first()
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("heading", self.heading)
        kwargs.setdefault("in_force", self.in_force)
        kwargs.setdefault("detail_url", _url("agreement_detail", self.agreement))
        return super().get_context_data(**kwargs)

    def done(self, text: str) -> str:
        messages.success(self.request, text)
        self.agreement.refresh_from_db()
        return _url("agreement_detail", self.agreement)


class RevisionOpenView(LifecycleView):
    step = "open_revision"
    heading = gettext_lazy("Påbörja revidering")
    template_name = "workflows/lifecycle_revision_open.html"
    form_class = RevisionOpenForm

    def perform(self, form: Form) -> str:
        lifecycle.revision_open(
            agreement_id=self.agreement.pk,
            person=self.person,
            channel=Channel.LOGIN,
            reason=form.cleaned_data["reason"],
        )
        return self.done(
            _(
                "Revideringen är påbörjad. Version %(n)s gäller tills en reviderad version "
                "är beslutad och undertecknad."
            )
            % {"n": self.in_force.number if self.in_force else "–"}
        )


class RevisionCloseView(LifecycleView):
    step = "close_revision"
    heading = gettext_lazy("Avbryt revideringen")
    template_name = "workflows/lifecycle_revision_close.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        number = selectors.revision_versions([self.agreement]).get(self.agreement.pk)
        return super().get_context_data(revision_number=number, **kwargs)

    def perform(self, form: Form) -> str:
        lifecycle.revision_close(
            agreement_id=self.agreement.pk, person=self.person, channel=Channel.LOGIN
        )
        return self.done(
            _("Revideringen är avbruten. Version %(n)s gäller som förut.")
            % {"n": self.in_force.number if self.in_force else "–"}
        )


class RenewView(LifecycleView):
    """Shows the next period and the text it starts from (and the last follow-up
    report, when there is one) before anything is created."""

    step = "renew"
    heading = gettext_lazy("Förnya överenskommelsen")
    template_name = "workflows/lifecycle_renew.html"
    form_class = RenewForm

    def get_initial(self) -> dict[str, Any]:
        start, end = lifecycle.next_period(self.agreement.period_start, self.agreement.period_end)
        return {
            "period_start": start,
            "period_end": end,
            "follow_up_cadence": self.agreement.follow_up_cadence,
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_role()
        renewal = renewal_of(self.agreement)
        if renewal is not None:
            blocked = _("Överenskommelsen är redan förnyad.")
            context = self.get_context_data(blocked=blocked, renewal=renewal)
            return self.render_to_response(context, status=409)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        old = self.agreement
        start, end = lifecycle.next_period(old.period_start, old.period_end)
        last_follow_up = getattr(selectors, "last_follow_up", None)
        return super().get_context_data(
            source=self.in_force or old.latest_version(),
            next_title=lifecycle.renewed_title(
                old.title, old.period_start, old.period_end, start, end
            ),
            last_follow_up=last_follow_up(old) if last_follow_up else None,
            **kwargs,
        )

    def perform(self, form: Form) -> str:
        new = lifecycle.agreement_renew(
            agreement_id=self.agreement.pk,
            person=self.person,
            channel=Channel.LOGIN,
            period=form.period,
            cadence=form.cleaned_data["follow_up_cadence"],
        )
        messages.success(
            self.request,
            _(
                "Den nya överenskommelsen för %(start)s – %(end)s är skapad som utkast. "
                "Version 1 har texten från den gamla."
            )
            % {"start": new.period_start.isoformat(), "end": new.period_end.isoformat()},
        )
        return _url("agreement_detail", new)


class TerminateView(LifecycleView):
    """Reason and date, then a page that warns and repeats them; only the button
    there terminates. A refusal shows the first form again with what was written."""

    step = "terminate"
    heading = gettext_lazy("Säg upp överenskommelsen")
    template_name = "workflows/lifecycle_terminate.html"
    form_class = TerminateForm
    refusal = ONLY_PARTIES

    def permitted(self) -> bool:
        return terminating_role(self.person, self.agreement) is not None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["period_end"] = self.agreement.period_end
        role = terminating_role(self.person, self.agreement)
        kwargs["police"] = bool(role) and role.organisation_id == self.agreement.lokalpolisomrade_id
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "ends_on": min(today, self.agreement.period_end),
            "decided_on": today,
            "notice_months": 0,
        }

    def form_valid(self, form: Form) -> HttpResponse:
        if "andra" in self.request.POST:  # back from the warning, to change something
            return self.render_to_response(self.get_context_data(form=form))
        if not form.cleaned_data["confirmed"]:
            return self.render_to_response(self.get_context_data(form=form, confirm=True))
        return super().form_valid(form)

    def perform(self, form: Form) -> str:
        ends_on = form.cleaned_data["ends_on"]
        lifecycle.agreement_terminate(
            agreement_id=self.agreement.pk,
            person=self.person,
            reason=form.cleaned_data["reason"],
            ends_on=ends_on,
            decision=form.decision,
            channel=Channel.LOGIN,
        )
        if ends_on > timezone.localdate():
            message = _(
                "Överenskommelsen är uppsagd och gäller till och med %(date)s. Parterna får "
                "besked nu och när den upphör."
            )
        else:
            message = _(
                "Överenskommelsen är uppsagd och upphörde att gälla %(date)s. Parterna får besked."
            )
        return self.done(message % {"date": ends_on.isoformat()})
