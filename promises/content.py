"""A set of promises as content: its canonical form and its SHA-256.

Content is ``{"first_year": int, "last_year": int, "background": str,
"promises": [promise, ...]}`` where a promise is ``{"title", "description",
"responsible", "unit", "measure"}`` (all strings; ``responsible`` one of
``Responsible``). Strings are cleaned exactly as an agreement version's are
(``workflows.content``), and the JSON is canonical in the same way, so the same
promises always hash the same, whichever database stored them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

from workflows.content import _clean as clean_text  # the versions' normalisation

from .models import Promise, PromiseSet, Responsible

Content = dict[str, Any]
PROMISE_KEYS = ("title", "description", "responsible", "unit", "measure")


class ContentError(ValueError):
    """Promises that cannot be saved (the message is shown to the user)."""


def normalise(content: Content) -> Content:
    """Only known keys, clean strings, empty promises left out, in the given order."""
    promises = []
    for raw in content.get("promises") or []:
        promise = {key: clean_text(raw.get(key)) for key in PROMISE_KEYS}
        if any(promise[key] for key in PROMISE_KEYS if key != "responsible"):
            promises.append(promise)
    return {
        "first_year": int(content["first_year"]),
        "last_year": int(content["last_year"]),
        "background": clean_text(content.get("background")),
        "promises": promises,
    }


def validate(content: Content, *, complete: bool = True) -> Content:
    """Each promise whole; ``complete``: at least one (a draft may have none yet)."""
    content = normalise(content)
    if complete and not content["promises"]:
        raise ContentError(_("Skriv minst ett löfte."))
    for number, promise in enumerate(content["promises"], start=1):
        if not promise["title"] or not promise["description"]:
            raise ContentError(
                _("Löfte %(n)d behöver både en rubrik och en beskrivning.") % {"n": number}
            )
        if promise["responsible"] not in Responsible.values:
            raise ContentError(
                _("Löfte %(n)d: välj vem som ansvarar (kommunen, Polisen eller båda).")
                % {"n": number}
            )
    return content


def canonical_json(content: Content) -> str:
    return json.dumps(normalise(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(content: Content) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def content_of(promise_set: PromiseSet, promises: list[Promise] | None = None) -> Content:
    """The stored set as content: what its hash is computed from."""
    rows = promises if promises is not None else list(promise_set.promises.order_by("position"))
    return normalise(
        {
            "first_year": promise_set.first_year,
            "last_year": promise_set.last_year,
            "background": promise_set.background,
            "promises": [{key: getattr(row, key) for key in PROMISE_KEYS} for row in rows],
        }
    )
