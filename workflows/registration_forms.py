"""The form for "Registrera befintlig överenskommelse" (views/register.py): the
agreement's facts, its text, and its decisions and signatures as the source
document gives them. Every decision and signature fact is optional: what the
document does not give stays empty and reads "uppgift saknas i underlaget"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, PeriodFields, VersionText, pairs_of, party_choices, show_marks
from .importer import ImportResult
from .models import AgreementKind, Body, DecidingBody, FollowUpCadence, SignatoryRole, Track
from .services.common import paragraph_of
from .services.registration import RegisteredDecision, RegisteredSignature, facts_from


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Skriv datumet som år-månad-dag, till exempel 2019-03-11.")},
    )


def _text(label, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


# The two signatories: the form's field prefix and their role.
SIGNERS = (("ks", SignatoryRole.KS_ORDFORANDE), ("lpo", SignatoryRole.LPO_CHEF))


class RegisterForm(VersionText, PeriodFields):
    document = forms.FileField(
        label=_("Källdokument (PDF, Word, text eller Markdown)"),
        required=False,
        help_text=_(
            "Högst 20 MB. Texten läses ur dokumentet och du granskar den innan något sparas."
        ),
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, required=False)
    parties = forms.ChoiceField(label=_("Parter"), error_messages={"required": _("Välj parterna.")})
    kind = forms.ChoiceField(label=_("Typ"), choices=AgreementKind.choices)
    deciding_body = forms.ChoiceField(label=_("Beslutande organ"), choices=DecidingBody.choices)
    title = forms.CharField(
        label=_("Titel"), max_length=300, error_messages={"required": _("Ange titeln.")}
    )
    follow_up_cadence = forms.ChoiceField(
        label=_("Uppföljning"), choices=FollowUpCadence.choices, initial="yearly"
    )
    text = forms.CharField(
        label=_("Överenskommelsens text"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "spellcheck": "true"}),
        strip=False,
        help_text=_("Texten som den beslutades och undertecknades."),
        error_messages={"required": _("Skriv in eller ladda upp överenskommelsens text.")},
    )
    municipal_decided_on = _date(_("Kommunens beslutsdatum"))
    municipal_paragraph = _text(_("Paragraf (§)"), 20)
    municipal_diarienummer = _text(_("Kommunens diarienummer"), 50)
    police_decided_on = _date(_("Polisens beslutsdatum"))
    police_diarienummer = _text(_("Polisens diarienummer"), 50)
    signed = forms.BooleanField(
        label=_("Överenskommelsen är undertecknad av båda parter"),
        required=False,
        help_text=_(
            "Lämna omarkerat om den är beslutad men inte undertecknad: då får "
            "undertecknarna länkar för underskrift."
        ),
    )
    ks_name = _text(_("Kommunens undertecknare"))
    ks_title = _text(_("Titel"))
    ks_place = _text(_("Ort"), 100)
    ks_signed_on = _date(_("Datum"))
    lpo_name = _text(_("Polisens undertecknare"))
    lpo_title = _text(_("Titel"))
    lpo_place = _text(_("Ort"), 100)
    lpo_signed_on = _date(_("Datum"))
    duplicate_reason = forms.CharField(
        label=_("Varför behövs en till?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(
        self, *args: Any, parties: list, marks: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].required = self.fields["period_end"].required = True
        show_marks(self, marks)
        self.pairs = pairs_of(parties)
        self.fields["parties"].choices = party_choices(self.pairs)

    def decisions(self) -> list[RegisteredDecision]:
        data = self.cleaned_data
        return [
            RegisteredDecision(
                Track.MUNICIPAL,
                data["deciding_body"],
                data["municipal_decided_on"],
                paragraph_of(data["municipal_paragraph"]),
                data["municipal_diarienummer"],
            ),
            RegisteredDecision(
                Track.POLICE, Body.LPO, data["police_decided_on"], "", data["police_diarienummer"]
            ),
        ]

    def signatures(self) -> list[RegisteredSignature]:
        data = self.cleaned_data
        if not data["signed"]:
            return []
        return [
            RegisteredSignature(
                role,
                data[f"{prefix}_name"],
                data[f"{prefix}_title"],
                data[f"{prefix}_place"],
                data[f"{prefix}_signed_on"],
            )
            for prefix, role in SIGNERS
        ]


def facts_initial(result: ImportResult) -> dict[str, Any]:
    """The decisions and signatures the document gives, as the form's starting values
    (the rest comes from ``document_review.review``); nothing it does not give."""
    decisions, signatures = facts_from(result, result.deciding_body or "")
    municipal = decisions[0]
    initial: dict[str, Any] = {
        "signed": bool(signatures),
        "municipal_decided_on": municipal.decided_on,
        "municipal_paragraph": municipal.paragraph,
        "municipal_diarienummer": municipal.diarienummer,
    }
    if result.decision is not None:
        initial["deciding_body"] = result.decision.body
    for prefix, role in SIGNERS:
        for signature in signatures:
            if signature.role == role:
                initial[f"{prefix}_name"] = signature.name
                initial[f"{prefix}_title"] = signature.title
                initial[f"{prefix}_place"] = signature.place
                initial[f"{prefix}_signed_on"] = signature.signed_on
    return {key: value for key, value in initial.items() if value not in (None, "")}
