"""Drafting: agreements, versions, drafter approvals, up to the joint proposal.

Each transition locks the agreement row, re-checks the rules under the lock,
changes state, and writes the trail in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from .. import content as content_rules
from ..agreement_lifecycle import AGREEMENT, BEFORE_FORCE, CLOSED_EARLY
from ..models import (
    Agreement,
    AgreementKind,
    DecidingBody,
    DrafterApproval,
    FollowUpCadence,
    Organisation,
    OrganisationKind,
    Person,
    Version,
)
from ..models.agreements import DEFAULT_BODY
from ..models.organisations import DRAFTER_ROLES
from ..statemachine import Edge
from . import rounds
from .actors import Actor, today
from .common import agreement_lock, as_drafter
from .errors import DomainError, DuplicateAgreement, StaleVersion
from .transitions import edge_or_refuse, take


def valid_content(content: dict) -> dict:
    try:
        return content_rules.validate(content)
    except content_rules.ContentError as error:
        raise DomainError(str(error)) from None


@transaction.atomic
def agreement_create(
    *,
    kommun: Organisation,
    lokalpolisomrade: Organisation,
    kind: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    content: dict,
    author: Person,
    channel: str,
    follow_up_cadence: str = "yearly",
    deciding_body: str | None = None,
    change_note: str = "",
    renewed_from: Agreement | None = None,
    duplicate_reason: str = "",
) -> Agreement:
    """Create an agreement in draft with its first version, written by a drafter.
    Another agreement of the same parties and kind for an overlapping period is
    refused unless ``duplicate_reason`` says why (``DuplicateAgreement``)."""
    refuse_bad_basics(kommun, lokalpolisomrade, period_start, period_end, title)
    overlap = refuse_overlap(
        kommun, lokalpolisomrade, kind, period_start, period_end, duplicate_reason
    )
    content = valid_content(content)
    agreement = Agreement.objects.create(
        kommun=kommun,
        lokalpolisomrade=lokalpolisomrade,
        kind=kind,
        deciding_body=deciding_body or DEFAULT_BODY[AgreementKind(kind)],
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        follow_up_cadence=follow_up_cadence,
        renewed_from=renewed_from,
    )
    actor = as_drafter(author, agreement, channel)
    take(
        agreement,
        "create",
        actor,
        edge=AGREEMENT.edge("create"),
        details={
            **agreement_details(agreement),
            "renewed_from": renewed_from.pk if renewed_from else None,
            **overlap,
        },
    )
    _add_version(agreement, actor, content, change_note, parent=None)
    return agreement


def agreement_details(agreement: Agreement) -> dict[str, Any]:
    """What the trail records of an agreement coming into the product, created or
    registered afterwards."""
    return {
        "title": agreement.title,
        "kind": agreement.kind,
        "deciding_body": agreement.deciding_body,
        "kommun": agreement.kommun_id,
        "lokalpolisomrade": agreement.lokalpolisomrade_id,
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
    }


def _add_version(
    agreement: Agreement,
    actor: Actor,
    content: dict,
    change_note: str,
    parent: Version | None,
    extra: dict | None = None,
    edge: Edge | None = None,
) -> Version:
    """A new version; after the joint proposal it voids the proposal and its round."""
    edge = edge or edge_or_refuse(agreement, "submit_version")
    latest = agreement.latest_version()
    version = Version.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        content=content,
        change_note=change_note.strip(),
        author=actor.person,
        parent=parent,
    )
    voided = sorted(latest.approvals.values_list("role", flat=True)) if latest is not None else []
    take(
        agreement,
        "submit_version",
        actor,
        edge=edge,
        obj=version,
        version_hash=version.content_hash,
        details={
            "number": version.number,
            "parent": parent.number if parent else None,
            "change_note": version.change_note,
            "voided_approvals": voided,
            **(extra or {}),
        },
    )
    if edge.changes_state:
        rounds.round_cancel(agreement, rounds.Withdrawn.NEW_VERSION, version.number)
    return version


@transaction.atomic
def version_submit(
    *,
    agreement_id: int,
    author: Person,
    content: dict,
    change_note: str,
    seen_latest: int,
    parent_number: int | None,
    channel: str,
    period: tuple[datetime.date, datetime.date] | None = None,
    facts: dict[str, str] | None = None,
    parties: tuple[Organisation, Organisation] | None = None,
) -> Version:
    """Submit a new version, and with it a new period if ``period`` differs, a new
    kind, deciding body or follow-up cadence where ``facts`` (named as the
    agreement's fields) differ, and new ``parties`` (kommun, lokalpolisområde): all
    are part of what is proposed, decided and signed.

    ``seen_latest`` is the latest version number the author saw when they began:
    if someone submitted since, the new version is refused rather than silently
    overwriting their work. A new version voids every earlier drafter approval,
    and a joint proposal goes back to drafting.
    """
    agreement = agreement_lock(agreement_id)
    actor = as_drafter(author, agreement, channel)
    # Taken before the period changes: a lapsed period is what lets a signing round go.
    edge = edge_or_refuse(
        agreement,
        "submit_version",
        _("Överenskommelsen är %(state)s; nya versioner kan inte lämnas in nu.")
        % {"state": agreement.get_state_display().lower()},
    )
    content = valid_content(content)
    latest = agreement.latest_version()
    if latest is not None and latest.number != seen_latest:
        raise StaleVersion(
            _("Version %(n)d har lämnats in sedan du började. Öppna den och gör om ändringen.")
            % {"n": latest.number}
        )
    if latest is not None and content_rules.content_hash(content) == latest.content_hash:
        raise DomainError(
            _("Texten är densamma som i version %(n)d. Ändra något innan du lämnar in.")
            % {"n": latest.number}
        )
    parent = agreement.versions.filter(number=parent_number).first() if parent_number else None
    start, end = period or (agreement.period_start, agreement.period_end)
    changed = {**_facts_changed(agreement, facts or {}), **_parties_changed(agreement, parties)}
    extra = {**_period_change(agreement, start, end), **_facts_details(agreement, changed)}
    if period_editable(agreement) and end < today():
        raise DomainError(
            _("Perioden slutade %(date)s. Ange en ny period med den nya versionen.")
            % {"date": end.isoformat()}
        )
    version = _add_version(agreement, actor, content, change_note, parent, extra, edge)
    if extra:
        # After the edge: a lapsed period is what let a signing round go back to draft.
        agreement.period_start, agreement.period_end = start, end
        for name, value in changed.items():
            setattr(agreement, name, value)
        agreement.save(update_fields=["period_start", "period_end", *changed])
    if "kommun" in changed or "lokalpolisomrade" in changed:
        # The author stays one of the drafters: new parties are theirs too.
        as_drafter(
            author,
            agreement,
            channel,
            _("Välj parter där du själv är kommunpolis eller trygghetssamordnare."),
        )
    return version


# What may change with a version before the agreement has been in force, besides
# the period, and the choices each takes.
EDITABLE_FACTS = {
    "kind": AgreementKind,
    "deciding_body": DecidingBody,
    "follow_up_cadence": FollowUpCadence,
}


def _facts_changed(agreement: Agreement, facts: dict[str, str]) -> dict[str, str]:
    for name, value in facts.items():
        if name not in EDITABLE_FACTS or (value and value not in EDITABLE_FACTS[name].values):
            raise DomainError(_("Ogiltigt värde: %(value)s.") % {"value": value})
    changed = {
        name: value for name, value in facts.items() if value and value != getattr(agreement, name)
    }
    if changed and not period_editable(agreement):
        raise DomainError(
            _(
                "Typ, beslutande organ och uppföljning kan inte ändras när "
                "överenskommelsen har gällt."
            )
        )
    return changed


def _parties_changed(
    agreement: Agreement, parties: tuple[Organisation, Organisation] | None
) -> dict[str, Organisation]:
    """New parties, before the agreement has been proposed: they are whom it binds."""
    if parties is None or parties == (agreement.kommun, agreement.lokalpolisomrade):
        return {}
    kommun, lpo = parties
    if kommun.kind != OrganisationKind.KOMMUN or lpo.kind != OrganisationKind.LPO:
        raise DomainError(_("Parterna ska vara en kommun och ett lokalpolisområde."))
    if not parties_editable(agreement):
        raise DomainError(
            _("Parterna kan bara ändras i ett utkast, före det gemensamma förslaget.")
        )
    return {
        name: new
        for name, new in (("kommun", kommun), ("lokalpolisomrade", lpo))
        if new != getattr(agreement, name)
    }


def _facts_details(agreement: Agreement, changed: dict) -> dict[str, str]:
    """The trail's words: each new value and the one it replaces (an organisation by
    its id, as the creation event names the parties)."""
    details = {}
    for name, value in changed.items():
        previous = getattr(agreement, name)
        details[name] = value.pk if isinstance(value, Organisation) else value
        details[f"previous_{name}"] = (
            previous.name if isinstance(previous, Organisation) else previous
        )
    return details


def overlapping(
    kommun: Organisation,
    lokalpolisomrade: Organisation,
    kind: str,
    start: datetime.date,
    end: datetime.date,
) -> list[Agreement]:
    """Agreements of the same parties and kind whose period overlaps, but those
    rejected or terminated (they will not apply); the first ten, enough to show."""
    return list(
        Agreement.objects.filter(
            kommun=kommun,
            lokalpolisomrade=lokalpolisomrade,
            kind=kind,
            period_start__lte=end,
            period_end__gte=start,
        )
        .exclude(AGREEMENT.q_with(CLOSED_EARLY))
        .order_by("period_start", "pk")[:10]
    )


def refuse_bad_basics(
    kommun: Organisation,
    lokalpolisomrade: Organisation,
    period_start: datetime.date,
    period_end: datetime.date,
    title: str,
) -> None:
    if kommun.kind != OrganisationKind.KOMMUN or lokalpolisomrade.kind != OrganisationKind.LPO:
        raise DomainError(_("Parterna ska vara en kommun och ett lokalpolisområde."))
    if period_end < period_start:
        raise DomainError(_("Perioden måste sluta efter att den börjar."))
    if not title.strip():
        raise DomainError(_("Överenskommelsen behöver en titel."))


def refuse_overlap(
    kommun: Organisation,
    lokalpolisomrade: Organisation,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    duplicate_reason: str,
) -> dict:
    """DuplicateAgreement when a new one overlaps others and ``duplicate_reason`` does
    not say why another is needed; else the trail's words for the overlap, if any."""
    overlaps = overlapping(kommun, lokalpolisomrade, kind, period_start, period_end)
    if overlaps and not duplicate_reason.strip():
        raise DuplicateAgreement(
            _(
                "Det finns redan en överenskommelse av samma typ för %(parties)s under en "
                "period som överlappar: %(titles)s. Skriv varför en till behövs, eller "
                "arbeta vidare i den som finns."
            )
            % {
                "parties": f"{kommun.name} {_('och')} {lokalpolisomrade.name}",
                "titles": "; ".join(
                    f"{a.title} ({a.period_start.isoformat()} – {a.period_end.isoformat()})"
                    for a in overlaps
                ),
            },
            overlaps,
        )
    if not overlaps:
        return {}
    return {"overlaps": [a.pk for a in overlaps], "duplicate_reason": duplicate_reason.strip()}


