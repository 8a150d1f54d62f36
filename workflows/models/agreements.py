"""The agreement and its lifecycle state (see docs/lifecycle.md for the whole graph)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from ..agreement_lifecycle import (
    AGREEMENT,
    APPLIES,
    PROPOSED,
    REVISION,
    SIGNING,
    period_over,
)
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


# The states and their labels come from the declaration (agreement_lifecycle.py).
AgreementState = models.TextChoices(
    "AgreementState", [(value.upper(), (value, label)) for value, label in AGREEMENT.choices]
)


class Agreement(AGREEMENT.fsm_methods(), ConcurrentTransitionMixin, models.Model):
    """Its state changes only through the transition methods made from the declared
    lifecycle (``AGREEMENT.fsm_methods()``); the services lock the row first, and
    ConcurrentTransitionMixin also refuses a save whose state changed underneath."""

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
        _("status"), default=AGREEMENT.initial, choices=AgreementState.choices, protected=True
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The latest event's hash and number, kept with the agreement so that removing
    # events from the end of the chain is caught too (services/trail.py).
    trail_head = models.CharField(_("beslutsspårets huvud"), max_length=64, blank=True)
    trail_length = models.PositiveIntegerField(_("antal händelser"), default=0)
    version_in_force = models.ForeignKey(
        "workflows.Version",
        verbose_name=_("gällande version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Den undertecknade versionen (gällande, eller när perioden börjar)."),
    )
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("förnyelse av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    # Registered afterwards: the reports due before this day were written, if at
    # all, outside the product, so the schedule here starts from it.
    follow_up_from = models.DateField(_("uppföljning i Samverkan från"), null=True, blank=True)
    ended_on = models.DateField(_("upphörde"), null=True, blank=True)
    termination_reason = models.TextField(_("skäl för uppsägning"), blank=True)

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

    @property
    def registration(self):
        """How it came in, if it was registered afterwards (None if decided here)."""
        from .registrations import Registration

        return Registration.objects.filter(agreement=self, promise_set_id=None).first()

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()

    @property
    def phase(self) -> str:
        return AGREEMENT.phase(self.state)

    @property
    def in_revision(self) -> bool:
        return AGREEMENT.has(self.state, REVISION)

    def allows(self, step: str) -> bool:
        """Whether the declared lifecycle lets ``step`` be taken now (guards included)."""
        return AGREEMENT.edge_for(self, step) is not None

    @property
    def round_open(self) -> bool:
        """A decision or signature round waits on its tasks."""
        return self.phase in (PROPOSED, SIGNING)

    @property
    def awaiting_decision(self) -> bool:
        return self.phase == PROPOSED

    @property
    def awaiting_signature(self) -> bool:
        return self.phase == SIGNING

    @property
    def signing_lapsed(self) -> bool:
        """Signature awaited, but the period has ended: it cannot come into force."""
        return self.awaiting_signature and period_over(self)

    @property
    def applies(self) -> bool:
        """A signed text is in force (a revision may be under way)."""
        return AGREEMENT.has(self.state, APPLIES)

    @property
    def lifecycle_state(self):
        """The declared state: its label, phase and traits."""
        return AGREEMENT.state(self.state)
