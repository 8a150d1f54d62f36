"""Medborgarlöften: yearly citizen promises tied to an operational agreement.

A set of promises is drafted by the agreement's kommunpolis and
trygghetssamordnare, proposed when both approve the same content hash, decided
and signed together by the KS-ordförande and the LPO-chef (from e-mail links, no
meeting), and then published. Published promises are followed up during the
year and summed up in a yearly report.

The set's content (its period, background and promises) is frozen from the
moment it is proposed; ``content_hash`` is the SHA-256 of its canonical JSON
(``promises/content.py``), and approvals and answers are bound to it. Answers,
approvals, follow-ups and reports are append-only (code, and on PostgreSQL a
trigger, migration 0001).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField
from viewflow.workflow.models import Process

from workflows.models import Agreement, Person, Role, SignatoryRole
from workflows.models.identity import Identified

from .lifecycle import EDITABLE, PROMISE_SET, PUBLIC

# The states and their labels come from the declaration (promises/lifecycle.py).
PromiseSetState = models.TextChoices(
    "PromiseSetState", [(value.upper(), (value, label)) for value, label in PROMISE_SET.choices]
)


class ImmutablePromise(Exception):
    pass


class PromiseSet(PROMISE_SET.fsm_methods(), ConcurrentTransitionMixin, models.Model):
    """The promises of one period (one year, or two as in Höör 2023–2024)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.PROTECT,
        related_name="promise_sets",
    )
    first_year = models.PositiveIntegerField(_("från och med år"))
    last_year = models.PositiveIntegerField(_("till och med år"))
    background = models.TextField(
        _("bakgrund"),
        blank=True,
        help_text=_("Lägesbilden som löftena bygger på, kort och på vanlig svenska."),
    )
    # protected: only the transitions below change it, under the services' locks.
    state = FSMField(
        _("status"), default=PROMISE_SET.initial, choices=PromiseSetState.choices, protected=True
    )
    # A return starts a new round: approvals and answers count only in their round.
    round = models.PositiveIntegerField(_("omgång"), default=1)
    content_hash = models.CharField(_("SHA-256"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-first_year"]
        verbose_name = _("medborgarlöften")
        verbose_name_plural = _("medborgarlöften")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="promise_set_years_in_order",
            ),
            models.UniqueConstraint(
                fields=["agreement", "first_year"], name="one_promise_set_per_start_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.agreement})"

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def title(self) -> str:
        return _("Medborgarlöften %(period)s") % {"period": self.period}

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def editable(self) -> bool:
        return PROMISE_SET.has(self.state, EDITABLE)

    @property
    def public(self) -> bool:
        return PROMISE_SET.has(self.state, PUBLIC)

    @property
    def awaiting_signature(self) -> bool:
        """Proposed: the KS-ordförande and the LPO-chef decide and sign."""
        return PROMISE_SET.allows("sign", self.state)


class Responsible(models.TextChoices):
    KOMMUN = "kommun", _("Kommunen")
    LPO = "lpo", _("Polisen")
    BOTH = "both", _("Kommunen och Polisen")


class Promise(models.Model):
    """One promise. Changed only while its set is a draft (or sent back); the
    services replace a draft's promises as a whole."""

    promise_set = models.ForeignKey(
        PromiseSet,
        verbose_name=_("medborgarlöften"),
        on_delete=models.PROTECT,
        related_name="promises",
    )
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("löfte"), max_length=300)
    description = models.TextField(_("beskrivning"))
    responsible = models.CharField(_("ansvarig"), max_length=10, choices=Responsible.choices)
    unit = models.CharField(_("ansvarig enhet"), max_length=300, blank=True)
    measure = models.TextField(_("så följs det upp"), blank=True)

    class Meta:
        ordering = ["promise_set", "position"]
        verbose_name = _("löfte")
        verbose_name_plural = _("löften")
        constraints = [
            models.UniqueConstraint(
                fields=["promise_set", "position"], name="one_promise_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if PromiseSet.objects.filter(PROMISE_SET.q_with(EDITABLE), pk=self.promise_set_id).exists():
            return super().save(*args, **kwargs)
        raise ImmutablePromise("Löftena kan inte ändras när de är föreslagna eller publicerade.")

    def delete(self, *args, **kwargs):
        if PromiseSet.objects.filter(PROMISE_SET.q_with(EDITABLE), pk=self.promise_set_id).exists():
            return super().delete(*args, **kwargs)
        raise ImmutablePromise("Löftena kan inte tas bort när de är föreslagna eller publicerade.")


class AppendOnly(models.Model):
    """Written once by a service; never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutablePromise(f"{self._meta.verbose_name} kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutablePromise(f"{self._meta.verbose_name} kan inte tas bort.")


class PromiseApproval(AppendOnly):
    """A drafter's approval of the set's content in one round."""

    promise_set = models.ForeignKey(PromiseSet, on_delete=models.PROTECT, related_name="approvals")
    round = models.PositiveIntegerField(_("omgång"))
    content_hash = models.CharField(_("SHA-256"), max_length=64)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("godkänd"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("godkännande av medborgarlöften")
        verbose_name_plural = _("godkännanden av medborgarlöften")
        constraints = [
            models.UniqueConstraint(
                fields=["promise_set", "round", "content_hash", "role"],
                name="one_promise_approval_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.content_hash[:12]}"


class Answer(models.TextChoices):
    SIGNED = "signed", _("Beslutat och undertecknat")
    RETURNED = "returned", _("Skickat tillbaka")


class PromiseAnswer(AppendOnly, Identified):
    """The KS-ordförande's or the LPO-chef's answer to the proposal: decided and
    signed (place and date), or sent back (a reason). One per role and round."""

    promise_set = models.ForeignKey(PromiseSet, on_delete=models.PROTECT, related_name="answers")
    round = models.PositiveIntegerField(_("omgång"))
    content_hash = models.CharField(_("SHA-256"), max_length=64)
    role = models.CharField(_("roll"), max_length=20, choices=SignatoryRole.choices)
    answer = models.CharField(_("svar"), max_length=10, choices=Answer.choices)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    place = models.CharField(_("ort"), max_length=100, blank=True)
    signed_on = models.DateField(_("datum"), null=True, blank=True)
    reason = models.TextField(_("skäl"), blank=True)
    # The KS-ordförande decides on the kommunstyrelsen's behalf (delegationsbeslut):
    # the point of the delegationsordning. Such a decision is reported (anmäld) to
    # the next KS meeting and can be appealed from that protocol's tillkännagivande.
    delegation_point = models.CharField(
        _("punkt i delegationsordningen"), max_length=100, blank=True
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("beslut och underskrift, medborgarlöften")
        verbose_name_plural = _("beslut och underskrifter, medborgarlöften")
        constraints = [
            models.UniqueConstraint(
                fields=["promise_set", "round", "role"], name="one_promise_answer_per_role"
            ),
            models.CheckConstraint(
                condition=(
                    Q(answer="signed", signed_on__isnull=False) & ~Q(place="")
                    | Q(answer="returned") & ~Q(reason="")
                ),
                name="promise_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_answer_display()}"

    @property
    def signed(self) -> bool:
        return self.answer == Answer.SIGNED


class DelegationStepKind(models.TextChoices):
    ANMALAN = "anmalan", _("Anmälan till kommunstyrelsen")
    LAGA_KRAFT = "laga_kraft", _("Laga kraft")


class DelegationStep(AppendOnly):
    """What befalls a delegated decision on a set after it is taken: its anmälan to
    the kommunstyrelsen (the meeting, the §, and the tillkännagivande the appeal
    window runs from), then laga kraft once the nämndsekreterare confirms it."""

    promise_set = models.ForeignKey(
        PromiseSet, on_delete=models.PROTECT, related_name="delegation_steps"
    )
    answer = models.ForeignKey(
        PromiseAnswer, verbose_name=_("delegationsbeslut"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("vad"), max_length=20, choices=DelegationStepKind.choices)
    # The anmälan: the KS meeting it was anmäld at; laga kraft: the day it took effect.
    on = models.DateField(_("datum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True)
    # The day the justerade protocol (or the decision itself) was announced.
    announced_on = models.DateField(_("tillkännagivet"), null=True, blank=True)
    announced_separately = models.BooleanField(_("eget tillkännagivande"), default=False)
    url = models.URLField(_("länk"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("registrerat av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at"]
        verbose_name = _("anmälan av delegationsbeslut")
        verbose_name_plural = _("anmälningar av delegationsbeslut")
        constraints = [
            models.UniqueConstraint(fields=["answer", "kind"], name="one_delegation_step_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on.isoformat()}"


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Inte påbörjat")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Genomfört")
    DELAYED = "delayed", _("Försenat")


class PromiseFollowUp(AppendOnly):
    """Where one promise stands on a day, in words the public page shows."""

    promise = models.ForeignKey(
        Promise, verbose_name=_("löfte"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    status = models.CharField(_("läge"), max_length=20, choices=FollowUpStatus.choices)
    comment = models.TextField(_("kommentar"))
    reported_on = models.DateField(_("datum"))
    author = models.ForeignKey(Person, verbose_name=_("av"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["promise", "-reported_on", "-created_at"]
        verbose_name = _("uppföljning av löfte")
        verbose_name_plural = _("uppföljningar av löften")

    def __str__(self) -> str:
        return f"{self.promise}: {self.get_status_display()} ({self.reported_on.isoformat()})"


class PromiseReport(AppendOnly):
    """The yearly report: a summary and each promise's status when it was written
    (``statuses``: a list of {"promise", "title", "status", "reported_on"})."""

    promise_set = models.ForeignKey(PromiseSet, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveIntegerField(_("år"))
    summary = models.TextField(_("sammanfattning"))
    statuses = models.JSONField(_("lägen"), default=list)
    author = models.ForeignKey(Person, verbose_name=_("av"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["promise_set", "year"]
        verbose_name = _("årsrapport, medborgarlöften")
        verbose_name_plural = _("årsrapporter, medborgarlöften")
        constraints = [
            models.UniqueConstraint(fields=["promise_set", "year"], name="one_report_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.promise_set.title}: {self.year}"


class PromiseProcess(Process):
    """The viewflow process of one round of decision and signature; its artifact
    is the PromiseSet. viewflow keeps the tasks; the set keeps its own state."""

    class Meta:
        proxy = True
        verbose_name = _("beslutsomgång, medborgarlöften")
        verbose_name_plural = _("beslutsomgångar, medborgarlöften")