def parties_editable(agreement: Agreement) -> bool:
    """The parties are whom the text binds: they change only in a first draft."""
    return agreement.allows("propose")


def period_editable(agreement: Agreement) -> bool:
    """The period is part of what is proposed, decided and signed: it changes with a
    new version, and only before the agreement has been in force."""
    return AGREEMENT.has(agreement.state, BEFORE_FORCE)


def _period_change(agreement: Agreement, start: datetime.date, end: datetime.date) -> dict:
    """The trail's words for a new period, after checking it may change."""
    if (start, end) == (agreement.period_start, agreement.period_end):
        return {}
    if not period_editable(agreement):
        raise DomainError(_("Perioden för en överenskommelse som gällt kan inte ändras."))
    if end < start:
        raise DomainError(_("Periodens sista dag kan inte ligga före dess första dag."))
    return {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "previous_period": (
            f"{agreement.period_start.isoformat()} – {agreement.period_end.isoformat()}"
        ),
    }


@transaction.atomic
def version_approve(
    *, version_id: int, person: Person, channel: str, decide_by: datetime.date | None = None
) -> DrafterApproval:
    """A drafter approves one version; both drafters on the same version make the
    joint proposal and move the agreement to proposed. ``decide_by`` is the date
    the drafter asks the decision to be taken by (workflows/deadlines.py)."""
    try:
        agreement = agreement_lock(versions=version_id)
    except Agreement.DoesNotExist:
        raise Version.DoesNotExist from None
    # Under the lock: the number of the latest version and who has approved this one.
    version = Version.objects.annotate(
        latest_number=Subquery(
            Version.objects.filter(agreement=OuterRef("agreement"))
            .order_by("-number")
            .values("number")[:1]
        ),
        **{
            f"by_{role}": Exists(DrafterApproval.objects.filter(version=OuterRef("pk"), role=role))
            for role in DRAFTER_ROLES
        },
    ).get(pk=version_id)
    approved_by = {role for role in DRAFTER_ROLES if getattr(version, f"by_{role}")}
    version.agreement = agreement  # the e-mails read the drafters from the locked one
    actor = as_drafter(person, agreement, channel)
    edge_or_refuse(
        agreement,
        "approve_version",
        _("Överenskommelsen är redan %(state)s.")
        % {"state": agreement.get_state_display().lower()},
    )
    if version.latest_number != version.number:
        raise StaleVersion(
            _("Version %(old)d är ersatt av version %(new)d. Granska och godkänn den nyaste.")
            % {"old": version.number, "new": version.latest_number}
        )
    if actor.role in approved_by:
        raise DomainError(
            _("Version %(n)d är redan godkänd av %(role)s.")
            % {"n": version.number, "role": actor.assignment.get_role_display().lower()}
        )
    if decide_by is not None and decide_by < today():
        raise DomainError(_("Datumet då beslut önskas kan inte ligga i det förflutna."))
    approval = DrafterApproval.objects.create(
        version=version, person=person, role=actor.role, decide_by=decide_by
    )
    bound = {"version_hash": version.content_hash, "details": {"number": version.number}}
    wish = {"decide_by": decide_by.isoformat()} if decide_by else {}
    take(
        agreement,
        "approve_version",
        actor,
        obj=approval,
        subject=version,
        version_hash=version.content_hash,
        details={"number": version.number, **wish},
    )
    if approved_by | {actor.role} >= set(DRAFTER_ROLES):
        take(agreement, "propose", actor, obj=version, **bound)
        rounds.round_start(agreement)
    return approval
