"""The public pages, without login: the kommuner with published promises, and each
kommun's promises with their latest follow-up.

Only published sets are read (``selectors.published_sets``), and only what the
parties made public: the promises, their follow-ups, the yearly reports, and
who signed by title. No names, no drafts, no internal notes, no hashes. The pages
are Swedish, like the promises themselves, whatever language a visitor chose.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.generic import TemplateView

from workflows.models import SignatoryRole

from .. import selectors
from ..delegation import delegated_decision

# Who signed, by title and organisation: "kommunstyrelsens ordförande i Höörs kommun".
SIGNATORY_TITLES = {
    SignatoryRole.KS_ORDFORANDE: "kommunstyrelsens ordförande",
    SignatoryRole.LPO_CHEF: "lokalpolisområdeschefen",
}


class SwedishPage(TemplateView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("sv"):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = "sv"
        return response


class PublicIndexView(SwedishPage):
    template_name = "promises/public_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(kommuner=selectors.published_kommuner(), **kwargs)


class PublicKommunView(SwedishPage):
    template_name = "promises/public_kommun.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        found = next(
            (k for k in selectors.published_kommuner() if k.slug == self.kwargs["slug"]), None
        )
        if found is None:
            raise Http404("Det finns inga publicerade medborgarlöften för den kommunen.")
        sets = selectors.published_sets(found.kommun)
        for promise_set in sets:
            promise_set.delegation = delegated_decision(promise_set)
            promise_set.registered = selectors.registration_of_set(promise_set)
            promise_set.signed_by = [
                {
                    "title": SIGNATORY_TITLES[answer.role],
                    "organisation": (
                        promise_set.agreement.kommun.name
                        if answer.role == SignatoryRole.KS_ORDFORANDE
                        else promise_set.agreement.lokalpolisomrade.name
                    ),
                    "place": answer.place,
                    "signed_on": answer.signed_on,
                }
                for answer in sorted(promise_set.signatures, key=lambda a: a.role)
            ]
        return super().get_context_data(place=found.place, kommun=found.kommun, sets=sets, **kwargs)
