"""Versions of an agreement's text, and the drafters' approvals of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import content as content_rules
from .agreements import Agreement
from .organisations import Person, Role


class ImmutableVersion(Exception):
    pass


class Version(models.Model):
    """A submitted version. It never changes: save() refuses updates, delete() refuses,
    and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("nummer"))
    content = models.JSONField(_("innehåll"))
    content_hash = models.CharField(_("SHA-256"), max_length=64, editable=False)
    change_note = models.TextField(_("ändringsnotering"), blank=True)
    author = models.ForeignKey(
        Person, verbose_name=_("författare"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("bygger på"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableVersion("En inlämnad version kan inte ändras.")
        self.content = content_rules.validate(self.content)
        self.content_hash = content_rules.content_hash(self.content)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("En inlämnad version kan inte tas bort.")

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class DrafterApproval(models.Model):
    """A drafter's approval of one version. It counts only while that version is
    the latest: a newer version voids it without touching this row."""

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.PROTECT, related_name="approvals"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    # "Beslut önskas senast": the date a drafter asks the decision-makers to meet
    # (workflows/deadlines.py); the earlier of the two counts.
    decide_by = models.DateField(_("beslut önskas senast"), null=True, blank=True)
    created_at = models.DateTimeField(_("godkänd"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("godkännande")
        verbose_name_plural = _("godkännanden")
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="one_approval_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: v{self.version_id}"
