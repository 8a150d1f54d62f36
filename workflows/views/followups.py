"""Follow-up: the schedule on the agreement page, the report form, the submitted
report, and starting a revision from its recommendation. The services do the work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import followup_rules as rules
from .. import selectors
from ..agreement_lifecycle import AGREEMENT, BEFORE_FORCE, NO_FOLLOW_UP
from ..models import FollowUpReport, ItemStatus
from ..models.trail import Channel
from ..services import followups
from ..services.actors import today
from .base import AgreementMixin, ServiceFormView

# Where a due date stands, as the schedule on the agreement page says it.
SCHEDULE_LABELS = {
    "upcoming": gettext_lazy("Kommande"),
    "open": gettext_lazy("Att göra"),
    "submitted": gettext_lazy("Inlämnad"),
    "overdue": gettext_lazy("Försenad"),
    "missed": gettext_lazy("Ej inlämnad"),
}


@dataclass(frozen=True)
class ScheduleRow:
    entry: rules.DueDate
    report: FollowUpReport | None
    status: str

    @property
    def label(self) -> str:
        return str(SCHEDULE_LABELS[self.status])

    @property
    def writable(self) -> bool:
        return self.status in ("open", "overdue")


def schedule_rows(agreement) -> list[ScheduleRow]:
    """The agreement's due dates with their reports and status. One query.

    Before it comes into force every date is to come; a terminated agreement keeps
    the dates up to its end; a rejected one has none."""
    state = agreement.lifecycle_state
    if NO_FOLLOW_UP in state.traits:
        return []
    schedule = followups.schedule_of(agreement)
    if agreement.ended_on and agreement.ended_on < agreement.period_end:  # terminated early
        schedule = [entry for entry in schedule if entry.term_end <= agreement.ended_on]
    reports = selectors.follow_up_reports_of(agreement)
    day = today()
    active = agreement.allows("submit_followup")
    allowed = set(rules.reportable(schedule, day)) if active else set()
    rows = []
    for entry in schedule:
        report = reports.get(entry.due)
        if report is not None and report.is_submitted:
            status = "submitted"
        elif entry in allowed:
            status = "overdue" if entry.due < day else "open"
        elif entry.due >= day or BEFORE_FORCE in state.traits:
            status = "upcoming"
        else:
            status = "missed"
        rows.append(ScheduleRow(entry, report, status))
    return rows


def report_url(agreement_id: int, due: datetime.date) -> str:
    return reverse("workflows:followup_report", args=[agreement_id, due.isoformat()])


class FollowUpReportForm(forms.Form):
    """A status and a comment per area or measure (fields ``status_<key>`` and
    ``comment_<key>``), then the analysis, recommendations and the revision flag.
    Every field may be empty in a draft; the service requires what a submitted
    report must say."""

    analysis = forms.CharField(
        label=_("Analys"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "spellcheck": "true"}),
        help_text=_(
            "Vad visar uppföljningen? Hur har lägesbilden förändrats och hur har "
            "samverkan fungerat? Krävs för att lämna in."
        ),
    )
    recommendations = forms.CharField(
        label=_("Rekommendationer"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80, "spellcheck": "true"}),
        help_text=_("Vad bör parterna göra härnäst: fortsätta, ändra eller lägga till?"),
    )
    recommend_revision = forms.BooleanField(
        label=_("Vi rekommenderar att överenskommelsen revideras"),
        required=False,
        help_text=_(
            "När rapporten är inlämnad kan ni starta revideringen direkt från den, "
            "med rekommendationerna som skäl."
        ),
    )
    seen_edits = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, items: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [("", _("– Välj status –")), *ItemStatus.choices]
        for item in items:
            self.fields[f"status_{item['key']}"] = forms.ChoiceField(
                label=_("Status"), choices=choices, required=False
            )
            self.fields[f"comment_{item['key']}"] = forms.CharField(
                label=_("Kommentar"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
            )

    def sections(self) -> list[dict[str, Any]]:
        """The items with their two fields, grouped under their section heading."""
        grouped: list[dict[str, Any]] = []
        for item in self.items:
            if not grouped or grouped[-1]["heading"] != item["section"]:
                grouped.append({"heading": item["section"], "rows": []})
            grouped[-1]["rows"].append(
                {
                    "item": item,
                    "status": self[f"status_{item['key']}"],
                    "comment": self[f"comment_{item['key']}"],
                }
            )
        return grouped

    def report_input(self) -> followups.ReportInput:
        data = self.cleaned_data
        return followups.ReportInput(
            entries={
                item["key"]: {
                    "status": data.get(f"status_{item['key']}", ""),
                    "comment": data.get(f"comment_{item['key']}", ""),
                }
                for item in self.items
            },
            analysis=data.get("analysis", ""),
            recommendations=data.get("recommendations", ""),
            recommend_revision=data.get("recommend_revision", False),
        )


class FollowUpMixin(AgreementMixin):
    """The due date in the URL (``due``, 2024-01-02): 404 unless it is in the schedule."""

    @cached_property
    def entry(self) -> rules.DueDate:
        try:
            due = datetime.date.fromisoformat(self.kwargs["due"])
        except ValueError:
            raise Http404(_("Det finns ingen uppföljning för det datumet.")) from None
        entry = followups.entry_for(self.agreement, due)
        if entry is None:
            raise Http404(_("Det finns ingen uppföljning för det datumet."))
        return entry

    @cached_property
    def report(self) -> FollowUpReport | None:
        return selectors.follow_up_report(self.agreement, self.entry.due)

    @cached_property
    def writable(self) -> bool:
        """Whether the form is shown: a drafter, a report not handed in, and a due
        date the services would take today (they check again)."""
        if not self.drafter or (self.report is not None and self.report.is_submitted):
            return False
        if not self.agreement.allows("submit_followup"):
            return False
        schedule = followups.schedule_of(self.agreement)
        return self.entry in rules.reportable(schedule, today())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = self.report
        kwargs.setdefault("entry", self.entry)
        kwargs.setdefault("report", report)
        kwargs.setdefault("report_sections", _grouped(report.items) if report else [])
        kwargs.setdefault(
            "can_revise",
            bool(self.drafter)
            and report is not None
            and report.is_submitted
            and report.recommend_revision
            and self.agreement.allows("open_revision"),
        )
        kwargs.setdefault("submit_event", self.submit_event())
        kwargs.setdefault("reports_allowed", self.agreement.allows("submit_followup"))
        return super().get_context_data(**kwargs)

    def submit_event(self):
        if self.report is None or not self.report.is_submitted:
            return None
        return (
            self.agreement.events.filter(
                action=AGREEMENT.edge("submit_followup").action, object_id=str(self.report.pk)
            )
            .select_related("actor_names")
            .first()
        )


def _grouped(items: list[dict[str, str]]) -> list[dict[str, Any]]:
    labels = dict(ItemStatus.choices)
    grouped: list[dict[str, Any]] = []
    for item in items:
        if not grouped or grouped[-1]["heading"] != item["section"]:
            grouped.append({"heading": item["section"], "items": []})
        grouped[-1]["items"].append({**item, "status_label": labels.get(item["status"], "")})
    return grouped


class FollowUpReportView(FollowUpMixin, ServiceFormView):
    """The report for one due date: the form for a drafter while it can be written,
    otherwise the report as it stands (or why there is none)."""

    form_class = FollowUpReportForm
    template_name = "workflows/followup_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.writable:
            return self.render_report()
        return super().get(request, *args, **kwargs)

    def render_report(self, status: int = 200, **extra: Any) -> HttpResponse:
        context = self.get_context_data(form=extra.pop("form", None), **extra)
        return self.response_class(
            request=self.request,
            template=["workflows/followup_report.html"],
            context=context,
            status=status,
        )

    @cached_property
    def starting_point(self) -> followups.ReportInput:
        """A draft as saved, or a new report from the previous one."""
        if self.report is not None:
            return followups.ReportInput(
                entries={item["key"]: item for item in self.report.items},
                analysis=self.report.analysis,
                recommendations=self.report.recommendations,
                recommend_revision=self.report.recommend_revision,
            )
        return followups.report_initial(self.agreement, self.entry.due)

    @cached_property
    def items(self) -> list[dict[str, str]]:
        version = self.agreement.version_in_force
        if version is None:
            return list(self.report.items) if self.report else []
        return rules.items_from(version.content, self.starting_point.entries)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "items": self.items}

    def get_initial(self) -> dict[str, Any]:
        start = self.starting_point
        initial: dict[str, Any] = {
            "analysis": start.analysis,
            "recommendations": start.recommendations,
            "recommend_revision": start.recommend_revision,
            "seen_edits": self.report.edits if self.report else 0,
        }
        for item in self.items:
            initial[f"status_{item['key']}"] = item["status"]
            initial[f"comment_{item['key']}"] = item["comment"]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        previous = followups.previous_report(self.agreement, self.entry.due)
        kwargs.setdefault("previous", previous if self.report is None else None)
        return super().get_context_data(**kwargs)

    def perform(self, form: FollowUpReportForm) -> str:
        arguments = {
            "agreement_id": self.agreement.pk,
            "due_date": self.entry.due,
            "person": self.person,
            "data": form.report_input(),
            "seen_edits": form.cleaned_data["seen_edits"],
            "channel": Channel.LOGIN,
        }
        if self.request.POST.get("action") == "submit":
            followups.report_submit(**arguments)
            messages.success(
                self.request, _("Rapporten är inlämnad och skickad till båda parterna.")
            )
        else:
            followups.report_save(**arguments)
            messages.success(self.request, _("Utkastet är sparat."))
        return report_url(self.agreement.pk, self.entry.due)

    def refused(self, form: forms.Form, status: int) -> HttpResponse:
        if status == 409 and form.is_bound:
            # Someone saved since this form was opened: the message says so, and
            # saving again now replaces their draft on purpose.
            edits = FollowUpReport.objects.filter(
                agreement=self.agreement, due_date=self.entry.due
            ).values_list("edits", flat=True)
            form.data = form.data.copy()
            form.data["seen_edits"] = edits.first() or 0
        if not self.drafter:
            return self.render_report(status, form=form)
        return super().refused(form, status)


class FollowUpReviseView(FollowUpMixin, ServiceFormView):
    """POST only: start a revision from a submitted report that recommends one."""

    http_method_names = ["post"]
    form_class = forms.Form
    template_name = "workflows/followup_report.html"

    def perform(self, form: forms.Form) -> str:
        if self.report is None:
            raise Http404(_("Det finns ingen rapport för det datumet."))
        followups.revision_from_report(
            report_id=self.report.pk, person=self.person, channel=Channel.LOGIN
        )
        messages.success(
            self.request,
            _("Revideringen är påbörjad. Den gällande versionen gäller tills en ny är beslutad."),
        )
        return reverse("workflows:agreement_detail", args=[self.agreement.pk])
