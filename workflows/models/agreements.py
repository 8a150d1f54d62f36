"""The agreement and its lifecycle state (see docs/lifecycle.md for the whole graph)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

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
    # A revision is drafted, decided and signed while the version in force applies.
    REVISION_DRAFT = "revision_draft", _("Gällande, revidering pågår")
    REVISION_PROPOSED = "revision_proposed", _("Gällande, revidering inväntar beslut")
    REVISION_SIGNING = "revision_signing", _("Gällande, revidering inväntar underskrift")
    REJECTED = "rejected", _("Avslagen")
    EXPIRED = "expired", _("Upphört")
    TERMINATED = "terminated", _("Uppsagd")


class Phase(models.TextChoices):
    """Where a round of versions, decision and signature stands, in a first cycle
    or a revision alike: the services check the phase, not the raw state."""

    DRAFTING = "drafting", _("utkast")
    PROPOSED = "proposed", _("förslag")
    SIGNING = "signing", _("underskrift")
    NONE = "none", _("ingen omgång")


S = AgreementState
PHASE = {
    S.DRAFT: Phase.DRAFTING,
    S.REVISION_DRAFT: Phase.DRAFTING,
    S.PROPOSED: Phase.PROPOSED,
    S.REVISION_PROPOSED: Phase.PROPOSED,
    S.SIGNING: Phase.SIGNING,
    S.REVISION_SIGNING: Phase.SIGNING,
}
REVISION_STATES = (S.REVISION_DRAFT, S.REVISION_PROPOSED, S.REVISION_SIGNING)
IN_FORCE_STATES = (S.IN_FORCE, *REVISION_STATES)
DRAFTING_STATES = (S.DRAFT, S.PROPOSED, S.REVISION_DRAFT, S.REVISION_PROPOSED)


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

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()

    # Transitions only change the state; the services in workflows/services/
    # check who may act, write the trail and notify.

    @property
    def phase(self) -> str:
        return PHASE.get(self.state, Phase.NONE)

    @property
    def in_revision(self) -> bool:
        return self.state in REVISION_STATES

    @transition(field=state, source=S.IN_FORCE, target=S.REVISION_DRAFT)
    def open_revision(self) -> None:
        """Drafters start a revision; the version in force keeps applying."""

    @transition(field=state, source=S.REVISION_DRAFT, target=S.IN_FORCE)
    def close_revision(self) -> None:
        """Drafters withdraw a revision before proposing it."""

    @transition(
        field=state,
        source=[S.DRAFT, S.REVISION_DRAFT],
        target=RETURN_VALUE(S.PROPOSED, S.REVISION_PROPOSED),
    )
    def propose(self) -> str:
        """Both drafters approved the same version: it is the joint proposal."""
        return S.PROPOSED if self.state == S.DRAFT else S.REVISION_PROPOSED

    @transition(
        field=state,
        source=[S.PROPOSED, S.REVISION_PROPOSED],
        target=RETURN_VALUE(S.DRAFT, S.REVISION_DRAFT),
    )
    def reopen(self) -> str:
        """Back to drafting: a new version after the joint proposal, or återremiss."""
        return S.DRAFT if self.state == S.PROPOSED else S.REVISION_DRAFT

    @transition(
        field=state,
        source=[S.PROPOSED, S.REVISION_PROPOSED],
        target=RETURN_VALUE(S.REJECTED, S.IN_FORCE),
    )
    def reject(self) -> str:
        """Avslag ends the round: a first cycle is rejected; a rejected revision
        leaves the version in force as it was."""
        return S.REJECTED if self.state == S.PROPOSED else S.IN_FORCE

    @transition(
        field=state,
        source=[S.PROPOSED, S.REVISION_PROPOSED],
        target=RETURN_VALUE(S.SIGNING, S.REVISION_SIGNING),
    )
    def open_signing(self) -> str:
        """Bifall on both tracks."""
        return S.SIGNING if self.state == S.PROPOSED else S.REVISION_SIGNING

    @transition(field=state, source=S.SIGNING, target=S.SIGNED)
    def sign(self) -> None:
        """Both signatories signed; the start date is still ahead."""

    @transition(field=state, source=[S.SIGNING, S.SIGNED, S.REVISION_SIGNING], target=S.IN_FORCE)
    def enter_into_force(self) -> None:
        """Signed and the start date reached; a signed revision replaces the text."""

    @transition(field=state, source=list(IN_FORCE_STATES), target=S.EXPIRED)
    def expire(self) -> None:
        """The day after the end date; an unfinished revision lapses with it."""

    @transition(field=state, source=[S.SIGNED, *IN_FORCE_STATES], target=S.TERMINATED)
    def terminate(self) -> None:
        """A party ended it early, with a reason."""
