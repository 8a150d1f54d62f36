"""Rättelse of a recorded decision or signature, from the agreement's pages; the
service decides who may and what holds (services/corrections.py)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..corrections import FIELD_WORDS, as_text, fields_for
from ..forms import CorrectionForm
from ..models import CorrectedRecord
from ..models.trail import Channel
from ..services.corrections import correction_record, corrector, record_of
from ..services.errors import DomainError
from .base import ServiceFormView

# The URL's word for each kind of record.
SLUGS = {"beslut": CorrectedRecord.DECISION, "underskrift": CorrectedRecord.SIGNATURE}


def correction_url(record) -> str:
    slug = "beslut" if record._meta.model_name == CorrectedRecord.DECISION else "underskrift"
    return reverse("workflows:correct_record", args=[record.agreement_id, slug, record.pk])


def record_title(record) -> str:
    number = record.version.number
    if record._meta.model_name == CorrectedRecord.SIGNATURE:
        return _("Underskrift av %(role)s, version %(number)s") % {
            "role": record.get_role_display().lower(),
            "number": number,
        }
    return _("%(body)s: beslut om version %(number)s") % {
        "body": record.get_body_display(),
        "number": number,
    }


class CorrectionView(ServiceFormView):
    template_name = "workflows/correction.html"
    form_class = CorrectionForm

    @cached_property
    def record(self):
        kind = SLUGS.get(self.kwargs["record"])
        try:
            return record_of(self.agreement, kind, self.kwargs["record_pk"])
        except DomainError:
            raise Http404(_("Det finns inget sådant beslut eller sådan underskrift.")) from None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_corrector()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_corrector()
        return super().post(request, *args, **kwargs)

    def check_corrector(self) -> None:
        if self.read_only or self.person is None:
            raise PermissionDenied(_("Du kan inte rätta uppgifter i den här överenskommelsen."))
        try:
            corrector(self.person, self.agreement, self.record, Channel.LOGIN)
        except DomainError as error:
            raise PermissionDenied(error.message) from None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "fields": fields_for(self.record)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        facts = [
            (FIELD_WORDS[name], as_text(getattr(self.record, name)) or "–")
            for name in fields_for(self.record)
        ]
        return super().get_context_data(
            record=self.record, record_title=record_title(self.record), facts=facts, **kwargs
        )

    def perform(self, form: Form) -> str:
        correction = correction_record(
            agreement_id=self.agreement.pk,
            kind=self.record._meta.model_name,
            record_id=self.record.pk,
            field=form.cleaned_data["field"],
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            person=self.person,
            channel=Channel.LOGIN,
        )
        messages.success(
            self.request,
            _("Rättat: %(field)s är nu %(value)s. Parterna har fått besked.")
            % {"field": FIELD_WORDS[correction.field], "value": correction.new_value or "–"},
        )
        return reverse("workflows:agreement_detail", args=[self.agreement.pk])
