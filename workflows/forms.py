"""Forms for the drafting pages. They check the input's shape; the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content as content_rules
from .models import Outcome, TaskKind

DECISION_KINDS = (TaskKind.MUNICIPAL_DECISION, TaskKind.POLICE_DECISION)


class VersionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 80, "spellcheck": "true"}),
        help_text=_("Skriv hela överenskommelsens text med de rubriker och fält som beskrivs här."),
        strip=False,
        error_messages={"required": _("Skriv versionens text. En version kan inte vara tom.")},
    )
    change_note = forms.CharField(
        label=_("Vad har ändrats?"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Kort om vad du ändrat och varför. Visas i versionslistan och i beslutsspåret."
        ),
        required=False,
        max_length=2000,
    )
    seen_latest = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    parent_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def clean_text(self) -> str:
        # Parsed and checked here too, so an empty text is an error at the field.
        text = self.cleaned_data["text"]
        try:
            content_rules.validate(content_rules.from_markdown(text))
        except content_rules.ContentError as error:
            raise forms.ValidationError(str(error)) from None
        return text

    @property
    def content(self) -> dict[str, Any]:
        return content_rules.from_markdown(self.cleaned_data["text"])


class ApproveForm(forms.Form):
    """A button: the version is in the URL."""


class CompareForm(forms.Form):
    fran = forms.TypedChoiceField(label=_("Från version"), coerce=int)
    till = forms.TypedChoiceField(label=_("Till version"), coerce=int)

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(v.number, _version_choice(v)) for v in versions]
        self.fields["fran"].choices = choices
        self.fields["till"].choices = choices


def _version_choice(version: Any) -> str:
    return _("Version %(number)s (%(date)s, %(author)s)") % {
        "number": version.number,
        "date": timezone.localdate(version.created_at).isoformat(),
        "author": version.author.name,
    }


# -- deciding and signing (from an e-mail link or the inbox) --------------------------


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always 2021-06-18."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OutcomeRadios(forms.RadioSelect):
    """Radio buttons whose field id is the first button's, so that the error
    summary's link lands on a button (Django gives radio groups no label id)."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index)


class TaskForm(forms.Form):
    """What the page showed: the version's hash goes back with the answer, so a
    new version in between is refused instead of decided unseen."""

    version_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind


class DecisionForm(TaskForm):
    outcome = forms.ChoiceField(
        label=_("Beslut"),
        choices=Outcome.choices,
        widget=OutcomeRadios,
        error_messages={"required": _("Välj vad som beslutades.")},
    )
    meeting_date = forms.DateField(
        label=_("Sammanträdesdatum"),
        widget=DateInput,
        error_messages={
            "required": _("Ange datumet, till exempel 2023-03-20."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-03-20."),
        },
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"), required=False, max_length=20, help_text=_("Till exempel § 42.")
    )
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        required=False,
        max_length=50,
        help_text=_("Till exempel KS 2023/17."),
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Krävs vid återremiss: skriv vad som ska göras om."),
    )
    next_meeting_date = forms.DateField(
        label=_("Nytt sammanträdesdatum"),
        required=False,
        widget=DateInput,
        help_text=_("Bara vid bordläggning: när ärendet tas upp igen."),
        error_messages={
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-17."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.kind == TaskKind.POLICE_DECISION:
            self.fields["meeting_date"].label = _("Beslutsdatum")
            self.fields["paragraph"].help_text = ""
            self.fields["diarienummer"].help_text = _("Polisens diarienummer, om det finns.")

    def clean(self) -> dict[str, Any]:
        # The service refuses these too; here they land at the right field.
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.ATERREMISS and not data.get("note", "").strip():
            self.add_error(
                "note", _("Vid återremiss: skriv vad som ska göras om, så vet skribenterna.")
            )
        if outcome == Outcome.BORDLAGGNING and "next_meeting_date" not in self.errors:
            later, meeting = data.get("next_meeting_date"), data.get("meeting_date")
            if later is None or (meeting is not None and later <= meeting):
                self.add_error(
                    "next_meeting_date",
                    _("Vid bordläggning: ange ett senare sammanträdesdatum."),
                )
        return data


class SignatureForm(TaskForm):
    place = forms.CharField(
        label=_("Ort"),
        max_length=100,
        help_text=_("Där du undertecknar, till exempel Höör."),
        error_messages={"required": _("Ange ort, till exempel Höör.")},
    )
    signed_on = forms.DateField(
        label=_("Datum"),
        widget=DateInput,
        error_messages={
            "required": _("Ange datumet, till exempel 2023-04-11."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-11."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_signed_on(self) -> Any:
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("Ange dagens datum eller ett tidigare datum."))
        return signed_on


def task_form_class(kind: str) -> type[TaskForm]:
    return DecisionForm if kind in DECISION_KINDS else SignatureForm


# -- the period in force: revision, renewal, termination (views/lifecycle.py) ---------


class RevisionOpenForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför revideras överenskommelsen?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Till exempel vad en uppföljning visade. Står i beslutsspåret och i e-posten "
            "till parterna."
        ),
    )


class ConfirmForm(forms.Form):
    """A button: everything the action needs is in the URL."""


class TerminateForm(forms.Form):
    """Reason and date first; ``confirmed`` is set by the button on the warning page
    that follows, so nothing is terminated by one click."""

    reason = forms.CharField(
        label=_("Skäl för uppsägningen"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Står i beslutsspåret och i e-posten till den andra parten."),
        error_messages={"required": _("Skriv skälet till uppsägningen.")},
    )
    ends_on = forms.DateField(
        label=_("Upphör att gälla"),
        widget=DateInput,
        help_text=_("I dag eller ett tidigare datum, senast periodens sista dag."),
        error_messages={
            "required": _("Ange datumet då överenskommelsen upphör, till exempel 2024-05-31."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2024-05-31."),
        },
    )
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, period_end: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period_end = period_end
        latest = min(timezone.localdate(), period_end)
        self.fields["ends_on"].widget.attrs["max"] = latest.isoformat()

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Skriv skälet till uppsägningen."))
        return reason

    def clean_ends_on(self) -> Any:
        # The service refuses these too; here they land at the field.
        ends_on = self.cleaned_data["ends_on"]
        if ends_on > timezone.localdate():
            raise forms.ValidationError(
                _("Uppsägningen gäller från i dag eller ett tidigare datum.")
            )
        if ends_on > self.period_end:
            raise forms.ValidationError(
                _("Ange ett datum senast periodens sista dag, %(date)s.")
                % {"date": self.period_end.isoformat()}
            )
        return ends_on
