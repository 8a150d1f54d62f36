"""Deciding and signing medborgarlöften: the confirm page behind the e-mail link
and the inbox, and the receipt afterwards.

The link machinery is the agreement's (``workflows.views.links``): /l/<token>/
puts the secret in the session and redirects to /uppgift/<token>/, which hands a
promise task over to ``PromiseLinkTaskView`` (``workflows.views.tasks.
register_task_pages``, promises/registry.py). Opening changes nothing; only the
POST acts, through the services in promises/services/answers.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from viewflow.workflow.models import Task

from workflows import deadlines
from workflows import vocabulary as display
from workflows.models import ActionToken, Agreement, AuditEvent, Person, TaskKind
from workflows.models.trail import Channel
from workflows.services.actors import Actor, person_for_user, task_actor, task_assignments
from workflows.services.errors import DomainError
from workflows.services.rounds import OPEN_TASK
from workflows.views import tasks as workflow_tasks
from workflows.views.base import ServiceFormMixin
from workflows.views.links import LinkTokenMixin, done_key, private
from workflows.views.signing import IdentifiedSigningMixin

from ..forms import AnswerForm
from ..models import Answer, PromiseAnswer, PromiseSet
from ..selectors import set_of_task
from ..services.answers import promises_return, promises_sign
from ..services.common import PROMISE_KINDS, SIGNATORY

NOT_YOURS = gettext_lazy("Det finns ingen uppgift här som du kan göra.")


def event_for(answer: PromiseAnswer | None) -> AuditEvent | None:
    """The trail event that recorded an answer, with the names as they were."""
    if answer is None:
        return None
    action = "promises_signed" if answer.signed else "promises_returned"
    return (
        AuditEvent.objects.filter(
            agreement_id=answer.promise_set.agreement_id,
            action=action,
            object_type=PromiseSet._meta.model_name,
            object_id=str(answer.promise_set_id),
            details__role=answer.role,
            details__round=answer.round,
        )
        .select_related("actor_names")
        .first()
    )


class PromiseTaskPageMixin(IdentifiedSigningMixin, ServiceFormMixin):
    """The promises exactly as they are signed, then the form.

    Subclasses set, in ``dispatch``: ``promise_set``, ``agreement``, ``person``,
    ``kind``, ``task_id`` and ``token`` (None from the inbox), and define
    ``channel``, ``bound_hash`` and ``succeeded``.
    """

    template_name = "promises/task_confirm.html"
    form_class = AnswerForm
    channel: str
    promise_set: PromiseSet
    agreement: Agreement
    person: Person
    kind: str
    task_id: int
    token: ActionToken | None = None

    def bound_hash(self, form: Form) -> str:
        raise NotImplementedError

    def succeeded(self, result: PromiseAnswer) -> str:
        raise NotImplementedError

    def actor(self) -> Actor | None:
        try:
            return task_actor(self.person, self.agreement, self.kind, self.channel)
        except DomainError:
            return None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kind"] = self.kind
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {
            "version_hash": self.promise_set.content_hash,
            "place": display.place_of(self.agreement.kommun.name),
            "signed_on": timezone.localdate(),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        actor = self.actor()
        kwargs.setdefault(
            "blocked",
            ""
            if actor
            else _(
                "Du har inte längre en roll som får göra den här uppgiften. "
                "Kontakta trygghetssamordnaren eller kommunpolisen."
            ),
        )
        promise_set = self.promise_set
        others = promise_set.answers.filter(round=promise_set.round).exclude(
            role=SIGNATORY[self.kind]
        )
        return super().get_context_data(
            agreement=self.agreement,
            promise_set=promise_set,
            promises=list(promise_set.promises.order_by("position")),
            person=self.person,
            actor=actor,
            kind=self.kind,
            task_label=TaskKind(self.kind).label,
            heading=display.task_heading(self.kind),
            other_answer=others.select_related("person").first(),
            token=self.token,
            due=deadlines.task_due(self.task_id, self.agreement.pk),
            **self.signing_context(),
            **kwargs,
        )

    def signs(self, form: Form) -> bool:
        return form.cleaned_data.get("answer") == Answer.SIGNED

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data()
        return self.render_to_response(context, status=403 if context["blocked"] else 200)

    def perform(self, form: Form) -> str:
        data = form.cleaned_data
        common = {
            "task_id": self.task_id,
            "person": self.person,
            "content_hash": self.bound_hash(form),
            "channel": self.channel,
            "token": self.token,
        }
        if data["answer"] == Answer.SIGNED:
            result = promises_sign(
                place=data["place"],
                signed_on=data["signed_on"],
                delegation_point=data.get("delegation_point") or "",
                identification=self.identification(data.get("password", "")),
                **common,
            )
        else:
            result = promises_return(reason=data["reason"], **common)
        return self.succeeded(result)


# -- from the e-mail link ---------------------------------------------------------------


@method_decorator(private, name="dispatch")
class PromiseLinkTaskView(LinkTokenMixin, PromiseTaskPageMixin, FormView):
    """/uppgift/<token>/ for a promise task: the link's session and token checks are
    the agreement's (``LinkTokenMixin``); the page and the answer are ours."""

    def load_subject(self, token: ActionToken) -> bool:
        promise_set = set_of_task(token.task_id)
        if promise_set is None or promise_set.content_hash != token.version_hash:
            return False
        self.promise_set = promise_set
        return True

    def bound_hash(self, form: Form) -> str:
        return self.token.version_hash

    def done_url(self) -> str:
        return reverse("promises:link_done", args=[self.token.pk])


