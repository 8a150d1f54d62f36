"""Agreements registered afterwards: decided, and perhaps signed, before they came
into the product.

The facts are recorded as the source document gives them or as the registrar
entered them; a fact the document does not give stays empty and reads "uppgift
saknas i underlaget", never a guess. The document itself is kept as uploaded,
addressed by its SHA-256, and both tables are append-only like the trail.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .organisations import Person
from .versions import Version


class SourceDocument(models.Model):
    """A document as uploaded: the same bytes are one row, whoever uploads them."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    data = models.BinaryField(_("innehåll"), editable=False)
    created_at = models.DateTimeField(_("uppladdat"), auto_now_add=True)

    class Meta:
        verbose_name = _("källdokument")
        verbose_name_plural = _("källdokument")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class Registration(models.Model):
    """An agreement, or one of its medborgarlöften sets (``promise_set_id``; workflows
    knows nothing of promises), registered afterwards."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="registrations")
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    promise_set_id = models.BigIntegerField(_("medborgarlöften"), null=True, blank=True)
    # The SHA-256 of the text registered: the version's, or the set's content.
    content_hash = models.CharField(_("SHA-256"), max_length=64)
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("källdokument"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {"decisions": [{track, body, decided_on, paragraph, diarienummer}],
    #  "signatures": [{role, name, title, place, signed_on}]}; dates as YYYY-MM-DD,
    # "" where the document does not say (services/registration.py).
    facts = models.JSONField(_("uppgifter"))
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registrerad av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("registrering i efterhand")
        verbose_name_plural = _("registreringar i efterhand")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(promise_set_id__isnull=True),
                name="one_registration_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["promise_set_id"],
                condition=models.Q(promise_set_id__isnull=False),
                name="one_registration_per_promise_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.created_at:%Y-%m-%d})"
