"""Rättelser: a recorded decision or signature corrected without overwriting it.

The decision and the signature rows are append-only, like the trail. A wrong date,
§, diarienummer or place is corrected by a new row here and a trail event naming
the old value, the new value, who corrected it and why; the pages, the PDF and the
export read the record with its corrections applied (``workflows/corrections.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .organisations import Person


class CorrectedRecord(models.TextChoices):
    DECISION = "decision", _("Beslut")
    SIGNATURE = "signature", _("Underskrift")


class Correction(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    record = models.CharField(_("vad"), max_length=10, choices=CorrectedRecord.choices)
    record_id = models.BigIntegerField(_("post"))
    field = models.CharField(_("uppgift"), max_length=30)
    # Values as the trail and the export write them: a date as YYYY-MM-DD.
    old_value = models.CharField(_("tidigare värde"), max_length=200, blank=True)
    new_value = models.CharField(_("rättat värde"), max_length=200)
    reason = models.TextField(_("skäl"))
    corrected_by = models.ForeignKey(
        Person, verbose_name=_("rättat av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        indexes = [models.Index(fields=["record", "record_id"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
