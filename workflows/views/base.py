"""What every agreement page shares: who may see it, and how a refusal is shown."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .. import selectors
from ..access_selectors import is_read_only
from ..models import Agreement, Person, RoleAssignment
from ..services.actors import can_view, drafter_role, person_for_user
from ..services.errors import DomainError


class AgreementMixin(LoginRequiredMixin):
    """Loads ``self.agreement`` (URL ``pk``) for ``self.person``. Anyone without a role
    at either party gets 404, so they cannot even learn that the agreement exists."""

    person: Person | None
    agreement: Agreement

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = person_for_user(request.user)
        agreement = selectors.agreement_by_id(kwargs["pk"])
        if agreement is None or not can_view(self.person, agreement):
            raise Http404(_("Det finns ingen överenskommelse här som du kan se."))
        self.agreement = agreement
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def read_only(self) -> bool:
        """Nothing here the person may change (a revisor): the pages show no button or
        form that acts. The one flag every agreement template checks; the services
        refuse such a person on their own (``access_selectors.is_read_only``)."""
        return is_read_only(self.person, self.agreement)

    @cached_property
    def drafter(self) -> RoleAssignment | None:
        """The person's drafter role in this agreement, if any (buttons only: the
        services decide what is allowed)."""
        return drafter_role(self.person, self.agreement) if self.person else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("agreement", self.agreement)
        kwargs.setdefault("person", self.person)
        kwargs.setdefault("drafter", self.drafter)
        kwargs.setdefault("read_only", self.read_only)
        return super().get_context_data(**kwargs)


class ServiceFormMixin:
    """A form whose valid input goes to one service call.

    A ``DomainError`` from the service re-renders the same page with its message
    and its status code (403, 409, 400): what the user typed stays in the form, and
    nothing was changed, because the service refused inside its transaction.
    Used with a ``FormView``; pages without a login (e-mail links) use it directly.
    """

    def perform(self, form: Form) -> str:
        """Call the service; return the URL to go to after success."""
        raise NotImplementedError

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            url = self.perform(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.refused(form, error.status_code)
        return HttpResponseRedirect(url)

    def form_invalid(self, form: Form) -> HttpResponse:
        return self.refused(form, 400)

    def refused(self, form: Form, status: int) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=status)


class ServiceFormView(AgreementMixin, ServiceFormMixin, FormView):
    """A logged-in form on one agreement's pages (see ``ServiceFormMixin``)."""
