"""The decision trail: one hash chain of events per agreement.

Everything an auditor must be able to prove sits in ``AuditEvent`` and is
covered by its hash. Names and titles sit in ``EventActor``, outside the hash,
so personal data can be erased later without breaking verification; the hashed
part refers to people by their stable ids.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .organisations import Organisation, Person

GENESIS_HASH = "0" * 64


class Channel(models.TextChoices):
    LOGIN = "login", _("inloggad")
    EMAIL_LINK = "email_link", _("via länk i e-post")
    COMMAND = "command", _("kommando")
    SYSTEM = "system", _("systemet")


class AuditEvent(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("överenskommelse"),
    )
    seq = models.PositiveIntegerField(_("nummer"))
    at = models.DateTimeField(_("tid"))
    actor = models.ForeignKey(
        Person, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("aktör")
    )
    actor_role = models.CharField(_("roll"), max_length=30, blank=True)
    actor_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    action = models.CharField(_("händelse"), max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    from_state = models.CharField(_("från status"), max_length=30, blank=True)
    to_state = models.CharField(_("till status"), max_length=30, blank=True)
    version_hash = models.CharField(_("versionens SHA-256"), max_length=64, blank=True)
    details = models.JSONField(_("detaljer"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["agreement", "seq"]
        verbose_name = _("händelse i beslutsspåret")
        verbose_name_plural = _("beslutsspår")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="one_event_per_seq")
        ]
        indexes = [
            # The periodic job's "signed lately, not yet sealed" (services/sealing.py).
            models.Index(
                fields=["at"],
                condition=models.Q(action="agreement_signed"),
                name="signed_events_at",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement_id,
            "seq": self.seq,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_role": self.actor_role,
            "actor_organisation": self.actor_organisation_id,
            "on_behalf_of": self.on_behalf_of_id,
            "channel": self.channel,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "version_hash": self.version_hash,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(
            self.hashed_fields(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class EventActor(models.Model):
    """Who acted, as they were called then. Outside the hash on purpose (GDPR)."""

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="actor_names")
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    on_behalf_of_name = models.CharField(_("för"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("aktörens namn")
        verbose_name_plural = _("aktörernas namn")

    def __str__(self) -> str:
        return self.name
