"""Decisions, signatures and the single-use tokens in the e-mail links that make them.

Each decision and signature is bound to the exact text it concerns by the
version's SHA-256. Database constraints back the rules that concurrency could
otherwise break: one final decision per track and version, one signature per
role and version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .identity import Identified
from .organisations import Person
from .versions import Version


class Track(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunens beslut")
    POLICE = "police", _("Polisens beslut")


class Outcome(models.TextChoices):
    BIFALL = "bifall", _("Bifall")
    AVSLAG = "avslag", _("Avslag")
    ATERREMISS = "aterremiss", _("Återremiss")
    BORDLAGGNING = "bordlaggning", _("Bordläggning")


class Body(models.TextChoices):
    KS = "ks", _("Kommunstyrelsen")
    KF = "kf", _("Kommunfullmäktige")
    LPO = "lpo", _("Lokalpolisområdeschefen")


class Decision(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="decisions")
    version_hash = models.CharField(_("versionens SHA-256"), max_length=64)
    track = models.CharField(_("spår"), max_length=10, choices=Track.choices)
    body = models.CharField(_("beslutande organ"), max_length=3, choices=Body.choices)
    outcome = models.CharField(_("utfall"), max_length=15, choices=Outcome.choices)
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    next_meeting_date = models.DateField(_("nytt sammanträdesdatum"), null=True, blank=True)
    # The Police decide in the line, not in a meeting: who decided and who presented.
    decided_by = models.CharField(_("beslutsfattare"), max_length=200, blank=True)
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    # A revision decided by a delegate on the KS's behalf (``decided_by``): the point
    # of the delegationsordning. Empty for a decision taken at a meeting.
    delegation_point = models.CharField(
        _("punkt i delegationsordningen"), max_length=100, blank=True
    )
    # 2 after a court quashed the track's first decision on this version, and so on.
    attempt = models.PositiveSmallIntegerField(_("beslutstillfälle"), default=1)
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("registrerat av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            # Bordläggning may happen many times; any other outcome closes the track.
            models.UniqueConstraint(
                fields=["version", "track", "attempt"],
                condition=~Q(outcome="bordlaggning"),
                name="one_final_decision_per_track_version_and_attempt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.get_outcome_display()}"


class SignatoryRole(models.TextChoices):
    KS_ORDFORANDE = "ks_ordforande", _("Kommunstyrelsens ordförande")
    LPO_CHEF = "lpo_chef", _("Lokalpolisområdeschef")


class Signature(Identified):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="signatures")
    version_hash = models.CharField(_("versionens SHA-256"), max_length=64)
    role = models.CharField(_("roll"), max_length=20, choices=SignatoryRole.choices)
    person = models.ForeignKey(Person, verbose_name=_("undertecknare"), on_delete=models.PROTECT)
    place = models.CharField(_("ort"), max_length=100)
    signed_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="one_signature_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.place} den {self.signed_on.isoformat()}"


class StepKind(models.TextChoices):
    """What happens to a municipal decision after the meeting, as it happens."""

    JUSTERING = "justering", _("Justering")
    # A decision taken by delegation is reported (anmäld) to the KS instead: the
    # protocol of that meeting is what is announced.
    ANMALAN = "anmalan", _("Anmälan till kommunstyrelsen")
    ANSLAG = "anslag", _("Anslag")
    EXTRACT = "extract", _("Beslutsdokument")
    LAGA_KRAFT = "laga_kraft", _("Laga kraft")
    APPEAL = "appeal", _("Överklagande")
    APPEAL_DECIDED = "appeal_decided", _("Domstolens avgörande")
    INHIBITION = "inhibition", _("Inhibition")
    INHIBITION_LIFTED = "inhibition_lifted", _("Inhibitionen hävd")


class AppealOutcome(models.TextChoices):
    REJECTED = "avslaget", _("Överklagandet avslogs")
    DISMISSED = "avvisat", _("Överklagandet avvisades")
    QUASHED = "upphavt", _("Beslutet upphävdes")


class DecisionStep(models.Model):
    """One thing that happened to a decision after it was taken: justering, anslag,
    the protokollsutdrag, laga kraft, an appeal and its outcome, an inhibition.
    Append-only like the decision: what the trail says happened stays."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        Decision, verbose_name=_("beslut"), on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField(_("vad"), max_length=20, choices=StepKind.choices)
    on = models.DateField(_("datum"))
    # Justerare (justering); the court (appeal).
    names = models.CharField(_("namn"), max_length=300, blank=True)
    url = models.URLField(_("länk"), max_length=500, blank=True)
    case_number = models.CharField(_("målnummer"), max_length=50, blank=True)
    # The § of the KS protocol a delegated decision was anmäld in.
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True)
    appeal_outcome = models.CharField(
        _("utgång"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    # A protokollsutdrag or the Police's decision document (a PDF), kept in the
    # database with the rest of the record, and its SHA-256 in the trail.
    document = models.BinaryField(_("dokument"), blank=True, editable=False)
    document_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    document_sha256 = models.CharField(_("dokumentets SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("registrerat av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at"]
        verbose_name = _("händelse efter beslutet")
        verbose_name_plural = _("händelser efter beslutet")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind"],
                condition=Q(kind__in=["justering", "anslag", "laga_kraft"]),
                name="one_justering_anslag_and_laga_kraft_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on.isoformat()}"

    @property
    def version(self):
        return self.decision.version


class TaskKind(models.TextChoices):
    MUNICIPAL_DECISION = "municipal_decision", _("Kommunens beslut")
    MUNICIPAL_PROTOCOL = "municipal_protocol", _("Justering av kommunens beslut")
    POLICE_DECISION = "police_decision", _("Polisens beslut")
    KS_SIGNATURE = "ks_signature", _("Underskrift, kommunstyrelsens ordförande")
    LPO_SIGNATURE = "lpo_signature", _("Underskrift, lokalpolisområdeschef")
    # Medborgarlöften are decided and signed by these two together, without a meeting.
    PROMISES_KS = "promises_ks", _("Medborgarlöften, kommunstyrelsens ordförande")
    PROMISES_LPO = "promises_lpo", _("Medborgarlöften, lokalpolisområdeschef")
    # A delegated medborgarlöften decision, reported to the next KS meeting.
    PROMISES_ANMALAN = "promises_anmalan", _("Medborgarlöften, anmälan av delegationsbeslut")


class ActionToken(models.Model):
    """The secret in an e-mail link. Only its SHA-256 is stored.

    Bound to one recipient, one task, one version; single-use; expires; revoked
    when the version, the assignee or the round changes.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    # The token is derived from this and a key outside the database (services/tokens.py).
    nonce = models.CharField(max_length=64, blank=True)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="tokens")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    task_id = models.BigIntegerField(_("uppgift"))
    version_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")
        indexes = [models.Index(fields=["task_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person_id}"