def _answer_with_token(token: ActionToken) -> PromiseAnswer | None:
    """What was answered when the link was used, by its person or their substitute
    acting from it (the service spends the token just before it records)."""
    if token.used_at is None or token.kind not in PROMISE_KINDS:
        return None
    return (
        PromiseAnswer.objects.filter(
            promise_set__agreement_id=token.agreement_id,
            content_hash=token.version_hash,
            role=SIGNATORY[token.kind],
            created_at__gte=token.used_at,
        )
        .select_related("person", "promise_set__agreement")
        .order_by("created_at")
        .first()
    )


def receipt(request: HttpRequest, answer: PromiseAnswer, **extra: Any) -> HttpResponse:
    promise_set = answer.promise_set
    promise_set.refresh_from_db(fields=["state", "round"])
    return render(
        request,
        "promises/task_done.html",
        {
            "agreement": promise_set.agreement,
            "promise_set": promise_set,
            "answer": answer,
            "event": event_for(answer),
            **extra,
        },
    )


@method_decorator(private, name="dispatch")
class PromiseLinkDoneView(View):
    """The receipt after a link: to the session that acted, or the token's person."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token_pk: int) -> HttpResponse:
        token = ActionToken.objects.select_related("person").filter(pk=token_pk).first()
        mine = token is not None and (
            request.session.get(done_key(token_pk))
            or getattr(person_for_user(request.user), "pk", None) == token.person_id
        )
        if not mine or token.used_at is None:
            return workflow_tasks.problem_page(request, "no_session")
        answer = _answer_with_token(token)
        if answer is None:
            return workflow_tasks.problem_page(request, "used", token)
        return receipt(request, answer, used_at=token.used_at)


# -- from the inbox ---------------------------------------------------------------------


def inbox_done_key(task_id: int) -> str:
    return f"inbox-done-promises:{task_id}"


class PromiseInboxTaskView(LoginRequiredMixin, PromiseTaskPageMixin, FormView):
    """/inkorg/<task>/ for a promise task, handed over by the inbox. Someone else's
    task is 404 (and the services refuse it too)."""

    channel = Channel.LOGIN

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        person = person_for_user(request.user)
        task = Task.objects.filter(pk=kwargs["task_id"], flow_task_type="HUMAN").first()
        kind = task.flow_task.name if task is not None and task.flow_task else ""
        promise_set = set_of_task(task.pk) if kind in PROMISE_KINDS else None
        if person is None or promise_set is None:
            raise Http404(NOT_YOURS)
        assigned = task_assignments(promise_set.agreement, kind)
        if not any(assignment.person_id == person.pk for assignment in assigned):
            raise Http404(NOT_YOURS)
        if task.status not in OPEN_TASK:
            return workflow_tasks.problem_page(
                request, "task_closed", agreement=promise_set.agreement
            )
        self.person, self.kind, self.task_id = person, kind, task.pk
        self.promise_set, self.agreement = promise_set, promise_set.agreement
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(from_inbox=True, **kwargs)

    def bound_hash(self, form: Form) -> str:
        return form.cleaned_data["version_hash"]

    def succeeded(self, result: PromiseAnswer) -> str:
        self.request.session[inbox_done_key(self.task_id)] = result.pk
        return reverse("promises:inbox_done", args=[self.task_id])


class PromiseInboxDoneView(LoginRequiredMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, task_id: int) -> HttpResponse:
        person = person_for_user(request.user)
        pk = request.session.get(inbox_done_key(task_id))
        answer = (
            PromiseAnswer.objects.select_related("person", "promise_set__agreement")
            .filter(pk=pk, person=person)
            .first()
            if person is not None and pk
            else None
        )
        if answer is None:
            raise Http404(NOT_YOURS)
        return receipt(request, answer, from_inbox=True)
