"""The outbox: every email is a row before it is a message.

A domain service writes the row in its own transaction; the relay claims due
rows, sends them and records the outcome; delivery webhooks update the same row.
This app knows recipients, templates and contexts, never the domain behind them.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    SV = "sv", _("svenska")
    EN = "en", _("engelska")


class Status(models.TextChoices):
    PENDING = "pending", _("väntar")
    SENDING = "sending", _("skickas")
    SENT = "sent", _("skickad")
    FAILED = "failed", _("misslyckad")


class DeliveryStatus(models.TextChoices):
    """What the provider later reported, from its tracking webhook."""

    UNKNOWN = "", _("ingen rapport")
    DEFERRED = "deferred", _("fördröjd")
    DELIVERED = "delivered", _("levererad")
    BOUNCED = "bounced", _("studsade")
    REJECTED = "rejected", _("avvisad")
    FAILED = "failed", _("kunde inte levereras")
    COMPLAINED = "complained", _("anmäld som skräppost")


class OutboxEmail(models.Model):
    to_email = models.EmailField(_("mottagarens e-postadress"))
    to_name = models.CharField(_("mottagarens namn"), max_length=200, blank=True)
    language = models.CharField(
        _("språk"), max_length=2, choices=Language.choices, default=Language.SV
    )
    template = models.CharField(
        _("mall"),
        max_length=200,
        help_text=_("Till exempel workflows/proposal_awaits_decision."),
    )
    context = models.JSONField(_("innehåll till mallen"), default=dict, encoder=DjangoJSONEncoder)
    key = models.CharField(
        _("unik nyckel"),
        max_length=255,
        unique=True,
        help_text=_("Samma nyckel två gånger ger ett enda meddelande."),
    )
    object_type = models.CharField(_("gäller typ"), max_length=100, blank=True)
    object_id = models.CharField(_("gäller id"), max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claimed_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    # As sent: parts of some subjects (a task's due date) are read when the e-mail is
    # rendered, so the trail shows this rather than a new rendering.
    subject = models.CharField(_("ämnesrad"), max_length=500, blank=True)
    provider_message_id = models.CharField(
        _("leverantörens meddelande-id"), max_length=255, blank=True, db_index=True
    )
    provider_status = models.CharField(_("leverantörens svar"), max_length=100, blank=True)

    delivery_status = models.CharField(
        _("leveransstatus"),
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.UNKNOWN,
        blank=True,
    )
    delivery_detail = models.TextField(_("leveransdetaljer"), blank=True)
    delivery_updated_at = models.DateTimeField(_("leveransstatus ändrad"), null=True, blank=True)

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        indexes = [
            # The relay asks "which rows are due?" every 30 seconds.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_email}"


class FailedOutboxEmail(OutboxEmail):
    """The same rows, shown in admin as their own list: the ones that need a person."""

    class Meta:
        proxy = True
        verbose_name = _("misslyckad e-post")
        verbose_name_plural = _("misslyckad e-post")
