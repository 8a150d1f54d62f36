"""The signed agreement as the archives keep it: a PDF/A, sealed by the installation.

One row per signed version, written by a worker after the second signature
commits (``services/sealing.py``); its SHA-256 is in its own trail event, and the
table is append-only like the trail.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .versions import Version


class SealedRecord(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField(
        Version, verbose_name=_("version"), on_delete=models.PROTECT, related_name="sealed_record"
    )
    pdf = models.BinaryField(_("PDF/A"), editable=False)
    file_name = models.CharField(_("filnamn"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The sealing certificate's subject; empty where no certificate is configured.
    sealed_by = models.CharField(_("förseglad av"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("förseglad överenskommelse")
        verbose_name_plural = _("förseglade överenskommelser")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"
