"""Ny överenskommelse: a drafter starts an agreement for their parties, from a blank
structure with guidance or from the text of an agreement they already have. The
service decides (services/drafting.agreement_create)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.generic import FormView

from .. import selectors
from ..blank_agreement import blank_content
from ..forms import BLANK, AgreementStartForm
from ..models import AgreementKind
from ..models.trail import Channel
from ..services.actors import person_for_user
from ..services.drafting import agreement_create
from ..services.errors import DuplicateAgreement
from .base import ServiceFormMixin

KIND_WORDS = {
    AgreementKind.STRATEGIC: "Strategisk samverkansöverenskommelse",
    AgreementKind.OPERATIONAL: "Operativ samverkansöverenskommelse",
    AgreementKind.ONE_PART: "Samverkansöverenskommelse",
}


def default_title(kind: str, kommun, start, end) -> str:
    """ "Operativ samverkansöverenskommelse Höörs kommun 2027–2028"."""
    years = f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
    return f"{KIND_WORDS[AgreementKind(kind)]} {kommun.name} {years}"


class AgreementStartView(LoginRequiredMixin, ServiceFormMixin, FormView):
    template_name = "workflows/agreement_start.html"
    form_class = AgreementStartForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = person_for_user(request.user)
        if not self.parties:
            raise PermissionDenied(
                _("Bara kommunens trygghetssamordnare och kommunpolisen kan börja en ny.")
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def parties(self) -> list:
        return selectors.drafting_parties(self.person)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["parties"] = self.parties
        kwargs["sources"] = selectors.agreements_for_person(self.person)
        return kwargs

    # The agreements a new one would overlap, when the service refused it for that:
    # the page lists them and asks for the reason to go on.
    duplicates: list = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(duplicates=self.duplicates, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"start_from": BLANK, "follow_up_cadence": "yearly"}

    def perform(self, form: AgreementStartForm) -> str:
        try:
            agreement = self.create(form)
        except DuplicateAgreement as error:
            self.duplicates = error.agreements
            raise
        messages.success(
            self.request,
            _("Överenskommelsen är skapad som utkast med version 1. Skriv texten i en ny version."),
        )
        return reverse("workflows:agreement_detail", args=[agreement.pk])

    def create(self, form: AgreementStartForm):
        data = form.cleaned_data
        kommun, lpo = form.pairs[data["parties"]]
        source = form.sources.get(data["start_from"])
        start, end = data["period_start"], data["period_end"]
        with override(settings.LANGUAGE_CODE):  # stored in the version: the record is Swedish
            note = _("Utgår från %(title)s.") % {"title": source.title} if source else ""
        return agreement_create(
            kommun=kommun,
            lokalpolisomrade=lpo,
            kind=data["kind"],
            deciding_body=data["deciding_body"] or None,
            title=data["title"] or default_title(data["kind"], kommun, start, end),
            period_start=start,
            period_end=end,
            follow_up_cadence=data["follow_up_cadence"],
            content=source.latest_version().content if source else blank_content(),
            author=self.person,
            channel=Channel.LOGIN,
            change_note=note,
            duplicate_reason=data["duplicate_reason"],
        )
