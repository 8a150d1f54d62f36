"""Forms for the drafting pages. They check the input's shape; the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content as content_rules
from .models import (
    AgreementKind,
    AppealOutcome,
    DecidingBody,
    FollowUpCadence,
    Organisation,
    Outcome,
    StepKind,
    TaskKind,
)
from .services import oidc
from .services.common import paragraph_of
from .services.decision_steps import MAX_DOCUMENT_BYTES, StepInput
from .services.decisions import POLICE_OUTCOMES, DecisionInput
from .services.lifecycle import TerminationDecision
from .uploads import ACCEPT
from .uploads import limit as upload_limit

DECISION_KINDS = (TaskKind.MUNICIPAL_DECISION, TaskKind.POLICE_DECISION)


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always 2021-06-18."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodFields(forms.Form):
    """An agreement's period, the same on every form that sets one: both days or
    neither (optional forms keep the period as it is), the end not before the start."""

    period_start = forms.DateField(
        label=_("Gäller från"),
        widget=DateInput,
        required=False,
        error_messages={
            "required": _("Ange periodens första dag, till exempel 2027-01-01."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2027-01-01."),
        },
    )
    period_end = forms.DateField(
        label=_("Gäller till och med"),
        widget=DateInput,
        required=False,
        error_messages={
            "required": _("Ange periodens sista dag, till exempel 2028-12-31."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2028-12-31."),
        },
    )

    @property
    def period(self) -> tuple[Any, Any] | None:
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        return (start, end) if start and end else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if "period_start" in self.fields and bool(start) != bool(end):
            missing = "period_end" if start else "period_start"
            if missing not in self.errors:
                self.add_error(missing, _("Ange både periodens första och sista dag."))
        if start and end and end < start:
            self.add_error(
                "period_end", _("Periodens sista dag kan inte ligga före dess första dag.")
            )
        return data


class VersionText:
    """A form with a version's ``text``: parsed and checked at the field, so an empty
    or malformed text is an error there, and its ``content`` as a version holds it."""

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            content_rules.validate(content_rules.from_markdown(text))
        except content_rules.ContentError as error:
            raise forms.ValidationError(str(error)) from None
        return text

    @property
    def content(self) -> dict[str, Any]:
        return content_rules.from_markdown(self.cleaned_data["text"])


def show_marks(form: forms.Form, marks: dict[str, Any] | None) -> None:
    """Beside each field, where the value read from a document came from
    (document_review.review); the period's mark goes on its first day."""
    for name, mark in (marks or {}).items():
        target = "period_start" if name == "period" else name
        if target in form.fields:
            form.fields[target].help_text = mark


class VersionForm(VersionText, PeriodFields):
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
    kind = forms.ChoiceField(label=_("Typ"), required=False, choices=AgreementKind.choices)
    deciding_body = forms.ChoiceField(
        label=_("Beslutande organ"), required=False, choices=DecidingBody.choices
    )
    follow_up_cadence = forms.ChoiceField(
        label=_("Uppföljning"), required=False, choices=FollowUpCadence.choices
    )
    # The period and these facts only before the agreement has been in force
    # (drafting.period_editable); left out, they stay as they are.
    FACTS = ("kind", "deciding_body", "follow_up_cadence")
    field_order = ["text", "change_note"]

    parties = forms.ChoiceField(label=_("Parter"), required=False)

    def __init__(
        self, *args: Any, with_period: bool = False, parties: list | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_period:
            for name in ("period_start", "period_end", *self.FACTS):
                del self.fields[name]
        # Before the joint proposal the parties may change too (drafting.version_submit).
        self.pairs = pairs_of(parties or [])
        if self.pairs:  # the agreement's own parties first, as chosen
            self.fields["parties"].initial = next(iter(self.pairs))
            self.fields["parties"].choices = party_choices(self.pairs)
        else:
            del self.fields["parties"]

    @property
    def chosen_parties(self) -> tuple[Any, Any] | None:
        return self.pairs.get(self.cleaned_data.get("parties") or "")

    @property
    def facts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or "" for name in self.FACTS if name in self.fields
        }


