"""Follow-up reports: one per due date of an agreement's schedule (``followup_rules``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .agreements import Agreement
from .organisations import Person
from .versions import Version


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad")


class ItemStatus(models.TextChoices):
    """How an area or measure stands at the follow-up."""

    ON_TRACK = "enligt_plan", _("Enligt plan")
    DELAYED = "forsenad", _("Försenad")
    NOT_STARTED = "ej_paborjad", _("Ej påbörjad")
    DONE = "klar", _("Klar")


HASHED_ITEM_KEYS = ("section", "title", "effektmal", "ansvarig", "status", "comment")


class ImmutableReport(Exception):
    pass


class FollowUpReport(ConcurrentTransitionMixin, models.Model):
    """A follow-up report, saved as a draft any number of times, then submitted.

    A submitted report never changes: ``save()`` and ``delete()`` refuse it, and on
    PostgreSQL a trigger refuses UPDATE and DELETE of a submitted row (migration 0006).
    ``items`` holds the areas and measures of ``version`` (the text in force when the
    report was last saved), each ``{"key", "section", "title", "effektmal",
    "ansvarig", "status", "comment"}``.
    """

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.PROTECT,
        related_name="follow_up_reports",
    )
    due_date = models.DateField(_("ska lämnas senast"))
    version = models.ForeignKey(
        Version,
        verbose_name=_("följer upp version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.JSONField(_("områden och åtgärder"), default=list)
    analysis = models.TextField(_("analys"), blank=True)
    recommendations = models.TextField(_("rekommendationer"), blank=True)
    recommend_revision = models.BooleanField(_("rekommenderar revidering"), default=False)
    # protected: only the transition below may change it.
    state = FSMField(
        _("status"), default=ReportState.DRAFT, choices=ReportState.choices, protected=True
    )
    # Counts the saves: a form opened before the latest save is refused rather than
    # overwriting what the other drafter wrote meanwhile.
    edits = models.PositiveIntegerField(_("antal sparningar"), default=0)
    created_by = models.ForeignKey(
        Person, verbose_name=_("påbörjad av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("påbörjad"), auto_now_add=True)
    updated_by = models.ForeignKey(
        Person, verbose_name=_("senast sparad av"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)
    submitted_by = models.ForeignKey(
        Person,
        verbose_name=_("inlämnad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["agreement", "due_date"]
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "due_date"], name="one_follow_up_per_due_date"
            )
        ]

    _frozen = False  # loaded or saved as submitted

    def __str__(self) -> str:
        return f"{self.agreement} {self.due_date.isoformat()}"

    def save(self, *args, **kwargs) -> None:
        if self._frozen:
            raise ImmutableReport("En inlämnad uppföljningsrapport kan inte ändras.")
        super().save(*args, **kwargs)
        self._frozen = self.state == ReportState.SUBMITTED

    def delete(self, *args, **kwargs):
        if self._frozen or self.state == ReportState.SUBMITTED:
            raise ImmutableReport("En inlämnad uppföljningsrapport kan inte tas bort.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._frozen = instance.__dict__.get("state") == ReportState.SUBMITTED
        return instance

    @property
    def is_submitted(self) -> bool:
        return self.state == ReportState.SUBMITTED

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    def hashed_content(self) -> dict:
        """What the submitted report says, as hashed into ``content_hash`` and the trail."""
        return {
            "agreement": self.agreement_id,
            "due_date": self.due_date.isoformat(),
            "version_hash": self.version.content_hash,
            "items": [{k: item[k] for k in HASHED_ITEM_KEYS} for item in self.items],
            "analysis": self.analysis,
            "recommendations": self.recommendations,
            "recommend_revision": self.recommend_revision,
        }

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.SUBMITTED)
    def submit(self) -> None:
        """The drafters hand the report in; it is final."""
