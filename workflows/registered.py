"""An agreement registered afterwards, in words: its decisions and signatures as the
source document gives them. One place for the pages, the trail, the PDF and the
e-mail, so "uppgift saknas i underlaget" reads the same everywhere."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A fact the source document does not give: recorded as missing, never guessed.
MISSING = gettext_lazy("uppgift saknas i underlaget")


def _or_missing(value: Any) -> str:
    return str(value) if value else str(MISSING)


def decision_words(fact: dict[str, Any]) -> str:
    """ "Kommunstyrelsen, 2019-03-11, § 45, dnr KS 2019/123"."""
    from .models import Body

    return _("%(body)s, %(date)s, %(paragraph)s, dnr %(diarienummer)s") % {
        "body": Body(fact["body"]).label,
        "date": _or_missing(fact.get("decided_on")),
        "paragraph": f"§ {fact['paragraph']}" if fact.get("paragraph") else str(MISSING),
        "diarienummer": _or_missing(fact.get("diarienummer")),
    }


def signature_words(fact: dict[str, Any]) -> str:
    """ "Anna Berg, kommunstyrelsens ordförande: Höör den 2019-03-11"."""
    from .models import SignatoryRole

    return _("%(name)s, %(title)s: %(place)s den %(date)s") % {
        "name": _or_missing(fact.get("name")),
        "title": fact.get("title") or str(SignatoryRole(fact["role"]).label).lower(),
        "place": _or_missing(fact.get("place")),
        "date": _or_missing(fact.get("signed_on")),
    }


def decisions_words(value: Any) -> str:
    return "; ".join(decision_words(fact) for fact in value or [] if isinstance(fact, dict))


def signatures_words(value: Any) -> str:
    return "; ".join(signature_words(fact) for fact in value or [] if isinstance(fact, dict))


def registration_view(agreement) -> dict[str, Any] | None:
    """What the agreement page and the PDF show of a registration: None for an
    agreement decided in the product."""
    from .models import Registration, SignatoryRole, Track

    registration = (
        Registration.objects.filter(agreement=agreement, promise_set_id=None)
        .select_related("registered_by", "document", "version")
        .defer("document__data")
        .first()
    )
    if registration is None:
        return None
    facts = registration.facts
    return {
        "registration": registration,
        "document": registration.document,
        "decisions": [
            (Track(fact["track"]).label, decision_words(fact)) for fact in facts["decisions"]
        ],
        "signatures": [
            (SignatoryRole(fact["role"]).label, signature_words(fact))
            for fact in facts["signatures"]
        ],
    }
