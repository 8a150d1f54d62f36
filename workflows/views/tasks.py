"""Deciding or signing one task: the page and form that the e-mail link and the
inbox share, the receipt afterwards, and the pages that explain why a link cannot
be used. The services decide; this only shows and passes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .. import compare as compare_rules
from .. import deadlines, selectors
from .. import vocabulary as display
from ..decision_status import LegalStatus, inhibited, standing_bifall, status_of
from ..delegation_rules import delegable
from ..forms import DECISION_KINDS, TaskForm, task_form_class
from ..models import (
    ActionToken,
    Agreement,
    Decision,
    DecisionStep,
    Person,
    Signature,
    TaskKind,
    Track,
    Version,
)
from ..next_step import next_step
from ..services.actors import Actor, drafters, task_actor
from ..services.decision_steps import justering_record
from ..services.decisions import (
    INHIBITED,
    SIGNATORY,
    decision_record,
    period_over_message,
    police_decision_defaults,
    signature_add,
)
from ..services.errors import DomainError
from ..services.tokens import LinkProblem, Revoked
from .base import ServiceFormMixin
from .signing import IdentifiedSigningMixin

# The status code of each reason a link cannot be used.
PROBLEM_STATUS = {
    "other_person": 403,
    "unknown": 404,
    "expired": 410,
    "used": 410,
    "superseded": 410,
    "finished": 410,
    "task_closed": 410,
    "no_session": 403,
    "rate_limited": 429,
}


@dataclass(frozen=True)
class TaskPages:
    """The pages of a task kind whose subject is not an agreement version
    (medborgarlöften, promises/): ``link`` serves /uppgift/<token>/ (with
    ``links.LinkTokenMixin``), ``inbox`` serves /inkorg/<task>/. The link and inbox
    views hand such a task over to them."""

    link: type[View]
    inbox: type[View]
    # What the link pages say stands now: (what, its state in words) for a token.
    status_of: Callable[[ActionToken], tuple[str, str]] | None = None


_TASK_PAGES: dict[str, TaskPages] = {}


def register_task_pages(
    kinds: tuple[str, ...],
    *,
    link: type[View],
    inbox: type[View],
    status_of: Callable[[ActionToken], tuple[str, str]] | None = None,
) -> None:
    for kind in kinds:
        _TASK_PAGES[kind] = TaskPages(link=link, inbox=inbox, status_of=status_of)


def task_pages(kind: str) -> TaskPages | None:
    return _TASK_PAGES.get(kind)


@dataclass(frozen=True)
class TaskWords:
    """What the confirm page, the receipt and the link pages call one kind of task."""

    form_title: str
    not_recorded: str
    done_title: str


def task_words(kind_or_result: Any) -> TaskWords:
    if kind_or_result in DECISION_KINDS or isinstance(kind_or_result, Decision):
        return TaskWords(
            _("Registrera beslutet"), _("Beslutet registrerades inte"), _("Beslutet är registrerat")
        )
    if kind_or_result == TaskKind.MUNICIPAL_PROTOCOL or isinstance(kind_or_result, DecisionStep):
        return TaskWords(
            _("Registrera justeringen"),
            _("Justeringen registrerades inte"),
            _("Justeringen är registrerad"),
        )
    return TaskWords(
        _("Underteckna"), _("Underskriften registrerades inte"), _("Underskriften är registrerad")
    )


def diff_counts(diffs: list[compare_rules.SectionDiff]) -> dict[str, int]:
    counts = dict.fromkeys(("unchanged", "changed", "added", "removed"), 0)
    for diff in diffs:
        counts[diff.status] += 1
    return counts


SIGNATURE_KINDS = tuple(SIGNATORY)


class TaskPageMixin(IdentifiedSigningMixin, ServiceFormMixin):
    """The confirm page: exactly what is decided or signed, then the form.

    Subclasses set, in ``dispatch``: ``agreement``, ``person``, ``kind``,
    ``task_id``, ``version`` and ``token`` (None from the inbox), and define
    ``channel``, ``bound_hash`` and ``succeeded``.
    """

    template_name = "workflows/task_confirm.html"
    channel: str
    agreement: Agreement
    person: Person
    kind: str
    task_id: int
    version: Version
    token: ActionToken | None = None

    # -- what the subclass decides ----------------------------------------------------

    def bound_hash(self, form: Form) -> str:
        """The version the answer is bound to."""
        raise NotImplementedError

    def succeeded(self, result: Decision | Signature) -> str:
        """Remember the result for the receipt; return the receipt's URL."""
        raise NotImplementedError

    # -- the form ---------------------------------------------------------------------

    def actor(self) -> Actor | None:
        try:
            return task_actor(self.person, self.agreement, self.kind, self.channel)
        except DomainError:
            return None

    def get_form_class(self) -> type[TaskForm]:
        return task_form_class(self.kind)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kind"] = self.kind
        if self.kind == TaskKind.MUNICIPAL_PROTOCOL:
            kwargs["legal"] = self.legal
        if self.kind == TaskKind.MUNICIPAL_DECISION:
            kwargs["delegable"] = delegable(self.agreement, self.version)
        return kwargs

    @cached_property
    def legal(self) -> LegalStatus | None:
        """Where the kommun's bifall stands, for its justering task."""
        decision = standing_bifall(self.agreement, Track.MUNICIPAL)
        return status_of(decision) if decision is not None else None

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"version_hash": self.version.content_hash}
        if self.kind == TaskKind.POLICE_DECISION:
            initial.update(police_decision_defaults(self.agreement, self.person))
        if self.kind in DECISION_KINDS:
            initial["meeting_date"] = timezone.localdate()
        elif self.kind == TaskKind.MUNICIPAL_PROTOCOL:
            initial["justerad_on"] = timezone.localdate()
        else:
            initial["place"] = display.place_of(self.agreement.kommun.name)
            initial["signed_on"] = timezone.localdate()
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.version
        previous = selectors.last_decided_version(self.agreement, before=version.number)
        diffs = compare_rules.compare(previous.content, version.content) if previous else None
        not_now = self.not_now
        actor = None if not_now else self.actor()
        kwargs.setdefault(
            "blocked",
            not_now
            or (
                ""
                if actor
                else _(
                    "Du har inte längre en roll som får göra den här uppgiften. "
                    "Kontakta trygghetssamordnaren eller kommunpolisen."
                )
            ),
        )
        return super().get_context_data(
            agreement=self.agreement,
            version=version,
            person=self.person,
            actor=actor,
            kind=self.kind,
            is_decision=self.kind in DECISION_KINDS,
            is_protocol=self.kind == TaskKind.MUNICIPAL_PROTOCOL,
            legal=self.legal if self.kind == TaskKind.MUNICIPAL_PROTOCOL else None,
            words=task_words(self.kind),
            task_label=TaskKind(self.kind).label,
            heading=display.task_heading(self.kind),
            previous=previous,
            diffs=diffs,
            counts=diff_counts(diffs) if diffs is not None else None,
            token=self.token,
            due=deadlines.task_due(self.task_id, self.agreement.pk),
            **self.signing_context(),
            **kwargs,
        )

    def signs(self, form: Form) -> bool:
        return self.kind in SIGNATURE_KINDS

    @cached_property
    def not_now(self) -> str:
        """Why nobody can do this task now, whoever they are ("" if it can be done)."""
        if self.kind in SIGNATURE_KINDS and self.agreement.signing_lapsed:
            return period_over_message(self.agreement)
        if self.kind in SIGNATURE_KINDS and inhibited(self.agreement):
            return str(INHIBITED)
        return ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data()
        status = 409 if self.not_now else 403 if context["blocked"] else 200
        return self.render_to_response(context, status=status)

    def perform(self, form: Form) -> str:
        data = form.cleaned_data
        common = {
            "task_id": self.task_id,
            "person": self.person,
            "version_hash": self.bound_hash(form),
            "channel": self.channel,
            "token": self.token,
        }
        if self.kind in DECISION_KINDS:
            result = decision_record(fields=form.decision_input(), **common)
        elif self.kind == TaskKind.MUNICIPAL_PROTOCOL:
            result = justering_record(
                justerad_on=data.get("justerad_on"),
                justerare=data.get("justerare", ""),
                paragraph=data.get("paragraph", ""),
                anslag_on=data.get("anslag_on"),
                anslag_url=data.get("anslag_url", ""),
                **common,
            )
        else:
            identification = self.identification(data.get("password", ""))
            result = signature_add(
                place=data["place"],
                signed_on=data["signed_on"],
                identification=identification,
                **common,
            )
        return self.succeeded(result)


