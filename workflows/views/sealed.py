"""The signed agreement as sealed for the archives: its PDF/A, for anyone who may
view the agreement (anyone else gets 404, ``AgreementMixin``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from ..models import SealedRecord
from .base import AgreementMixin


class SealedPdfView(AgreementMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = SealedRecord.objects.filter(
            agreement=self.agreement, version__number=kwargs["number"]
        ).first()
        if record is None:
            raise Http404(_("Den versionen är inte undertecknad och sparad som PDF/A."))
        response = HttpResponse(bytes(record.pdf), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, record.file_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
