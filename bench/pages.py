"""Page server time as the number of agreements grows (issue 16, goal 3).

Run in a child process on a fresh, migrated database (bin/bench --pages). Seeds
290 kommuner in 96 lokalpolisområden, the people of one kommun (Höör) and its LPO,
ten agreements taken through the real services to open decision tasks, and then,
in bulk, as many agreements (each with a version) as each size asks for, in mixed
states across all kommuner. At each size every page is fetched in process with
Django's test client (middleware, queries and templates; no network), and its
median and 95th percentile and its statement count are printed as JSON. The
planner's statistics are refreshed after each load, as autovacuum would.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import setup  # noqa: E402
from bench.stats import percentile  # noqa: E402
from workflows import content as content_rules  # noqa: E402
from workflows.models import (  # noqa: E402
    Agreement,
    AgreementState,
    Organisation,
    OrganisationKind,
    Role,
    Version,
)

KOMMUNER, LPOS = 290, 96
STATES = [
    AgreementState.IN_FORCE,
    AgreementState.EXPIRED,
    AgreementState.EXPIRED,
    AgreementState.DRAFT,
    AgreementState.SIGNED,
    AgreementState.TERMINATED,
]


def organisations(people) -> list[Organisation]:
    """Höör and its LPO first, then the rest of the country."""
    lpos = [people.lpo] + Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.LPO, name=f"Lokalpolisområde {n:02d}")
        for n in range(1, LPOS)
    )
    return [people.hoor] + Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.KOMMUN, name=f"Kommun {n:03d}", lokalpolisomrade=lpos[n % LPOS]
        )
        for n in range(1, KOMMUNER)
    )


def grow(kommuner: list[Organisation], author, start: int, stop: int) -> None:
    """Agreements ``start`` to ``stop`` (numbers), each with one version, in bulk."""
    text = content_rules.validate(setup.content())
    digest = content_rules.content_hash(text)
    numbers = iter(range(start, stop))
    while chunk := list(itertools.islice(numbers, 5000)):
        agreements = Agreement.objects.bulk_create(
            Agreement(
                kommun=kommuner[n % KOMMUNER],
                lokalpolisomrade_id=kommuner[n % KOMMUNER].lokalpolisomrade_id,
                kind="operational",
                title=f"Samverkansöverenskommelse {kommuner[n % KOMMUNER].name} nr {n}",
                period_start=datetime.date(1990 + n % 35, 1, 1),
                period_end=datetime.date(1991 + n % 35, 12, 31),
                state=STATES[n % len(STATES)],
            )
            for n in chunk
        )
        Version.objects.bulk_create(
            Version(agreement=a, number=1, content=text, content_hash=digest, author=author)
            for a in agreements
        )


def pages(people, proposed: list[int]) -> dict[str, tuple]:
    """name: (person, path)."""
    agreement = proposed[0]
    return {
        "list, kommun": (people.samordnare, reverse("workflows:agreement_list")),
        "list, LPO": (people.lpo_chief, reverse("workflows:agreement_list")),
        "inbox": (people.lpo_chief, reverse("workflows:inbox")),
        "header only": (people.lpo_chief, "/om-tjansten/"),
        "agreement": (people.samordnare, reverse("workflows:agreement_detail", args=[agreement])),
        "trail": (people.auditor, reverse("workflows:audit_trail", args=[agreement])),
        "search": (people.auditor, reverse("workflows:audit_search")),
    }


def measure(person, path: str, repeat: int) -> dict:
    client = Client()
    client.force_login(person.user)
    assert client.get(path).status_code == 200, path  # warm: templates, session
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {
        "p50": percentile(times, 50) * 1000,
        "p95": percentile(times, 95) * 1000,
        "statements": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    people = setup.people_create()
    people.auditor = setup._person("Rut Revisor", "rut@hoor.test", Role.REVISOR, people.hoor)
    kommuner = organisations(people)
    proposed = setup.proposed_create(people, 10)
    results: dict[str, dict] = {}
    have = len(proposed)
    for size in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        grow(kommuner, people.samordnare, have, size)
        have = size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, after a bulk load
        print(f"seeded {size} in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        results[str(size)] = {
            name: measure(person, path, args.repeat)
            for name, (person, path) in pages(people, proposed).items()
        }
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