class TaskFormView(TaskPageMixin, FormView):
    pass


# -- the receipt ----------------------------------------------------------------------


def receipt(
    request: HttpRequest, agreement: Agreement, result: Decision | Signature, **extra: Any
) -> HttpResponse:
    """What was recorded, as the trail has it: the same page after a link or the inbox."""
    agreement.refresh_from_db(fields=["state"])
    kinds = selectors.open_task_kinds([agreement.pk]).get(agreement.pk, [])
    return render(
        request,
        "workflows/task_done.html",
        {
            "agreement": agreement,
            "result": result,
            "is_decision": isinstance(result, Decision),
            "is_step": isinstance(result, DecisionStep),
            "words": task_words(result),
            "event": selectors.event_for(result),
            "next_step": next_step(agreement, result.version.number, set(), kinds),
            **extra,
        },
    )


# -- why a link cannot be used --------------------------------------------------------


def problem_page(
    request: HttpRequest, reason: str, token: ActionToken | None = None, **extra: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "reason": reason,
        "title": display.PROBLEM_TITLES[reason],
        "token": token,
        **extra,
    }
    if token is not None:
        agreement = selectors.agreement_by_id(token.agreement_id)
        latest = agreement.latest_version()
        pages = task_pages(token.kind)
        if pages is not None and pages.status_of is not None:
            subject, state = pages.status_of(token)
        else:
            subject, state = _("Överenskommelsens"), agreement.get_state_display()
        status = _("%(whose)s status nu: %(state)s.") % {"whose": subject, "state": state}
        context.update(
            agreement=agreement,
            task_label=TaskKind(token.kind).label if token.kind in TaskKind.values else "",
            latest=latest,
            drafters=", ".join(p.name for p in drafters(agreement)),
            subject_status=status,
        )
        if reason == "used":
            result = selectors.recorded_with_token(token)
            context.update(result=result, event=selectors.event_for(result))
        elif reason == "finished":
            result = (
                selectors.task_result(token) if token.revoked_reason == Revoked.TASK_DONE else None
            )
            context.update(
                result=result,
                event=selectors.event_for(result),
                revoked_reason=token.revoked_reason,
            )
        if "result" in context and context["result"] is not None:
            context["is_decision"] = isinstance(context["result"], Decision)
            context["is_step"] = isinstance(context["result"], DecisionStep)
    response = render(
        request, "workflows/link_problem.html", context, status=PROBLEM_STATUS[reason]
    )
    if reason == "rate_limited":
        response["Retry-After"] = "3600"
    return response


def link_problem_page(request: HttpRequest, problem: LinkProblem, **extra: Any) -> HttpResponse:
    return problem_page(request, problem.reason, problem.token, **extra)
