"""The agreement and its lifecycle state (see docs/lifecycle.md for the whole graph)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .organisations import Organisation, OrganisationKind

if TYPE_CHECKING:
    from .versions import Version


class AgreementKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategisk överenskommelse")
    OPERATIONAL = "operational", _("Operativ överenskommelse")
    ONE_PART = "one_part", _("Samverkansöverenskommelse (en del)")


class DecidingBody(models.TextChoices):
    KS = "ks", _("Kommunstyrelsen")
    KF = "kf", _("Kommunfullmäktige")


DEFAULT_BODY = {
    AgreementKind.STRATEGIC: DecidingBody.KF,
    AgreementKind.OPERATIONAL: DecidingBody.KS,
    AgreementKind.ONE_PART: DecidingBody.KS,
}


class FollowUpCadence(models.TextChoices):
    TERTIAL = "tertial", _("Varje tertial")
    HALF_YEARLY = "half_yearly", _("Varje halvår")
    YEARLY = "yearly", _("Varje år")


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PROPOSED = "proposed", _("Gemensamt förslag, inväntar beslut")
    SIGNING = "signing", _("Beslutad, inväntar underskrift")
    SIGNED = "signed", _("Undertecknad, ej börjat gälla")
    IN_FORCE = "in_force", _("Gällande")
    REJECTED = "rejected", _("Avslagen")
    EXPIRED = "expired", _("Upphört")
    TERMINATED = "terminated", _("Uppsagd")


DRAFTING_STATES = (AgreementState.DRAFT, AgreementState.PROPOSED)


class Agreement(ConcurrentTransitionMixin, models.Model):
    """Its state changes only through the transitions below; the services lock the
    row first, and the mixin also refuses a save whose state changed underneath."""

    kommun = models.ForeignKey(
        Organisation,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.KOMMUN},
    )
    lokalpolisomrade = models.ForeignKey(
        Organisation,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.LPO},
    )
    kind = models.CharField(_("typ"), max_length=20, choices=AgreementKind.choices)
    deciding_body = models.CharField(
        _("beslutande organ"), max_length=2, choices=DecidingBody.choices
    )
    title = models.CharField(_("titel"), max_length=300)
    period_start = models.DateField(_("gäller från"))
    period_end = models.DateField(_("gäller till och med"))
    follow_up_cadence = models.CharField(
        _("uppföljning"),
        max_length=20,
        choices=FollowUpCadence.choices,
        default=FollowUpCadence.YEARLY,
    )
    # protected: only the transition methods below may change it.
    state = FSMField(
        _("status"), default=AgreementState.DRAFT, choices=AgreementState.choices, protected=True
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The latest event's hash and number, kept with the agreement so that removing
    # events from the end of the chain is caught too (services/trail.py).
    trail_head = models.CharField(_("beslutsspårets huvud"), max_length=64, blank=True)
    trail_length = models.PositiveIntegerField(_("antal händelser"), default=0)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("samverkansöverenskommelse")
        verbose_name_plural = _("samverkansöverenskommelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="agreement_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def parties(self) -> tuple[Organisation, Organisation]:
        return (self.kommun, self.lokalpolisomrade)

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()

    # Transitions only change the state; the services in workflows/services/
    # check who may act, write the trail and notify.

    @transition(field=state, source=AgreementState.DRAFT, target=AgreementState.PROPOSED)
    def propose(self) -> None:
        """Both drafters approved the same version: it is the joint proposal."""

    @transition(field=state, source=AgreementState.PROPOSED, target=AgreementState.DRAFT)
    def reopen(self) -> None:
        """Back to drafting: a new version after the joint proposal, or återremiss."""

    @transition(field=state, source=AgreementState.PROPOSED, target=AgreementState.REJECTED)
    def reject(self) -> None:
        """Avslag on either track ends the cycle."""

    @transition(field=state, source=AgreementState.PROPOSED, target=AgreementState.SIGNING)
    def open_signing(self) -> None:
        """Bifall on both tracks."""

    @transition(field=state, source=AgreementState.SIGNING, target=AgreementState.SIGNED)
    def sign(self) -> None:
        """Both signatories signed; the start date is still ahead."""

    @transition(
        field=state,
        source=[AgreementState.SIGNING, AgreementState.SIGNED],
        target=AgreementState.IN_FORCE,
    )
    def enter_into_force(self) -> None:
        """Signed and the start date reached."""
