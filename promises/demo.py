"""Demo data: Höör's medborgarlöften 2023–2024, published, with one follow-up.

``load()`` runs after ``manage.py load_demo`` has made the demo people and the
operational Höör agreement; it takes the promises the whole way through the
real services (drafted, approved by both drafters, decided and signed by the
KS-ordförande and the LPO-chef, published), so the trail and the e-mails are
what they would be. The four promises are written from the public 2023–2024
text (seeds/001): tidig upptäckt of young people on their way into drug use,
grannsamverkan, blåljusdagar for year 4, and the traffic environment.

Idempotent: if Höör's agreement already has promises from 2023, nothing is done.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

from workflows.models import Agreement, AgreementKind, Person, TaskKind
from workflows.models.trail import Channel
from workflows.services import identity

from .models import FollowUpStatus, PromiseSet
from .services import answers, delegation, drafting, followup, rounds
from .services.common import PROMISE_KINDS

KOMMUN = "Höörs kommun"
SIGNED_ON = datetime.date(2023, 4, 11)  # "Höör 2023 0411", both signatures
DRAFTERS = ("sara.bergstrom@hoor.demo.test", "karin.lindqvist@polisen.demo.test")
SECRETARY = "maria.sjoberg@hoor.demo.test"  # reports the delegated decision to the KS
SIGNATORIES = {
    "promises_ks": "per.axelsson@hoor.demo.test",
    "promises_lpo": "anders.wikstrom@polisen.demo.test",
}

BACKGROUND = (
    "Höör upplevs som en trygg kommun att bo och vistas i, och få invånare utsätts för "
    "brott. Trygghetsmätningen 2022 visar ändå att fler ser narkotika- eller "
    "alkoholpåverkade personer utomhus, och att de som börjar använda narkotika är "
    "yngre än förut. Många oroar sig för inbrott i bostäder och förråd, och inbrotten i "
    "förråd och bilar och stölderna av bränsle har blivit fler. Störningarna utomhus i "
    "centrum har ökat, och buskörning med mopeder och A-traktorer är fortfarande ett "
    "problem."
)

PROMISES = [
    {
        "title": "Vi upptäcker tidigt unga som är på väg in i missbruk",
        "description": (
            "Kommunen och Polisen samarbetar mer för att upptäcka och stoppa att narkotika "
            "når unga. Vi inför arbetssättet Tidig upptäckt, så att vi ser tecknen tidigt "
            "och kan hjälpa den unga och familjen innan ett missbruk hinner börja."
        ),
        "responsible": "both",
        "unit": "Kommunens sektor för utbildning och socialtjänst; kommunpolisen",
        "measure": "Att arbetssättet Tidig upptäckt är infört och hur många unga som fått stöd.",
    },
    {
        "title": "Fler grannar samverkar mot brott",
        "description": (
            "Vi informerar och ger stöd så att fler bostadsområden startar grannsamverkan, "
            "både bland villor och i flerfamiljshus. Grannar som håller uppsikt tillsammans "
            "kan minska inbrott, bilbrott och skadegörelse, och lär känna varandra bättre."
        ),
        "responsible": "both",
        "unit": "Kommunens trygghetssamordnare; kommunpolisen",
        "measure": "Hur många nya grannsamverkansområden som startar under perioden.",
    },
    {
        "title": "Blåljusdagar för elever i årskurs 4",
        "description": (
            "Vi ordnar blåljusdagar där elever i årskurs 4 träffar polis, räddningstjänst "
            "och ambulans. Målet är att barnen ska få en positiv bild av dem som arbetar "
            "med blåljus och känna att de kan vända sig till dem."
        ),
        "responsible": "both",
        "unit": "Kommunens skolor; lokalpolisområdet",
        "measure": "Att blåljusdagar genomförs för årskurs 4 varje år.",
    },
    {
        "title": "En tryggare trafikmiljö",
        "description": (
            "Vi går igenom trafikmiljön och tar fram förslag som förebygger olyckor och gör "
            "trafiken säkrare. Polisen och kommunen riktar arbetet dit klagomål, tips och "
            "statistik visar att problemen finns, till exempel buskörning."
        ),
        "responsible": "both",
        "unit": "Kommunens samhällsbyggnadssektor; lokalpolisområdet",
        "measure": "Vilka åtgärdsförslag som tagits fram och genomförts.",
    },
]

FOLLOW_UP = {
    "position": 2,
    "status": FollowUpStatus.ONGOING,
    "comment": (
        "Två nya grannsamverkansområden har startat under hösten, ett i villaområdet och "
        "ett i ett flerfamiljshus. Fler informationsträffar är planerade."
    ),
    "reported_on": datetime.date(2023, 11, 15),
}


def _person(email: str) -> Person:
    return Person.objects.get(email=email)


def _agreement() -> Agreement:
    agreement = (
        Agreement.objects.filter(
            kommun__name=KOMMUN,
            kind=AgreementKind.OPERATIONAL,
            period_start__year__lte=2023,
            period_end__year__gte=2024,
        )
        .order_by("pk")
        .first()
    )
    if agreement is None:
        raise LookupError("Höörs operativa överenskommelse 2023–2024 finns inte; kör load_demo.")
    return agreement


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> PromiseSet:
    """Publish Höör's medborgarlöften 2023–2024 with one follow-up (once)."""
    agreement = _agreement()
    existing = agreement.promise_sets.filter(first_year=2023).first()
    if existing is not None:
        _say(stdout, f"Fanns redan: {existing.title}, {KOMMUN} ({existing.get_state_display()})")
        return existing
    samordnare, polis = (_person(email) for email in DRAFTERS)
    promise_set = drafting.promise_set_create(
        agreement_id=agreement.pk,
        first_year=2023,
        last_year=2024,
        author=samordnare,
        channel=Channel.COMMAND,
        background=BACKGROUND,
        promises=PROMISES,
    )
    for drafter in (samordnare, polis):
        drafting.promise_set_approve(
            set_id=promise_set.pk,
            person=drafter,
            content_hash=promise_set.content_hash,
            channel=Channel.COMMAND,
        )
    for kind in PROMISE_KINDS:
        task = rounds.open_tasks(promise_set).get(flow_task=_node(kind))
        answers.promises_sign(
            task_id=task.pk,
            person=_person(SIGNATORIES[kind]),
            content_hash=promise_set.content_hash,
            place="Höör",
            signed_on=SIGNED_ON,
            channel=Channel.COMMAND,
            identification=identity.by_command(_person(SIGNATORIES[kind])),
            # The KS-ordförande decides on the kommunstyrelsen's behalf.
            delegation_point="1.4" if kind == TaskKind.PROMISES_KS else "",
        )
    promise_set.refresh_from_db()
    if not promise_set.public:
        raise RuntimeError(f"Medborgarlöftena blev {promise_set.state}, inte publicerade.")
    _delegation(promise_set)
    promise = promise_set.promises.get(position=FOLLOW_UP["position"])
    followup.follow_up_add(
        promise_id=promise.pk,
        author=samordnare,
        status=FOLLOW_UP["status"],
        comment=FOLLOW_UP["comment"],
        reported_on=FOLLOW_UP["reported_on"],
        channel=Channel.COMMAND,
    )
    _say(stdout, f"Publicerade: {promise_set.title}, {KOMMUN}, med en uppföljning")
    return promise_set


def _delegation(promise_set: PromiseSet) -> None:
    """The nämndsekreterare reported the decision to the KS in May 2023; no appeal
    came in, so it has laga kraft."""
    secretary = _person(SECRETARY)
    delegation.anmalan_record(
        set_id=promise_set.pk,
        person=secretary,
        fields=delegation.AnmalanInput(
            meeting_date=datetime.date(2023, 5, 8),
            paragraph="112",
            announced_on=datetime.date(2023, 5, 12),
            url="https://www.hoor.se/anslagstavla/",
        ),
        channel=Channel.COMMAND,
    )
    delegation.laga_kraft_confirm(
        set_id=promise_set.pk,
        person=secretary,
        on=datetime.date(2023, 6, 3),
        channel=Channel.COMMAND,
    )


def _node(kind: str):
    from .flows import PromiseFlow

    return getattr(PromiseFlow, kind)


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")
