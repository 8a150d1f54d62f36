"""The inbox: the open tasks a logged-in person may act on, and acting on one with
the same page and form as the e-mail link (channel login, no token)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from viewflow.workflow.models import Task

from .. import deadlines, selectors
from .. import vocabulary as display
from ..models import Agreement, Decision, DecisionStep, Signature, TaskKind
from ..models.trail import Channel
from ..services.actors import person_for_user, task_assignments, today
from ..services.rounds import OPEN_TASK
from ..todo import drafter_todo
from . import tasks

NO_DATES = deadlines.RoundDates()
NOT_YOURS = _("Det finns ingen uppgift här som du kan göra.")


class InboxView(LoginRequiredMixin, TemplateView):
    """Inkorg: a fixed number of queries however many tasks."""

    template_name = "workflows/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = person_for_user(self.request.user)
        items = selectors.tasks_for_person(person) if person else []
        dates = deadlines.round_dates({item.agreement.pk for item in items})
        rows = [
            {
                "task": item.task,
                "agreement": item.agreement,
                "heading": display.task_heading(item.kind),
                "label": TaskKind(item.kind).label,
                "number": getattr(item.agreement, "latest_number", None),
                "subject": item.subject,
                "due": deadlines.due_on(
                    item.kind, item.task.created, dates.get(item.agreement.pk, NO_DATES)
                ),
            }
            for item in items
        ]
        for row in rows:
            row["overdue"] = row["due"] < today()
        rows.sort(key=lambda row: (row["due"], row["task"].created))
        return super().get_context_data(
            person=person, rows=rows, todo=drafter_todo(person), **kwargs
        )


def done_key(task_id: int) -> str:
    return f"inbox-done:{task_id}"


class InboxTaskView(LoginRequiredMixin, tasks.TaskFormView):
    """One task from the inbox. Someone else's task is 404 (and the service refuses
    it too); a task already closed says so."""

    channel = Channel.LOGIN

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        person = person_for_user(request.user)
        task = (
            Task.objects.select_related("process")
            .filter(pk=kwargs["task_id"], flow_task_type="HUMAN")
            .first()
        )
        kind = task.flow_task.name if task is not None and task.flow_task else ""
        if person is None or kind not in TaskKind.values:
            raise Http404(NOT_YOURS)
        pages = tasks.task_pages(kind)
        if pages is not None:  # another app's task (medborgarlöften): its own page
            return pages.inbox.as_view()(request, *args, **kwargs)
        agreement = selectors.agreement_by_id(task.process.artifact_object_id)
        if agreement is None or not any(
            assignment.person_id == person.pk for assignment in task_assignments(agreement, kind)
        ):
            raise Http404(NOT_YOURS)
        if task.status not in OPEN_TASK:
            return tasks.problem_page(request, "task_closed", agreement=agreement)
        self.person, self.agreement, self.kind, self.task_id = person, agreement, kind, task.pk
        self.version = agreement.latest_version()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(from_inbox=True, **kwargs)

    def bound_hash(self, form: Form) -> str:
        return form.cleaned_data["version_hash"]

    def succeeded(self, result: Decision | Signature) -> str:
        self.request.session[done_key(self.task_id)] = [result._meta.model_name, result.pk]
        return reverse("workflows:inbox_done", args=[self.task_id])


class InboxDoneView(LoginRequiredMixin, View):
    """The receipt after acting from the inbox: what the person just recorded."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, task_id: int) -> HttpResponse:
        person = person_for_user(request.user)
        model_name, pk = request.session.get(done_key(task_id)) or ("", None)
        result: Decision | Signature | DecisionStep | None = None
        if model_name == "decision":
            result = Decision.objects.filter(pk=pk, recorded_by=person).first()
        elif model_name == "signature":
            result = Signature.objects.filter(pk=pk, person=person).first()
        elif model_name == "decisionstep":
            result = DecisionStep.objects.filter(pk=pk, recorded_by=person).first()
        if person is None or result is None:
            raise Http404(NOT_YOURS)
        agreement: Agreement = selectors.agreement_by_id(result.agreement_id)
        return tasks.receipt(request, agreement, result, from_inbox=True)
