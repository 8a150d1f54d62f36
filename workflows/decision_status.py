"""Where a kommun's decision stands in law: justerad, announced, appealable until
when, appealed, stopped by an inhibition, quashed, or laga kraft.

The rules are here once; the services, the flow, the pages, the e-mails and the
PDF ask them. A decision's steps are append-only rows (``DecisionStep``), so the
status is read from them, never stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .legal_dates import anslag_due, justering_due, last_appeal_day
from .models import (
    Agreement,
    AppealOutcome,
    Decision,
    DecisionStep,
    Outcome,
    SigningAfter,
    StepKind,
    Track,
    Version,
)


@dataclass(frozen=True)
class LegalStatus:
    decision: Decision
    steps: tuple[DecisionStep, ...]

    def _last(self, kind: str) -> DecisionStep | None:
        found = [step for step in self.steps if step.kind == kind]
        return found[-1] if found else None

    @property
    def justering(self) -> DecisionStep | None:
        return self._last(StepKind.JUSTERING)

    @property
    def delegated(self) -> bool:
        return bool(self.decision.delegation_point)

    @property
    def anmalan(self) -> DecisionStep | None:
        return self._last(StepKind.ANMALAN)

    @property
    def protocol(self) -> DecisionStep | None:
        """The protocol the anslag announces: the justering of the meeting's, or for a
        delegated decision the anmälan to the KS."""
        return self.anmalan if self.delegated else self.justering

    @property
    def anslag(self) -> DecisionStep | None:
        return self._last(StepKind.ANSLAG)

    @property
    def laga_kraft(self) -> DecisionStep | None:
        return self._last(StepKind.LAGA_KRAFT)

    @property
    def extracts(self) -> list[DecisionStep]:
        return [step for step in self.steps if step.kind == StepKind.EXTRACT]

    @property
    def appeals(self) -> list[DecisionStep]:
        return [step for step in self.steps if step.kind == StepKind.APPEAL]

    @property
    def appeal_outcomes(self) -> list[DecisionStep]:
        return [step for step in self.steps if step.kind == StepKind.APPEAL_DECIDED]

    @property
    def appeal_pending(self) -> bool:
        return len(self.appeals) > len(self.appeal_outcomes)

    @property
    def quashed(self) -> bool:
        return any(s.appeal_outcome == AppealOutcome.QUASHED for s in self.appeal_outcomes)

    @property
    def inhibited(self) -> bool:
        stops = (StepKind.INHIBITION, StepKind.INHIBITION_LIFTED)
        kinds = [step.kind for step in self.steps if step.kind in stops]
        return bool(kinds) and kinds[-1] == StepKind.INHIBITION

    @property
    def last_appeal_day(self) -> datetime.date | None:
        return last_appeal_day(self.anslag.on) if self.anslag else None

    @property
    def justering_due(self) -> datetime.date | None:
        return None if self.delegated else justering_due(self.decision.meeting_date)

    @property
    def anslag_due(self) -> datetime.date | None:
        return anslag_due(self.protocol.on) if self.protocol else None

    def window_passed(self, today: datetime.date | None = None) -> bool:
        return appeal_window_passed(self.last_appeal_day, today)

    def may_confirm_laga_kraft(self, today: datetime.date | None = None) -> bool:
        return (
            self.laga_kraft is None
            and self.window_passed(today)
            and not self.appeal_pending
            and not self.quashed
        )

    def final(self) -> bool:
        return self.laga_kraft is not None

    def words(self, today: datetime.date | None = None) -> str:
        """One line for the pages, the e-mails and the PDF."""
        if self.quashed:
            return _("Beslutet har upphävts av domstol.")
        if self.laga_kraft is not None:
            return laga_kraft_words(self.laga_kraft.on)
        if self.inhibited:
            return _("Överklagat; domstolen har beslutat om inhibition.")
        if self.appeal_pending:
            return _("Överklagat; domstolen har inte avgjort målet.")
        if self.appeals:
            return _(
                "Överklagandet är avgjort; beslutet står fast. Laga kraft när domen har "
                "vunnit laga kraft och nämndsekreteraren har bekräftat det."
            )
        if self.anslag is not None:
            return appeal_window_words(self.last_appeal_day, today)
        if self.delegated and self.anmalan is not None:
            return _("Anmält till kommunstyrelsen %(date)s; anslaget är inte registrerat.") % {
                "date": self.anmalan.on.isoformat()
            }
        if self.delegated:
            return _("Beslutat på delegation; ännu inte anmält till kommunstyrelsen.")
        if self.justering is not None:
            return _("Protokollet är justerat %(date)s; anslaget är inte registrerat.") % {
                "date": self.justering.on.isoformat()
            }
        return _("Protokollet är inte justerat ännu.")


def laga_kraft_words(on: datetime.date) -> str:
    return _("Laga kraft sedan %(date)s.") % {"date": on.isoformat()}


def appeal_window_passed(
    last_day: datetime.date | None, today: datetime.date | None = None
) -> bool:
    """The last day to appeal has been and gone (None: the window has not started)."""
    return last_day is not None and (today or timezone.localdate()) > last_day


def appeal_window_words(last_day: datetime.date, today: datetime.date | None = None) -> str:
    """After the tillkännagivande, until laga kraft is confirmed: a kommun's decision
    and a delegated medborgarlöften decision read the same."""
    if appeal_window_passed(last_day, today):
        return _(
            "Överklagandetiden har gått ut (%(date)s). Laga kraft när nämndsekreteraren "
            "har bekräftat att inget överklagande kommit in."
        ) % {"date": last_day.isoformat()}
    return _("Överklagbart till och med %(date)s, ännu inte laga kraft.") % {
        "date": last_day.isoformat()
    }


def status_of(decision: Decision, *, fresh: bool = False) -> LegalStatus:
    """From the prefetched steps if there are any (pages), else (or ``fresh``, for
    the services under their lock) from the database."""
    steps = None if fresh else getattr(decision, "_prefetched_objects_cache", {}).get("steps")
    if steps is None:
        steps = decision.steps.all()
    return LegalStatus(decision, tuple(sorted(steps, key=lambda s: (s.on, s.created_at, s.pk))))


def _on_latest_text(agreement_id: int):
    latest = Version.objects.filter(agreement_id=agreement_id).order_by("-number")[:1]
    return Subquery(latest.values("pk"))


def standing_bifall(agreement: Agreement, track: str) -> Decision | None:
    """The track's bifall on the latest text that no court has quashed."""
    return (
        Decision.objects.filter(
            agreement=agreement,
            track=track,
            outcome=Outcome.BIFALL,
            version__in=_on_latest_text(agreement.pk),
        )
        .exclude(steps__appeal_outcome=AppealOutcome.QUASHED)
        .order_by("-pk")
        .first()
    )


