"""Registrera befintlig överenskommelse: an agreement decided (and perhaps signed)
outside the product, brought in from its document or typed. Reading a document
fills the form for review beside the document's text; nothing is registered until
the registrar submits (services/registration.agreement_register)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from ..document_review import TYPED, read, review
from ..forms import pairs_of, show_marks
from ..models import SourceDocument
from ..models.trail import Channel
from ..registration_forms import RegisterForm, facts_initial
from ..services.errors import DuplicateAgreement
from ..services.registration import Upload, agreement_register, document_keep
from .base import AgreementMixin, ServiceFormMixin
from .start import DrafterStartMixin

READ = "read"  # the button that reads the document instead of registering


class RegisterView(DrafterStartMixin, ServiceFormMixin, FormView):
    template_name = "workflows/agreement_register.html"
    form_class = RegisterForm
    refusal = gettext_lazy("Bara kommunens trygghetssamordnare och kommunpolisen kan registrera.")
    reading: dict[str, Any] = {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(duplicates=self.duplicates, **self.reading, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if READ in request.POST:
            return self.read(request.FILES.get("document"))
        return super().post(request, *args, **kwargs)

    def refused(self, form: RegisterForm, status: int) -> HttpResponse:
        """Refused after a document was read: read it again, to show it beside the form
        (a registration that goes through needs no second reading)."""
        sha256 = self.request.POST.get("document_sha256", "")
        if sha256:
            self.reading = self._reading_of(self._document(sha256))
            show_marks(form, self.reading["review"].marks)
        return super().refused(form, status)

    def read(self, uploaded) -> HttpResponse:
        """Read the uploaded document and show what was found beside its text; what
        was typed before stays where the document says nothing."""
        from ..uploads import UnreadableDocument, extract

        form = self.get_form()
        form.is_valid()  # keep what was typed; only the document is read now
        form.errors.clear()
        if uploaded is None:
            form.add_error("document", _("Välj ett dokument att läsa."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            extracted = extract(uploaded)
        except UnreadableDocument as error:
            form.add_error("document", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        document = document_keep(Upload(extracted.name, extracted.content_type, extracted.data))
        typed = {name: value for name, value in form.data.items() if name in TYPED and value}
        self.reading = self._reading(extracted, document, typed)
        result, found = self.reading.pop("result"), self.reading["review"]
        initial = {**found.initial, **facts_initial(result), "document_sha256": document.sha256}
        form = self.form_class(initial=initial, parties=self.parties, marks=found.marks)
        return self.render_to_response(self.get_context_data(form=form))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["parties"] = self.parties
        return kwargs

    def _document(self, sha256: str) -> SourceDocument:
        document = SourceDocument.objects.filter(sha256=sha256).first()
        if document is None:
            raise Http404(_("Dokumentet finns inte. Ladda upp det igen."))
        return document

    def _reading(self, extracted, document: SourceDocument, typed: dict) -> dict[str, Any]:
        result = read(extracted.text, extracted.fmt)
        return {
            "result": result,
            "source_text": extracted.text,
            "document": document,
            "review": review(result, pairs_of(self.parties), typed, extracted.fmt),
        }

    def _reading_of(self, document: SourceDocument) -> dict[str, Any]:
        """The stored document read again, for the page after a refused submit."""
        from ..uploads import extract

        uploaded = SimpleUploadedFile(document.name, bytes(document.data))
        reading = self._reading(extract(uploaded), document, {})
        reading.pop("result")
        return reading

    def perform(self, form: RegisterForm) -> str:
        data = form.cleaned_data
        kommun, lpo = form.pairs[data["parties"]]
        document = None
        if data["document_sha256"]:
            stored = self._document(data["document_sha256"])
            document = Upload(stored.name, stored.content_type, bytes(stored.data))
        try:
            agreement = agreement_register(
                kommun=kommun,
                lokalpolisomrade=lpo,
                kind=data["kind"],
                deciding_body=data["deciding_body"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                follow_up_cadence=data["follow_up_cadence"],
                content=form.content,
                decisions=form.decisions(),
                signatures=form.signatures(),
                registrar=self.person,
                channel=Channel.LOGIN,
                document=document,
                duplicate_reason=data["duplicate_reason"],
            )
        except DuplicateAgreement as error:
            self.duplicates = error.agreements
            raise
        messages.success(
            self.request,
            _("Överenskommelsen är registrerad i efterhand: %(state)s.")
            % {"state": agreement.get_state_display().lower()},
        )
        return reverse("workflows:agreement_detail", args=[agreement.pk])


class SourceDocumentView(AgreementMixin, View):
    """The document a registered agreement came from, as uploaded."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        registration = self.agreement.registration
        document = registration.document if registration is not None else None
        if document is None:
            raise Http404(_("Det finns inget källdokument."))
        response = HttpResponse(bytes(document.data), content_type=document.content_type)
        response["Content-Disposition"] = content_disposition_header(True, document.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
