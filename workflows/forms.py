"""Forms for the drafting pages. They check the input's shape; the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content as content_rules


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
