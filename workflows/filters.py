"""The auditor's filters: GET forms that only narrow what a page reads.

Plain Django forms (no django-filter): each turns the query string into the
arguments of a selector in ``audit_selectors`` and says what is wrong with it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_selectors import Period, Search
from .forms import DateInput
from .models import AgreementState

# Each kind of event as a filter offers it, in the order of the lifecycle. An
# action not listed here (a newer kind) is offered under its code, after these.
KIND_LABELS = {
    "agreement_created": _("Överenskommelsen skapades"),
    "version_submitted": _("Version inlämnad"),
    "version_approved": _("Skribentens godkännande"),
    "joint_proposal": _("Gemensamt förslag"),
    "decision_recorded": _("Beslut"),
    "signing_opened": _("Till underskrift"),
    "signature_added": _("Underskrift"),
    "agreement_signed": _("Undertecknad av båda"),
    "agreement_sealed": _("Sparad som PDF/A"),
    "entered_into_force": _("Började gälla"),
    "task_reminder": _("Påminnelse"),
    "task_escalated": _("Påminnelse till skribenterna"),
    "revision_opened": _("Revidering påbörjad"),
    "revision_closed": _("Revidering avbruten"),
    "expiry_warning": _("Varning före periodens slut"),
    "agreement_expired": _("Upphörde"),
    "agreement_terminated": _("Uppsägning"),
    "agreement_renewed": _("Förnyelse"),
}

EMAILS = "epost"

DATE_ERRORS = {"invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-11.")}


def kind_label(action: str) -> str:
    return str(KIND_LABELS.get(action, action))


def kind_choices(actions: set[str]) -> list[tuple[str, str]]:
    known = [action for action in KIND_LABELS if action in actions]
    newer = sorted(actions - set(KIND_LABELS))
    return [(action, kind_label(action)) for action in (*known, *newer)]


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        help_text=help_text,
        error_messages=DATE_ERRORS,
    )


def _check_range(form: forms.Form, start: str, end: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first is not None and last is not None and last < first:
        form.add_error(end, _("Slutdatumet ligger före startdatumet."))


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight in Swedish time, as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class TrailFilterForm(forms.Form):
    """Which events and e-mails of one agreement's trail to show."""

    handelse = forms.ChoiceField(label=_("Typ av händelse"), required=False)
    fran = _date_field(_("Från och med"), _("Datum, till exempel 2023-03-20."))
    till = _date_field(_("Till och med"), _("Datum, till exempel 2023-04-11."))

    def __init__(self, *args: Any, actions: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handelse"].choices = [
            ("", _("Alla händelser och all e-post")),
            *kind_choices(actions),
            (EMAILS, _("Bara e-post som skickades")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_range(self, "fran", "till")
        return data

    @property
    def kind(self) -> str:
        return self.cleaned_data.get("handelse", "") if self.is_valid() else ""

    def period(self) -> Period:
        """Whole days in Swedish time, both ends included."""
        if not self.is_valid():
            return Period()
        since, until = self.cleaned_data.get("fran"), self.cleaned_data.get("till")
        return Period(
            since=_start_of(since) if since else None,
            until=_start_of(until + datetime.timedelta(days=1)) if until else None,
        )

    @property
    def shows_events(self) -> bool:
        return self.kind != EMAILS

    @property
    def shows_emails(self) -> bool:
        return self.kind in ("", EMAILS)


class AgreementSearchForm(forms.Form):
    """The auditor's search; every field narrows, an empty form finds everything
    the auditor may read."""

    kommun = forms.ModelChoiceField(
        label=_("Kommun"), queryset=None, required=False, empty_label=_("Alla kommuner")
    )
    lokalpolisomrade = forms.ModelChoiceField(
        label=_("Lokalpolisområde"),
        queryset=None,
        required=False,
        empty_label=_("Alla lokalpolisområden"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + list(AgreementState.choices),
    )
    period_fran = _date_field(
        _("Gäller någon gång från och med"),
        _("Överenskommelser vars period överlappar de datum du anger."),
    )
    period_till = _date_field(_("Gäller någon gång till och med"))
    beslut_fran = _date_field(_("Sammanträdesdatum från och med"))
    beslut_till = _date_field(_("Sammanträdesdatum till och med"))
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        required=False,
        max_length=50,
        help_text=_("Hela eller en del, till exempel 2023/17."),
    )

    def __init__(self, *args: Any, kommuner: QuerySet, lpos: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommun"].queryset = kommuner
        self.fields["lokalpolisomrade"].queryset = lpos

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_range(self, "period_fran", "period_till")
        _check_range(self, "beslut_fran", "beslut_till")
        return data

    def search(self) -> Search:
        data = self.cleaned_data
        return Search(
            kommun=data.get("kommun"),
            lokalpolisomrade=data.get("lokalpolisomrade"),
            state=data.get("status", ""),
            period_from=data.get("period_fran"),
            period_to=data.get("period_till"),
            decided_from=data.get("beslut_fran"),
            decided_to=data.get("beslut_till"),
            diarienummer=data.get("diarienummer", "").strip(),
        )


class AgreementListForm(forms.Form):
    """Mina överenskommelser: every field narrows; an empty form shows them all."""

    titel = forms.CharField(label=_("Titeln innehåller"), required=False, max_length=100)
    part = forms.TypedChoiceField(label=_("Part"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + list(AgreementState.choices),
    )

    def __init__(self, *args: Any, parties: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", _("Alla parter")), *parties]
        self.several_parties = len(parties) > 1

    def filters(self) -> list[Q]:
        if not self.is_bound or not self.is_valid():
            return []
        data = self.cleaned_data
        found = []
        if data["titel"].strip():
            found.append(Q(title__icontains=data["titel"].strip()))
        if data["part"] is not None:
            found.append(Q(kommun_id=data["part"]) | Q(lokalpolisomrade_id=data["part"]))
        if data["status"]:
            found.append(Q(state=data["status"]))
        return found
