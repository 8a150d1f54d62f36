"""Ny överenskommelse: a drafter starts an agreement for their parties, from a blank
structure with guidance, from the text of an agreement they already have, or from
an uploaded document they review first. The service decides
(services/drafting.agreement_create).

An uploaded document is read (uploads.extract) and its text kept in the session,
keyed by its SHA-256, with what was typed on the start page; the review page
parses that text on the server each time (document_review) and shows it beside the
fields. Nothing is created until the review is submitted."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.generic import FormView

from .. import selectors
from ..blank_agreement import blank_content
from ..document_review import TYPED, TYPED_DEFAULTS, read, review
from ..forms import BLANK, DOCUMENT, AgreementStartForm, DocumentReviewForm, pairs_of
from ..models import AgreementKind
from ..models.trail import Channel
from ..services.actors import person_for_user
from ..services.drafting import agreement_create
from ..services.errors import DuplicateAgreement
from ..uploads import PDF, UnreadableDocument, extract
from .base import ServiceFormMixin

KIND_WORDS = {
    AgreementKind.STRATEGIC: "Strategisk samverkansöverenskommelse",
    AgreementKind.OPERATIONAL: "Operativ samverkansöverenskommelse",
    AgreementKind.ONE_PART: "Samverkansöverenskommelse",
}

# The documents read for a review, in the session: {sha256: {name, text, fmt, pages,
# typed}}, the latest few only.
DOCUMENTS = "start_documents"
DOCUMENTS_KEPT = 3
# The button on the start page that gives up on an unreadable document.
TYPE_INSTEAD = "skriv_sjalv"


def default_title(kind: str, kommun, start, end) -> str:
    """ "Operativ samverkansöverenskommelse Höörs kommun 2027–2028"."""
    years = f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
    return f"{KIND_WORDS[AgreementKind(kind)]} {kommun.name} {years}"


class DrafterStartMixin(LoginRequiredMixin):
    """Only someone who may draft for some parties starts an agreement."""

    duplicates: list = []  # what the service refused a new one for, listed on the page
    refusal = gettext_lazy("Bara kommunens trygghetssamordnare och kommunpolisen kan börja en ny.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = person_for_user(request.user)
        if not self.parties:
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def parties(self) -> list:
        return selectors.drafting_parties(self.person)

    def create(self, form: AgreementStartForm, content: dict, note: str):
        """The agreement with version 1, through the service, as every start does."""
        data = form.cleaned_data
        kommun, lpo = form.pairs[data["parties"]]
        start, end = data["period_start"], data["period_end"]
        try:
            return agreement_create(
                kommun=kommun,
                lokalpolisomrade=lpo,
                kind=data["kind"],
                deciding_body=data["deciding_body"] or None,
                title=data["title"] or default_title(data["kind"], kommun, start, end),
                period_start=start,
                period_end=end,
                follow_up_cadence=data["follow_up_cadence"],
                content=content,
                author=self.person,
                channel=Channel.LOGIN,
                change_note=note,
                duplicate_reason=data["duplicate_reason"],
            )
        except DuplicateAgreement as error:
            self.duplicates = error.agreements
            raise

    def created(self, agreement) -> str:
        messages.success(
            self.request,
            _("Överenskommelsen är skapad som utkast med version 1. Skriv texten i en ny version."),
        )
        return reverse("workflows:agreement_detail", args=[agreement.pk])


class AgreementStartView(DrafterStartMixin, ServiceFormMixin, FormView):
    template_name = "workflows/agreement_start.html"
    form_class = AgreementStartForm
    unreadable = False  # the uploaded document could not be read

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["parties"] = self.parties
        kwargs["sources"] = selectors.agreements_for_person(self.person)
        if "data" in kwargs and TYPE_INSTEAD in kwargs["data"]:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["start_from"] = BLANK
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            duplicates=self.duplicates,
            unreadable=self.unreadable,
            type_instead=TYPE_INSTEAD,
            **kwargs,
        )

    def get_initial(self) -> dict[str, Any]:
        return {"start_from": BLANK, "follow_up_cadence": "yearly"}

    def form_valid(self, form: AgreementStartForm) -> HttpResponse:
        if form.cleaned_data["start_from"] == DOCUMENT:
            return self.read_document(form)
        return super().form_valid(form)

    def read_document(self, form: AgreementStartForm) -> HttpResponse:
        """Read the upload; keep its text for the review, or say why it cannot be read."""
        try:
            extracted = extract(form.cleaned_data["document"])
        except UnreadableDocument as error:
            form.add_error("document", str(error))
            self.unreadable = True
            return self.refused(form, 400)
        data = form.cleaned_data
        typed = {name: _as_text(data.get(name)) for name in (*TYPED, *TYPED_DEFAULTS)}
        documents = dict(self.request.session.get(DOCUMENTS, {}))
        documents.pop(extracted.sha256, None)
        documents[extracted.sha256] = {
            "name": extracted.name,
            "text": extracted.text,
            "fmt": extracted.fmt,
            # Shown for a PDF only: a .docx's count is what Word last saved, if anything.
            "pages": extracted.pages if extracted.content_type == PDF else 0,
            "typed": typed,
        }
        while len(documents) > DOCUMENTS_KEPT:
            documents.pop(next(iter(documents)))
        self.request.session[DOCUMENTS] = documents
        return HttpResponseRedirect(
            reverse("workflows:agreement_start_review", args=[extracted.sha256])
        )

    def perform(self, form: AgreementStartForm) -> str:
        source = form.sources.get(form.cleaned_data["start_from"])
        with override(settings.LANGUAGE_CODE):  # stored in the version: the record is Swedish
            note = _("Utgår från %(title)s.") % {"title": source.title} if source else ""
        content = source.latest_version().content if source else blank_content()
        return self.created(self.create(form, content, note))


class DocumentReviewView(DrafterStartMixin, ServiceFormMixin, FormView):
    """The uploaded document's text beside the fields the importer filled."""

    template_name = "workflows/agreement_start_review.html"
    form_class = DocumentReviewForm

    @cached_property
    def document(self) -> dict[str, Any] | None:
        return self.request.session.get(DOCUMENTS, {}).get(self.kwargs["sha256"])

    @cached_property
    def reading(self):
        document = self.document
        result = read(document["text"], document["fmt"])
        return result, review(result, pairs_of(self.parties), document["typed"], document["fmt"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.gone() if self.document is None else super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.gone() if self.document is None else super().post(request, *args, **kwargs)

    def gone(self) -> HttpResponse:
        messages.error(self.request, _("Dokumentet finns inte längre här. Ladda upp det igen."))
        return HttpResponseRedirect(reverse("workflows:agreement_start"))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["parties"] = self.parties
        kwargs["marks"] = self.reading[1].marks
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return dict(self.reading[1].initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            document=self.document,
            sha256=self.kwargs["sha256"],
            review=self.reading[1],
            duplicates=self.duplicates,
            **kwargs,
        )

    def perform(self, form: DocumentReviewForm) -> str:
        with override(settings.LANGUAGE_CODE):  # stored in the version: the record is Swedish
            note = _("Utgår från dokumentet ”%(name)s” (SHA-256 %(sha256)s).") % {
                "name": self.document["name"],
                "sha256": self.kwargs["sha256"],
            }
        agreement = self.create(form, form.content, note)
        documents = dict(self.request.session.get(DOCUMENTS, {}))
        documents.pop(self.kwargs["sha256"], None)
        self.request.session[DOCUMENTS] = documents
        return self.created(agreement)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
