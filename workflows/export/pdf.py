"""The bundle's PDF: the agreement's text, its signature page and a certificate of
the trail, rendered from HTML (templates in workflows/export/) with WeasyPrint.

Names and titles come from the trail's ``EventActor`` rows, as they were when
each person acted, and fall back to the person's current name when those were
erased. WeasyPrint is imported here only, so nothing else needs Pango installed.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from .. import content as content_rules
from ..decision_status import in_force_basis
from ..models import Person
from ..registered import registration_view
from ..trail_actions import action_label, event_facts, states_of
from .bundle import Snapshot, names_of


def pdf_name(snapshot: Snapshot) -> str:
    return f"overenskommelse-{snapshot.agreement.pk}-v{snapshot.version.number}.pdf"


def _who(names: dict[str, str] | None, person: Person | None, title: str = "") -> dict[str, str]:
    if names is None:
        return {"name": person.name if person else "", "title": title, "on_behalf_of": ""}
    return names


def pdf_context(s: Snapshot) -> dict[str, Any]:
    by_object = {(e.object_type, e.object_id): e for e in s.events}

    def event_of(obj) -> Any:
        return by_object.get((obj._meta.model_name, str(obj.pk)))

    signatures = []
    for signature in s.signatures:
        event = event_of(signature)
        signatures.append(
            {
                "obj": signature,
                "who": _who(names_of(event), signature.person, signature.get_role_display()),
                "event": event,
                "bound": signature.version_hash == signature.version.content_hash,
            }
        )
    decisions = [
        {"obj": d, "who": _who(names_of(event_of(d)), d.recorded_by), "event": event_of(d)}
        for d in s.decisions
    ]
    in_force_id = s.agreement.version_in_force_id
    signed_numbers = {row["obj"].version.number for row in signatures}
    versions = [
        {
            "obj": v,
            "author": v.author.name,
            "in_force": v.pk == in_force_id,
            "signed": v.number in signed_numbers,
        }
        for v in s.versions
    ]
    events = [
        {
            "obj": e,
            "label": action_label(e),
            "who": _who(names_of(e), None),
            "states": " → ".join(states_of(e) or ()),
            "facts": event_facts(e, s.agreement),
        }
        for e in s.events
    ]
    return {
        "s": s,
        "agreement": s.agreement,
        "version": s.version,
        "is_in_force": s.version.pk == in_force_id,
        "in_force_version": next((v for v in s.versions if v.pk == in_force_id), None),
        "sections": content_rules.normalise(s.version.content)["sections"],
        "version_signatures": [r for r in signatures if r["obj"].version_id == s.version.pk],
        "signatures": signatures,
        "decisions": decisions,
        "versions": versions,
        "events": events,
        "head": s.head,
        "count": len(s.events),
        "signed_heads": [e for e in s.events if e.action == "agreement_signed"],
        "legal_basis": in_force_basis(s.agreement) if s.agreement.applies else None,
        "registered": registration_view(s.agreement),
    }


# PDF/A-2 level A: archival (fonts embedded, an sRGB output intent, no encryption)
# and tagged, so a screen reader can follow it. WeasyPrint calls its PDF/A support
# experimental; tests/export/test_sealed_pdf.py checks what it can beyond the claim.
PDF_VARIANT = "pdf/a-2a"


def pdf_render(snapshot: Snapshot) -> bytes:
    from weasyprint import HTML

    html = render_to_string("workflows/export/agreement.html", pdf_context(snapshot))
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
