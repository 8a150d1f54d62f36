"""Download an agreement's decision trail as a bundle (a zip), or with ``?format=sip``
as an archive package (a zip of the SIP folder): anyone who may view the agreement
may download it; anyone else gets 404 (``AgreementMixin``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views import View

from ..export import ExportError, bundle_zip, sip_zip
from .base import AgreementMixin


class AgreementExportView(AgreementMixin, View):
    """GET, ``?version=N`` for another version than the one in force, ``?format=sip``
    for the archive package instead of the bundle."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.GET.get("version", "")
        if raw and not raw.isdigit():
            raise Http404("Ingen sådan version.")
        export = {"bundle": bundle_zip, "sip": sip_zip}.get(request.GET.get("format") or "bundle")
        if export is None:
            raise Http404("Inget sådant format.")
        try:
            name, data = export(self.agreement.pk, version_number=int(raw) if raw else None)
        except ExportError as error:
            if error.status == 404:
                raise Http404(str(error)) from None
            return HttpResponse(
                str(error), status=error.status, content_type="text/plain; charset=utf-8"
            )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