class ApproveForm(forms.Form):
    """The version is in the URL; the drafter may say when the decision is needed."""

    decide_by = forms.DateField(
        label=_("Beslut önskas senast"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Till beslutsfattarna, som påminns före datumet. Lämnas det tomt gäller "
            "%(days)d dagar efter det gemensamma förslaget."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decide_by"]
        field.help_text = field.help_text % {"days": settings.ESCALATE_AFTER_DAYS}


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


def announcement_url() -> forms.URLField:
    """The link to a tillkännagivande on the kommun's anslagstavla."""
    return forms.URLField(
        label=_("Länk till tillkännagivandet"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Skriv en hel webbadress, till exempel https://…")},
    )


def _decision_date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput,
        error_messages={
            "required": _("Ange datumet, till exempel 2023-03-20."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-03-20."),
        },
    )


def _outcome(choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Beslut"),
        choices=choices,
        widget=OutcomeRadios,
        error_messages={"required": _("Välj vad som beslutades.")},
    )


class DecisionForm(TaskForm):
    """The kommun's decision, as its protocol has it: a meeting, a § and the ärende's
    diarienummer. The service checks the same rules; here they land at the field."""

    outcome = _outcome(Outcome.choices)
    meeting_date = _decision_date(_("Sammanträdesdatum"))
    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        required=False,  # not for a decision by delegation (``clean``)
        max_length=20,
        help_text=_("Till exempel § 42."),
    )
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        max_length=50,
        help_text=_("Ärendets diarienummer, till exempel KS 2023/17."),
        error_messages={"required": _("Ange ärendets diarienummer.")},
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

    # A revision that only changes the action plan may be decided by a delegate.
    delegation_point = forms.CharField(
        label=_("Beslutat på delegation: punkt i delegationsordningen"),
        required=False,
        max_length=100,
        help_text=_(
            "Bara om revideringen beslutas av en delegat på kommunstyrelsens vägnar, till "
            "exempel 1.4. Lämna tomt för ett beslut i sammanträde."
        ),
    )
    decided_by = forms.CharField(
        label=_("Delegat"),
        required=False,
        max_length=200,
        help_text=_("Vid beslut på delegation: namn och titel på den som beslutade."),
    )

    def __init__(self, *args: Any, delegable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not delegable and "delegation_point" in self.fields:
            del self.fields["delegation_point"], self.fields["decided_by"]

    @property
    def detail_fields(self) -> list[Any]:
        return [field for field in self.visible_fields() if field.name != "outcome"]

    def clean_meeting_date(self) -> Any:
        day = self.cleaned_data["meeting_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Beslutsdatumet kan inte ligga i framtiden."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        outcome = data.get("outcome")
        delegated = bool((data.get("delegation_point") or "").strip())
        if "paragraph" in self.fields and not delegated:
            if not paragraph_of(data.get("paragraph") or ""):
                self.add_error("paragraph", _("Ange paragrafen (§) i protokollet."))
        if delegated and not (data.get("decided_by") or "").strip():
            self.add_error("decided_by", _("Ange vem som beslutade på delegation."))
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

    def decision_input(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(**{name: data[name] for name in self.fields if name != "version_hash"})


class PoliceDecisionForm(DecisionForm):
    """The Police decide in the line: a beslutsdatum, the Police's diarienummer, who
    decided and who presented. No meeting, no §, no bordläggning."""

    outcome = _outcome([(value, Outcome(value).label) for value in POLICE_OUTCOMES])
    meeting_date = _decision_date(_("Beslutsdatum"))
    diarienummer = forms.CharField(
        label=_("Polisens diarienummer"),
        max_length=50,
        help_text=_("Till exempel A123.456/2023."),
        error_messages={"required": _("Ange Polisens diarienummer.")},
    )
    decided_by = forms.CharField(
        label=_("Beslutsfattare"),
        max_length=200,
        help_text=_("Lokalpolisområdeschefen, eller ersättaren som beslutade."),
        error_messages={"required": _("Ange vem som fattade beslutet.")},
    )
    presenter = forms.CharField(
        label=_("Föredragande"),
        required=False,
        max_length=200,
        help_text=_("Oftast kommunpolisen."),
    )
    paragraph = None
    next_meeting_date = None
    delegation_point = None

    field_order = ["outcome", "meeting_date", "diarienummer", "decided_by", "presenter", "note"]


def signing_password(required: bool = True) -> forms.CharField:
    """The signatory's own password, asked for again at the moment of signing: who
    can read their mailbox cannot sign for them (services/identity.py)."""
    return forms.CharField(
        label=_("Ditt lösenord i Samverkan"),
        required=required,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Underskriften kräver att du identifierar dig just nu. Lösenordet sparas inte "
            "med underskriften; att det var du står i beslutsspåret."
        ),
        error_messages={"required": _("Skriv ditt lösenord för att underteckna.")},
    )


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
    password = signing_password()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if oidc.configured():  # identified by the e-identity instead
            del self.fields["password"]

    def clean_signed_on(self) -> Any:
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("Ange dagens datum eller ett tidigare datum."))
        return signed_on


class JusteringForm(TaskForm):
    """The protocol with the kommun's bifall is justerad; the anslag may be up too."""

    justerad_on = _decision_date(_("Justeringsdatum"))
    justerare = forms.CharField(
        label=_("Justerare"),
        max_length=300,
        help_text=_("Ordföranden och den eller de som justerade protokollet."),
        error_messages={"required": _("Ange justerarnas namn.")},
    )
    anslag_on = forms.DateField(
        label=_("Anslaget på kommunens anslagstavla"),
        required=False,
        widget=DateInput,
        help_text=_("Om tillkännagivandet redan är uppsatt. Annars registreras det senare."),
        error_messages={"invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-20.")},
    )
    anslag_url = announcement_url()

    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        max_length=20,
        help_text=_("Paragrafen i kommunstyrelsens protokoll där beslutet anmäldes."),
        error_messages={"required": _("Ange paragrafen (§) där beslutet anmäldes.")},
    )

    def __init__(self, *args: Any, legal: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        self.fields["justerad_on"].widget.attrs["max"] = today
        self.fields["anslag_on"].widget.attrs["max"] = today
        # A decision by delegation is anmäld to a KS meeting, not justerad.
        if legal is not None and legal.delegated:
            del self.fields["justerare"]
            self.fields["justerad_on"].label = _("Kommunstyrelsens sammanträde där det anmäldes")
            self.fields["anslag_on"].help_text = _(
                "Dagen då det justerade protokollet (eller beslutet självt) anslogs; "
                "överklagandetiden räknas från den."
            )
        else:
            del self.fields["paragraph"]
        # Back on the task in a kommun that waits for laga kraft: what is recorded
        # is not asked again.
        if legal is not None and legal.protocol is not None:
            for name in ("justerad_on", "justerare", "paragraph"):
                self.fields.pop(name, None)
        if legal is not None and legal.anslag is not None:
            del self.fields["anslag_on"], self.fields["anslag_url"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        justerad, anslag = data.get("justerad_on"), data.get("anslag_on")
        for name in ("justerad_on", "anslag_on"):
            day = data.get(name)
            if day and day > timezone.localdate():
                self.add_error(name, _("Datumet kan inte ligga i framtiden."))
        if justerad and anslag and anslag < justerad:
            self.add_error("anslag_on", _("Anslaget kan inte ligga före justeringen."))
        if data.get("anslag_url") and not anslag:
            self.add_error("anslag_on", _("Ange anslagsdagen till länken."))
        return data


class StepForm(forms.Form):
    """One thing that befell the kommun's decision; ``kind`` says which, and the
    service checks what that kind needs (services/decision_steps.py)."""

    kind = forms.ChoiceField(choices=StepKind.choices, widget=forms.HiddenInput)
    on = forms.DateField(
        label=_("Datum"),
        widget=DateInput,
        error_messages={
            "required": _("Ange datumet, till exempel 2023-04-20."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2023-04-20."),
        },
    )
    names = forms.CharField(label=_("Domstol"), required=False, max_length=300)
    case_number = forms.CharField(label=_("Målnummer"), required=False, max_length=50)
    url = announcement_url()
    appeal_outcome = forms.ChoiceField(
        label=_("Utgång"), required=False, choices=[("", "–"), *AppealOutcome.choices]
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    document = forms.FileField(
        label=_("Dokument (PDF)"),
        required=False,
        help_text=_("Protokollsutdraget med kommunens beslut, eller Polisens beslut."),
    )

    def step_input(self) -> StepInput:
        data = self.cleaned_data
        upload = data.get("document")
        return StepInput(
            kind=data["kind"],
            on=data["on"],
            names=data["names"],
            url=data["url"],
            case_number=data["case_number"],
            appeal_outcome=data["appeal_outcome"],
            note=data["note"],
            document=upload.read(MAX_DOCUMENT_BYTES + 1) if upload else b"",
            document_name=upload.name if upload else "",
        )


class KommunSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["signing_after"]
        widgets = {"signing_after": OutcomeRadios}
        labels = {"signing_after": _("Underskrift efter kommunens beslut får ske")}
        help_texts = {
            "signing_after": _(
                "Efter justeringen: underskriften kan ske medan beslutet ännu kan "
                "överklagas, och sidan säger att beslutet inte har vunnit laga kraft. "
                "Efter laga kraft: underskriften väntar tills nämndsekreteraren har "
                "bekräftat att inget överklagande kom in."
            )
        }


def task_form_class(kind: str) -> type[TaskForm]:
    return {
        TaskKind.MUNICIPAL_DECISION: DecisionForm,
        TaskKind.POLICE_DECISION: PoliceDecisionForm,
        TaskKind.MUNICIPAL_PROTOCOL: JusteringForm,
    }.get(kind, SignatureForm)


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


class RenewForm(PeriodFields):
    """The next period, suggested (services/lifecycle.next_period) and editable; left
    out, the suggestion is taken. The follow-up cadence starts as the old one's."""

    follow_up_cadence = forms.ChoiceField(
        label=_("Uppföljning"), required=False, choices=FollowUpCadence.choices
    )


class TerminateForm(forms.Form):
    """The party's decision, reason and end date first; ``confirmed`` is set by the
    button on the warning page that follows, so nothing is terminated by one click.
    The end date may lie ahead: the agreement then applies until it (the notice)."""

    reason = forms.CharField(
        label=_("Skäl för uppsägningen"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Står i beslutsspåret och i e-posten till den andra parten."),
        error_messages={"required": _("Skriv skälet till uppsägningen.")},
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        widget=DateInput,
        help_text=_("Dagen då partens beslut om uppsägning fattades."),
        error_messages={
            "required": _("Ange beslutsdatumet, till exempel 2024-05-31."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2024-05-31."),
        },
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        required=False,
        max_length=20,
        help_text=_("Kommunens beslut: paragrafen i protokollet."),
    )
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        max_length=50,
        error_messages={"required": _("Ange beslutets diarienummer.")},
    )
    notice_months = forms.IntegerField(
        label=_("Uppsägningstid i månader"),
        min_value=0,
        max_value=60,
        help_text=_("Den uppsägningstid överenskommelsen anger; 0 om den inte anger någon."),
        error_messages={"required": _("Ange uppsägningstiden, 0 om ingen.")},
    )
    ends_on = forms.DateField(
        label=_("Upphör att gälla"),
        widget=DateInput,
        help_text=_(
            "I dag eller tidigare: den upphör genast. Ett senare datum: den gäller till "
            "och med det, senast periodens sista dag."
        ),
        error_messages={
            "required": _("Ange datumet då överenskommelsen upphör, till exempel 2024-05-31."),
            "invalid": _("Skriv datumet som år-månad-dag, till exempel 2024-05-31."),
        },
    )
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, period_end: Any, police: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period_end = period_end
        self.fields["ends_on"].widget.attrs["max"] = period_end.isoformat()
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if police:  # a line decision: no protocol, no §
            del self.fields["paragraph"]
            self.fields["diarienummer"].label = _("Polisens diarienummer")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Skriv skälet till uppsägningen."))
        return reason

    def clean_ends_on(self) -> Any:
        # The service refuses these too; here they land at the field.
        ends_on = self.cleaned_data["ends_on"]
        if ends_on > self.period_end:
            raise forms.ValidationError(
                _("Ange ett datum senast periodens sista dag, %(date)s.")
                % {"date": self.period_end.isoformat()}
            )
        return ends_on

    @property
    def decision(self) -> TerminationDecision:
        data = self.cleaned_data
        return TerminationDecision(
            decided_on=data["decided_on"],
            diarienummer=data["diarienummer"],
            paragraph=data.get("paragraph", ""),
            notice_months=data["notice_months"],
        )


# -- starting an agreement (views/start.py) -----------------------------------------


BLANK = "tom"
DOCUMENT = "dokument"


def pairs_of(parties: list) -> dict[str, tuple[Any, Any]]:
    """The drafter's (kommun, LPO) pairs by the parties field's value."""
    return {f"{kommun.pk}-{lpo.pk}": (kommun, lpo) for kommun, lpo in parties}


def party_choices(pairs: dict[str, tuple[Any, Any]]) -> list[tuple[str, str]]:
    return [(key, f"{k.name} {_('och')} {lpo.name}") for key, (k, lpo) in pairs.items()]


class AgreementStartForm(PeriodFields):
    """Ny överenskommelse: the parties, kind, deciding body, period and cadence, and
    what version 1 starts from. The service checks the same (drafting.agreement_create)."""

    parties = forms.ChoiceField(label=_("Parter"), error_messages={"required": _("Välj parterna.")})
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=AgreementKind.choices,
        widget=OutcomeRadios,
        error_messages={"required": _("Välj vilken typ av överenskommelse det är.")},
    )
    deciding_body = forms.ChoiceField(
        label=_("Beslutande organ"),
        required=False,
        choices=[
            ("", _("Som typen brukar: fullmäktige för strategisk, annars styrelsen")),
            *DecidingBody.choices,
        ],
    )
    title = forms.CharField(
        label=_("Titel"),
        required=False,
        max_length=300,
        help_text=_("Lämna tomt för en titel av typ, kommun och år."),
    )
    follow_up_cadence = forms.ChoiceField(
        label=_("Uppföljning"), choices=FollowUpCadence.choices, initial="yearly"
    )
    start_from = forms.ChoiceField(
        label=_("Version 1 utgår från"),
        widget=OutcomeRadios,
        error_messages={"required": _("Välj vad texten ska utgå från.")},
    )
    document = forms.FileField(
        label=_("Dokumentet att ladda upp"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    duplicate_reason = forms.CharField(
        label=_("Varför behövs en till?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Till exempel: den befintliga avser bara en kommundel. Står i beslutsspåret."),
    )

    field_order = ["parties", "kind", "deciding_body", "title", "period_start", "period_end"]

    def __init__(self, *args: Any, parties: list, sources: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].required = self.fields["period_end"].required = True
        self.pairs = pairs_of(parties)
        self.fields["parties"].choices = party_choices(self.pairs)
        self.sources = {str(a.pk): a for a in sources}
        self.fields["start_from"].choices = [
            (BLANK, _("En tom struktur med vägledning i varje avsnitt")),
            *[
                (key, _("Texten i %(title)s") % {"title": a.title})
                for key, a in self.sources.items()
            ],
            (DOCUMENT, _("Ladda upp ett dokument")),
        ]
        self.fields["document"].help_text = _(
            "PDF, Word (.docx), text (.txt) eller Markdown (.md), högst %(mb)s MB och "
            "%(pages)s sidor. Du granskar det som läses ut bredvid dokumentets text innan "
            "något skapas; uppgifter du redan fyllt i ovan behålls."
        ) % {
            "mb": upload_limit("DOCUMENT_MAX_BYTES") // (1024 * 1024),
            "pages": upload_limit("DOCUMENT_MAX_PAGES"),
        }
        if self.from_document:
            # The document may give these; they are asked on the review page.
            for name in ("kind", "period_start", "period_end"):
                self.fields[name].required = False

    @property
    def from_document(self) -> bool:
        return self.is_bound and self.data.get("start_from") == DOCUMENT

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.from_document and not data.get("document") and "document" not in self.errors:
            self.add_error("document", _("Välj dokumentet att ladda upp."))
        end = data.get("period_end")
        if end and end < timezone.localdate():
            self.add_error(
                "period_end",
                _("Perioden har redan gått ut: ange en period som slutar i dag eller senare."),
            )
        return data


class DocumentReviewForm(VersionText, AgreementStartForm):
    """The review of an uploaded document (views/start.DocumentReviewView): the start
    page's facts and version 1's text, prefilled from what the importer found and
    each marked with where its value came from (document_review.review)."""

    text = forms.CharField(
        label=_("Texten i version 1"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 80, "spellcheck": "true"}),
        strip=False,
        error_messages={"required": _("Skriv versionens text. En version kan inte vara tom.")},
    )

    field_order = [
        "title",
        "parties",
        "period_start",
        "period_end",
        "kind",
        "deciding_body",
        "follow_up_cadence",
        "text",
    ]

    def __init__(
        self, *args: Any, parties: list, marks: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, parties=parties, sources=[], **kwargs)
        del self.fields["start_from"], self.fields["document"]
        self.fields["title"].help_text = ""
        show_marks(self, marks)

    @property
    def from_document(self) -> bool:
        return False  # the review asks for everything the blank start does


class CorrectionForm(forms.Form):
    """A rättelse: which fact, its right value, and why (services/corrections.py)."""

    field = forms.ChoiceField(label=_("Uppgift som ska rättas"))
    value = forms.CharField(
        label=_("Rätt värde"),
        max_length=200,
        help_text=_("Ett datum skrivs ÅÅÅÅ-MM-DD, till exempel 2023-04-20."),
        error_messages={"required": _("Ange det rättade värdet.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=2000,
        help_text=_("Till exempel: protokollet anger § 47, inte § 45."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Skriv varför uppgiften rättas.")},
    )

    def __init__(self, *args, fields: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        from .corrections import FIELD_WORDS

        self.fields["field"].choices = [(name, FIELD_WORDS[name].capitalize()) for name in fields]
