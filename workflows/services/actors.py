"""Who is acting, in which role, for whom: resolved from role assignments on a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Agreement, Person, Role, RoleAssignment
from ..models.trail import Channel


@dataclass(frozen=True)
class Actor:
    person: Person | None
    channel: str
    assignment: RoleAssignment | None = None

    @property
    def role(self) -> str:
        return self.assignment.role if self.assignment else ""

    @property
    def title(self) -> str:
        return self.assignment.display_title if self.assignment else ""

    @property
    def on_behalf_of(self) -> Person | None:
        return self.assignment.substitute_for if self.assignment else None

    @property
    def name(self) -> str:
        return self.person.name if self.person else "Samverkan"


SYSTEM = Actor(person=None, channel=Channel.SYSTEM)


def today() -> datetime.date:
    return timezone.localdate()


def party_ids(agreement: Agreement) -> tuple[int, int]:
    return (agreement.kommun_id, agreement.lokalpolisomrade_id)


def role_in_agreement(
    person: Person, agreement: Agreement, roles: tuple[str, ...], day: datetime.date | None = None
) -> RoleAssignment | None:
    """The person's active assignment in one of ``roles`` at one of the parties."""
    return (
        RoleAssignment.objects.active_on(day or today())
        .filter(person=person, role__in=roles, organisation_id__in=party_ids(agreement))
        .select_related("organisation", "substitute_for")
        # own role before a substitution (NULLS FIRST: PostgreSQL sorts NULL last)
        .order_by(F("substitute_for").asc(nulls_first=True), "-valid_from")
        .first()
    )


def drafter_role(person: Person, agreement: Agreement) -> RoleAssignment | None:
    """Kommunpolis of the agreement's LPO or trygghetssamordnare of its kommun, own
    role before a substitution. From the parties' assignments, which a drafter's
    transition reads anyway to tell the other drafters."""
    mine = [
        a
        for a in party_assignments(agreement)
        if a.person_id == person.pk and (a.role, a.organisation_id) in _drafting(agreement)
    ]
    mine.sort(key=lambda a: (a.substitute_for_id is not None, -a.valid_from.toordinal()))
    return mine[0] if mine else None


def _drafting(agreement: Agreement) -> set[tuple[str, int]]:
    return {
        (Role.KOMMUNPOLIS, agreement.lokalpolisomrade_id),
        (Role.TRYGGHETSSAMORDNARE, agreement.kommun_id),
    }


def can_view(person: Person | None, agreement: Agreement) -> bool:
    """Anyone holding any active role at either party may read the agreement."""
    if person is None:
        return False
    return (
        RoleAssignment.objects.active_on(today())
        .filter(person=person, organisation_id__in=party_ids(agreement))
        .exists()
    )


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def party_assignments(agreement: Agreement) -> list[RoleAssignment]:
    """Every assignment active today at the agreement's two parties, read once per
    agreement object and day: a transition asks who acts, who drafts and who is
    told, and all three answers come from the same rows."""
    key = (today(), party_ids(agreement))
    memo = agreement.__dict__.get("_party_assignments")
    if memo is None or memo[0] != key:
        rows = (
            RoleAssignment.objects.active_on(key[0])
            .filter(organisation_id__in=key[1])
            # person__user: viewflow assigns a task to the first one's login
            .select_related("person__user", "organisation", "substitute_for")
        )
        memo = agreement.__dict__["_party_assignments"] = (key, list(rows))
    return memo[1]


def _people(assignments) -> list[Person]:
    """Each person once, by name."""
    people = {a.person_id: a.person for a in assignments}
    return sorted(people.values(), key=lambda person: person.name)


def drafters(agreement: Agreement) -> list[Person]:
    """Everyone who may draft this agreement today (substitutes included)."""
    drafting = _drafting(agreement)
    return _people(
        a for a in party_assignments(agreement) if (a.role, a.organisation_id) in drafting
    )


def task_roles(agreement: Agreement, kind: str) -> tuple[int, tuple[str, ...]]:
    """The organisation and roles that may act on a task, in order of preference
    for who is assigned (the nämndsekreterare records the body's decision)."""
    from ..models import DecidingBody, TaskKind

    if kind == TaskKind.MUNICIPAL_DECISION:
        chair = (
            Role.KF_ORDFORANDE if agreement.deciding_body == DecidingBody.KF else Role.KS_ORDFORANDE
        )
        return agreement.kommun_id, (Role.NAMNDSEKRETERARE, chair)
    if kind in (TaskKind.MUNICIPAL_PROTOCOL, TaskKind.PROMISES_ANMALAN):
        return agreement.kommun_id, (Role.NAMNDSEKRETERARE,)
    if kind in (TaskKind.KS_SIGNATURE, TaskKind.PROMISES_KS):
        return agreement.kommun_id, (Role.KS_ORDFORANDE,)
    return agreement.lokalpolisomrade_id, (Role.LPO_CHEF,)


def task_assignments(agreement: Agreement, kind: str) -> list[RoleAssignment]:
    """Everyone who may act on the task today: role holders first, then substitutes."""
    org_id, roles = task_roles(agreement, kind)
    found = [
        a for a in party_assignments(agreement) if a.organisation_id == org_id and a.role in roles
    ]
    return sorted(found, key=lambda a: (a.substitute_for_id is not None, roles.index(a.role)))


def task_actor(person: Person, agreement: Agreement, kind: str, channel: str) -> Actor:
    from .errors import NotPermitted

    for assignment in task_assignments(agreement, kind):
        if assignment.person_id == person.pk:
            return Actor(person=person, channel=channel, assignment=assignment)
    raise NotPermitted(_("Den här uppgiften är inte din."))


def user_for(person: Person):
    """The login behind a person; people who only act from e-mail links get one
    without a usable password, because viewflow assigns tasks to users."""
    login_for(person)
    return person.user


def login_for(person: Person) -> bool:
    """Give the person a login named by their e-mail address (without a password,
    until they choose one), or keep the one they have in step with their address.
    True when a login was created."""
    from django.contrib.auth import get_user_model

    if person.user_id is None:
        user = get_user_model().objects.create_user(username=person.email, email=person.email)
        person.user = user
        person.save(update_fields=["user"])
        return True
    user = person.user
    if user.username != person.email or user.email != person.email:
        user.username = user.email = person.email
        user.save(update_fields=["username", "email"])
    return False


PARTY_ROLES = (
    Role.KOMMUNPOLIS,
    Role.TRYGGHETSSAMORDNARE,
    Role.NAMNDSEKRETERARE,
    Role.KS_ORDFORANDE,
    Role.KF_ORDFORANDE,
    Role.LPO_CHEF,
)


def party_people(agreement: Agreement) -> list[Person]:
    """Everyone at the parties who drafts, decides or signs: told of the outcome."""
    return _people(a for a in party_assignments(agreement) if a.role in PARTY_ROLES)
