"""How a signatory was identified when they signed, and the e-identities people
are bound to (issue 14)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Person


class IdentifiedBy(models.TextChoices):
    E_ID = "e_id", _("e-legitimation")
    PASSWORD = "password", _("lösenord i Samverkan")
    # The demo loader signs from the command line: nobody was identified.
    COMMAND = "command", _("ingen: demodata från kommandoraden")


class Identified(models.Model):
    """A signature's identification: the method, who vouched for it, the assurance
    level and methods the provider reported, when the person authenticated, and the
    identifier they are bound by. Empty on signatures registered afterwards."""

    identified_by = models.CharField(
        _("identifierad med"), max_length=10, choices=IdentifiedBy.choices, blank=True
    )
    identity_provider = models.CharField(_("identitetsutfärdare"), max_length=200, blank=True)
    identity_acr = models.CharField(_("tillitsnivå (acr)"), max_length=200, blank=True)
    identity_amr = models.CharField(_("metod (amr)"), max_length=200, blank=True)
    identified_at = models.DateTimeField(_("identifierad"), null=True, blank=True)
    identity_subject = models.CharField(_("bunden identitet"), max_length=200, blank=True)

    class Meta:
        abstract = True


class PersonIdentity(models.Model):
    """A person bound to an e-identity: the provider's subject identifier, stored at
    enrolment, or a keyed HMAC of the personal identity number (the key is kept
    outside the database; the number itself is never stored)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="identities"
    )
    issuer = models.CharField(_("identitetsutfärdare"), max_length=200)
    subject = models.CharField(_("identifierare hos utfärdaren"), max_length=200, blank=True)
    number_hmac = models.CharField(
        _("personnummer (nyckelad HMAC)"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("kopplad"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-legitimation")
        verbose_name_plural = _("e-legitimationer")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                condition=~Q(subject=""),
                name="one_person_per_subject",
            ),
            models.UniqueConstraint(
                fields=["number_hmac"],
                condition=~Q(number_hmac=""),
                name="one_person_per_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.issuer}"


class IdentityEvent(models.Model):
    """The trail of e-identity bindings: who was bound to which identity, when and by
    whom (themselves at enrolment, or an administrator). One hash chain for the
    installation, beside the agreements' trails; the table only grows."""

    seq = models.PositiveIntegerField(_("nummer"), unique=True)
    at = models.DateTimeField(_("tid"))
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    # The account that bound it (the person at enrolment, or an administrator): an
    # id, so that no name enters the hashed chain.
    bound_by = models.PositiveIntegerField(_("kopplad av (konto)"))
    issuer = models.CharField(_("identitetsutfärdare"), max_length=200)
    identity = models.CharField(_("bunden identitet"), max_length=200)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("koppling av e-legitimation")
        verbose_name_plural = _("kopplingar av e-legitimation")

    def __str__(self) -> str:
        return f"{self.seq}: {self.person_id} {self.issuer}"

    def payload(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "person": self.person_id,
            "bound_by": self.bound_by,
            "issuer": self.issuer,
            "identity": self.identity,
        }