def municipal_ready_for_signing(agreement_id: int) -> bool:
    """The kommun's standing bifall on the latest text is justerad (a delegated one
    anmäld to the KS), or laga kraft where the kommun waits for that
    (``Organisation.signing_after``, chosen by the kommun's administrator). One
    query: the flow asks on every decision."""
    justering_is_enough = Q(
        kind__in=(StepKind.JUSTERING, StepKind.ANMALAN),
        agreement__kommun__signing_after=SigningAfter.JUSTERING,
    )
    return (
        DecisionStep.objects.filter(
            justering_is_enough | Q(kind=StepKind.LAGA_KRAFT),
            agreement_id=agreement_id,
            decision__track=Track.MUNICIPAL,
            decision__outcome=Outcome.BIFALL,
            decision__version__in=_on_latest_text(agreement_id),
        )
        .exclude(decision__steps__appeal_outcome=AppealOutcome.QUASHED)
        .exists()
    )


def inhibited(agreement: Agreement) -> bool:
    """A court has stopped the kommun's decision behind the signing under way. One
    query: signing's guard asks it."""
    if agreement.pk is None or not agreement.awaiting_signature:
        return False
    last = (
        DecisionStep.objects.filter(
            agreement_id=agreement.pk,
            kind__in=(StepKind.INHIBITION, StepKind.INHIBITION_LIFTED),
            decision__track=Track.MUNICIPAL,
            decision__version__in=_on_latest_text(agreement.pk),
        )
        .exclude(decision__steps__appeal_outcome=AppealOutcome.QUASHED)
        .order_by("-on", "-created_at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last == StepKind.INHIBITION


def in_force_basis(agreement: Agreement) -> LegalStatus | None:
    """The legal status of the kommun's decision behind the text in force."""
    if agreement.version_in_force_id is None:
        return None
    decision = (
        Decision.objects.filter(
            version_id=agreement.version_in_force_id,
            track=Track.MUNICIPAL,
            outcome=Outcome.BIFALL,
        )
        .prefetch_related("steps")
        .order_by("-pk")
        .first()
    )
    return status_of(decision) if decision is not None else None
