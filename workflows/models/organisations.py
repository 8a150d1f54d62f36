"""Organisations, the people in them, and the roles they hold over time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    LPO = "lpo", _("Lokalpolisområde")


class SigningAfter(models.TextChoices):
    """When a kommun lets its chair sign after the decision (its administrator chooses)."""

    JUSTERING = "justering", _("När protokollet är justerat")
    LAGA_KRAFT = "laga_kraft", _("När beslutet har vunnit laga kraft")


class Organisation(models.Model):
    kind = models.CharField(_("typ"), max_length=10, choices=OrganisationKind.choices)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    signing_after = models.CharField(
        _("underskrift får ske"),
        max_length=10,
        choices=SigningAfter.choices,
        default=SigningAfter.JUSTERING,
        help_text=_("Bara för kommuner: om underskrift väntar på att beslutet vinner laga kraft."),
    )
    # One LPO serves several kommuner: the link sits on the kommun.
    lokalpolisomrade = models.ForeignKey(
        "self",
        verbose_name=_("lokalpolisområde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kommuner",
        limit_choices_to={"kind": OrganisationKind.LPO},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    KOMMUNPOLIS = "kommunpolis", _("Kommunpolis")
    TRYGGHETSSAMORDNARE = "trygghetssamordnare", _("Trygghetssamordnare")
    NAMNDSEKRETERARE = "namndsekreterare", _("Nämndsekreterare")
    KS_ORDFORANDE = "ks_ordforande", _("Kommunstyrelsens ordförande")
    KF_ORDFORANDE = "kf_ordforande", _("Kommunfullmäktiges ordförande")
    LPO_CHEF = "lpo_chef", _("Lokalpolisområdeschef")
    REVISOR = "revisor", _("Revisor")
    ADMINISTRATOR = "administrator", _("Administratör")


DRAFTER_ROLES = (Role.KOMMUNPOLIS, Role.TRYGGHETSSAMORDNARE)


class Person(models.Model):
    """Someone who acts in the product; may or may not have a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), unique=True)
    language = models.CharField(_("språk"), max_length=5, choices=settings.LANGUAGES, default="sv")

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.name

    @property
    def has_password(self) -> bool:
        """Whether the person can identify themselves with a password (to sign)."""
        return self.user is not None and self.user.has_usable_password()


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active_on(self, day: datetime.date) -> RoleAssignmentQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class RoleAssignment(models.Model):
    """A person holds a role in an organisation for a period, maybe as a substitute.

    ``substitute_for`` names the person this one stands in for (ersättare); the
    trail then records "X för Y".
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    title = models.CharField(
        _("titel"), max_length=200, blank=True, help_text=_("Titeln som den står i beslutet.")
    )
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("ersättare för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutes",
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role", "-valid_from"]
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.display_title} ({self.organisation})"

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_role_display())
