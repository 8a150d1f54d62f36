"""The kommun's own settings, edited by its administrator: when its chair may sign
after the kommun has decided (decision_status.municipal_ready_for_signing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from ..forms import KommunSettingsForm
from ..models import Organisation, OrganisationKind, Role, RoleAssignment
from ..services.actors import person_for_user, today


def administered_kommuner(user) -> list[Organisation]:
    """The kommuner whose administrator the user is today."""
    person = person_for_user(user)
    if person is None:
        return []
    ids = (
        RoleAssignment.objects.active_on(today())
        .filter(person=person, role=Role.ADMINISTRATOR, organisation__kind=OrganisationKind.KOMMUN)
        .values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids))


class KommunSettingsView(LoginRequiredMixin, UpdateView):
    model = Organisation
    form_class = KommunSettingsForm
    template_name = "workflows/kommun_settings.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if kwargs["pk"] not in {kommun.pk for kommun in administered_kommuner(request.user)}:
            raise PermissionDenied(
                _("Bara kommunens administratör ändrar kommunens inställningar.")
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: KommunSettingsForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Inställningarna är sparade."))
        return response

    def get_success_url(self) -> str:
        return reverse("workflows:kommun_settings", args=[self.object.pk])
