"""Forms for the promises pages. They check the input's shape; the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.forms import DateInput, OutcomeRadios, TaskForm, announcement_url, signing_password
from workflows.models import TaskKind
from workflows.services import oidc

from .models import Answer, FollowUpStatus, Responsible

DATE_ERRORS = {
    "required": _("Ange datumet, till exempel 2023-04-11."),
    "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-11."),
}


class PromiseSetCreateForm(forms.Form):
    first_year = forms.IntegerField(
        label=_("Från och med år"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Ange det första året, till exempel 2023.")},
    )
    last_year = forms.IntegerField(
        label=_("Till och med år"),
        min_value=2000,
        max_value=2100,
        help_text=_("Samma år om löftena gäller ett år."),
        error_messages={"required": _("Ange det sista året, till exempel 2024.")},
    )


class BackgroundForm(forms.Form):
    background = forms.CharField(
        label=_("Bakgrund och lägesbild"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Kort om lägesbilden som löftena bygger på. Visas på den publika sidan."),
    )
    seen_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PromiseForm(forms.Form):
    """One promise. An empty extra form is left out; a promise is removed with DELETE."""

    title = forms.CharField(
        label=_("Löfte"),
        max_length=300,
        error_messages={"required": _("Skriv löftets rubrik.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Vad kommunen och Polisen lovar att göra, på vanlig svenska."),
        error_messages={"required": _("Beskriv löftet.")},
    )
    responsible = forms.ChoiceField(
        label=_("Ansvarig"),
        choices=[("", _("Välj")), *Responsible.choices],
        error_messages={"required": _("Välj vem som ansvarar.")},
    )
    unit = forms.CharField(
        label=_("Ansvarig enhet"),
        required=False,
        max_length=300,
        help_text=_("Till exempel Kommunledningskontoret eller Kommunpolisen."),
    )
    measure = forms.CharField(
        label=_("Så följs det upp"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_("Hur ni ser att löftet hålls, till exempel antal nya grannsamverkansområden."),
    )


# Two empty forms for new promises; existing ones can be removed (DELETE). An
# untouched empty form is not validated (Django's empty_permitted for extra forms).
PromiseFormSet = forms.formset_factory(
    PromiseForm, extra=2, max_num=30, absolute_max=30, can_delete=True, can_delete_extra=False
)


class ApproveForm(forms.Form):
    """A button; the content hash is what the drafter read."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AnswerForm(TaskForm):
    """The KS-ordförande's or the LPO-chef's answer. ``version_hash`` carries the
    set's content hash: what the page showed is what is signed."""

    answer = forms.ChoiceField(
        label=_("Ditt beslut"),
        choices=[
            (Answer.SIGNED, _("Jag beslutar och undertecknar medborgarlöftena")),
            (Answer.RETURNED, _("Skicka tillbaka till skribenterna")),
        ],
        widget=OutcomeRadios,
        error_messages={"required": _("Välj om du undertecknar eller skickar tillbaka.")},
    )
    place = forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=100,
        help_text=_("Där du undertecknar, till exempel Höör."),
    )
    signed_on = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=DateInput,
        help_text=_("Dagens datum eller tidigare."),
        error_messages=DATE_ERRORS,
    )
    reason = forms.CharField(
        label=_("Vad behöver ändras?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Skribenterna får texten i e-post."),
    )

    password = signing_password(required=False)

    delegation_point = forms.CharField(
        label=_("Beslutat på delegation: punkt i delegationsordningen"),
        required=False,
        max_length=100,
        help_text=_(
            "Fyll i om du beslutar på kommunstyrelsens vägnar, till exempel 1.4. "
            "Nämndsekreteraren anmäler då beslutet till kommunstyrelsen. Lämna tomt om "
            "kommunstyrelsen redan har beslutat."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if self.kind != TaskKind.PROMISES_KS:
            del self.fields["delegation_point"]  # the KS decides by delegation; the Police not
        if oidc.configured():  # identified by the e-identity instead
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        # The services refuse these too; here they land at the right field.
        data = super().clean()
        if data.get("answer") == Answer.SIGNED:
            if not (data.get("place") or "").strip():
                self.add_error("place", _("Ange ort, till exempel Höör."))
            signed_on = data.get("signed_on")
            if signed_on is None and "signed_on" not in self.errors:
                self.add_error("signed_on", DATE_ERRORS["required"])
            elif signed_on is not None and signed_on > timezone.localdate():
                self.add_error("signed_on", _("Ange dagens datum eller ett tidigare datum."))
            if "password" in self.fields and not data.get("password"):
                self.add_error("password", _("Skriv ditt lösenord för att underteckna."))
        if data.get("answer") == Answer.RETURNED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Skriv vad som behöver ändras."))
        return data


class FollowUpForm(forms.Form):
    promise = forms.TypedChoiceField(label=_("Löfte"), coerce=int)
    status = forms.ChoiceField(
        label=_("Läge"),
        choices=FollowUpStatus.choices,
        widget=OutcomeRadios,
        error_messages={"required": _("Välj hur långt arbetet har kommit.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Vad som har gjorts, på vanlig svenska. Visas på den publika sidan: "
            "skriv inga namn eller andra personuppgifter."
        ),
        error_messages={"required": _("Skriv en kort kommentar om vad som har gjorts.")},
    )
    reported_on = forms.DateField(label=_("Datum"), widget=DateInput, error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, promises: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["promise"].choices = [(p.pk, p.title) for p in promises]
        self.fields["reported_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int)
    summary = forms.CharField(
        label=_("Sammanfattning"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "Vad som har gjorts och vad det har gett, för lokala BRÅ och invånarna. "
            "Rapporten visas på den publika sidan med varje löftes läge just nu."
        ),
        error_messages={"required": _("Skriv en sammanfattning av året.")},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class AnmalanForm(forms.Form):
    """The nämndsekreterare: where the delegated decision was anmält, and when the
    protocol (or the decision itself) was announced."""

    meeting_date = forms.DateField(
        label=_("Kommunstyrelsens sammanträde där beslutet anmäldes"),
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        max_length=20,
        error_messages={"required": _("Ange paragrafen (§) där beslutet anmäldes.")},
    )
    announced_on = forms.DateField(
        label=_("Tillkännagivet"),
        widget=DateInput,
        help_text=_(
            "Dagen då det justerade protokollet anslogs; överklagandetiden räknas från den."
        ),
        error_messages=DATE_ERRORS,
    )
    announced_separately = forms.BooleanField(
        label=_("Beslutet tillkännagavs för sig, inte med protokollet"), required=False
    )
    url = announcement_url()


class LagaKraftForm(forms.Form):
    on = forms.DateField(label=_("Laga kraft från"), widget=DateInput, error_messages=DATE_ERRORS)
