"""Part 1: full decision transitions per second against bare commits, on one database.

Run by ``python -m bench`` in a child process whose environment names an already
migrated database (``DATABASE_URL``). It also prepares the agreements and link
tokens for part 2 (the HTTP clients). Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import sys
import time
from collections import Counter, defaultdict

import django

django.setup()  # before the project's models are imported

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from . import lifecycle, setup  # noqa: E402
from .setup import MEETING, open_task, outbox_not_sent  # noqa: E402
from .stats import percentile  # noqa: E402

TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?([a-z_0-9]+)"?', re.IGNORECASE)
OURS = ("/workflows/", "/notifications/", "/viewflow/")


def decide(task: setup.OpenTask, person) -> None:
    """One full transition: ``decision_record`` with bifall, its own transaction."""
    from workflows.models.trail import Channel
    from workflows.services.decisions import DecisionInput, decision_record

    decision_record(
        task_id=task.task_id,
        person=person,
        version_hash=task.version_hash,
        fields=DecisionInput(
            "bifall", MEETING, paragraph="§ 42", diarienummer="KS 2023/17", decided_by="LPO-chef"
        ),
        channel=Channel.LOGIN,
    )


def justera(tasks: list[setup.OpenTask], person) -> None:
    """The nämndsekreterare records each kommun decision's justering."""
    from workflows.models.trail import Channel
    from workflows.services.decision_steps import justering_record

    for task in tasks:
        protocol = open_task(task.agreement_id, "municipal_protocol")
        justering_record(
            task_id=protocol.task_id,
            person=person,
            version_hash=protocol.version_hash,
            justerad_on=MEETING,
            justerare="Anna Ordförande, Bo Justerare",
            anslag_on=None,
            anslag_url="",
            channel=Channel.LOGIN,
        )


def bare_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_counter (id integer PRIMARY KEY, n integer NOT NULL)")
        cursor.execute("INSERT INTO bench_counter (id, n) VALUES (1, 0)")


def bare_commits(seconds: float) -> tuple[int, float]:
    """One UPDATE of one row, each in its own transaction, for ``seconds``."""
    count, start = 0, time.perf_counter()
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE bench_counter SET n = n + 1 WHERE id = 1")
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count, elapsed


def timed(tasks: list[setup.OpenTask], person, bare: dict | None = None) -> dict:
    """Time ``decide`` on each task. With ``bare``, alternate chunks of 10 with
    half a second of bare commits, so that both rates see the same machine (other
    work on it comes and goes) and their ratio stays fair; ``bare`` gets the sums."""
    latencies = []
    for at in range(0, len(tasks), 10):
        if bare is not None:
            count, seconds = bare_commits(0.5)
            bare["count"] = bare.get("count", 0) + count
            bare["seconds"] = bare.get("seconds", 0.0) + seconds
        for task in tasks[at : at + 10]:
            t0 = time.perf_counter()
            decide(task, person)
            latencies.append(time.perf_counter() - t0)
    if bare is not None:
        bare["per_second"] = bare["count"] / bare["seconds"]
    elapsed = sum(latencies)
    return {
        "count": len(tasks),
        "seconds": elapsed,
        "per_second": len(tasks) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
    }


def issued(captured: CaptureQueriesContext) -> list[str]:
    """The statements the code issued: BEGIN and COMMIT are logged too, but are not."""
    sqls = (q["sql"] for q in captured.captured_queries)
    return [sql for sql in sqls if sql.strip().upper() not in {"BEGIN", "COMMIT"}]


def _table(sql: str) -> str:
    head = sql.lstrip().split(None, 1)[0].upper()
    if head in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}:
        return "(savepoint/transaction)"
    match = TABLE.search(sql)
    return match.group(1) if match else f"({head.lower()})"


def _origin() -> str:
    """The innermost frame in our code or viewflow's: who issued the statement."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if any(part in name for part in OURS) and "/django/" not in name:
            short = name.split("site-packages/", 1)[-1].split("/work/main/", 1)[-1]
            return f"{short}:{frame.f_code.co_name}"
        frame = frame.f_back
    return "(other)"


def statements(tasks: list[setup.OpenTask], person) -> dict:
    """Statements per transition (CaptureQueriesContext), by table and by who
    issued them, on the first half of ``tasks``; on the second half, without the
    capture's own overhead, the time spent in statements (driver and server, per
    execute) and in COMMIT, against the wall clock."""
    by_table: Counter = Counter()
    by_origin: Counter = Counter()
    db_time: defaultdict[str, float] = defaultdict(float)
    commit_time = 0.0

    def count(execute, sql, params, many, context):
        by_origin[_origin()] += 1
        return execute(sql, params, many, context)

    def timing(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[_table(sql)] += time.perf_counter() - t0

    real_commit = connection.commit

    def timed_commit():
        nonlocal commit_time
        t0 = time.perf_counter()
        try:
            return real_commit()
        finally:
            commit_time += time.perf_counter() - t0

    half = len(tasks) // 2
    totals = []
    for task in tasks[:half]:
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(count):
            decide(task, person)
        sqls = issued(captured)
        totals.append(len(sqls))
        by_table.update(_table(sql) for sql in sqls)
    wall = 0.0
    connection.commit = timed_commit
    try:
        for task in tasks[half:]:
            with connection.execute_wrapper(timing):
                t0 = time.perf_counter()
                decide(task, person)
                wall += time.perf_counter() - t0
    finally:
        del connection.commit
    n, m = half, len(tasks) - half
    db_ms, commit_ms, wall_ms = (x * 1000 / m for x in (sum(db_time.values()), commit_time, wall))
    return {
        "per_transition": sum(totals) / n,
        "min": min(totals),
        "max": max(totals),
        "by_table": {t: c / n for t, c in by_table.most_common()},
        "by_origin": {o: c / n for o, c in by_origin.most_common()},
        "db_ms_by_table": {
            t: s * 1000 / m for t, s in sorted(db_time.items(), key=lambda x: -x[1])
        },
        "db_ms": db_ms,
        "commit_ms": commit_ms,
        "wall_ms": wall_ms,
        "python_ms": wall_ms - db_ms - commit_ms,
    }


FAMILIES = (
    ("Django ORM: building and compiling SQL, model instances", ("django/db/models/",)),
    ("database driver and waiting for the server", ("psycopg", "sqlite3", "django/db/backends")),
    ("viewflow", ("viewflow/",)),
    ("our code (workflows, notifications)", ("workflows/", "notifications/")),
)


NOTIFY = "workflows/services/notify.py"


def profile(tasks: list[setup.OpenTask], person) -> dict:
    """Where the Python time goes (own time per family of code, ms per transition
    under cProfile, which roughly doubles everything)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for task in tasks:
        decide(task, person)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    families: Counter = Counter()
    for (filename, _line, func), (_cc, _nc, own, _ct, _callers) in stats.items():
        where = f"{filename} {func}"
        for label, markers in FAMILIES:
            if any(marker in where for marker in markers):
                families[label] += own
                break
        else:
            families["everything else (Python, Django utils, json, hashing)"] += own
    result = {label: seconds * 1000 / len(tasks) for label, seconds in families.most_common()}
    # Issue 16's goal 2: the e-mails' share of a transition. Everything spent inside
    # workflows/services/notify.py (contexts, recipients, the outbox rows), counted
    # where it is entered from outside that module, against the whole transition.
    entered = sum(
        caller_stats[3]
        for (filename, _line, _func), (*_, callers) in stats.items()
        if filename.endswith(NOTIFY)
        for caller, caller_stats in callers.items()
        if not caller[0].endswith(NOTIFY)
    )
    total = sum(
        ct
        for (filename, _l, func), (_cc, _nc, _tt, ct, _c) in stats.items()
        if func == "decide" and filename.endswith("bench/transitions.py")
    )
    result["notifications_share"] = entered / total if total else 0.0
    return result


def _counted(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(issued(captured))


def viewflow_floor(tasks: list[setup.OpenTask], person) -> dict:
    """V: what bare viewflow needs to complete one human task whose join still waits
    for its sibling (a first signature's place in the graph), from the lock to the
    commit, with none of our services around it (the task is left without its
    signature: these agreements are not used afterwards)."""
    from viewflow.workflow.models import Task

    from workflows.services.actors import user_for

    user = user_for(person)

    def complete(task_id: int) -> None:
        with transaction.atomic():
            with Task.objects.get(pk=task_id).activation() as activation:
                if activation.task.owner_id != user.pk:  # assigned when it opened
                    activation.reassign(user=user)
                activation.start(None)
                activation.execute()

    counts = [_counted(lambda t=t: complete(t.task_id)) for t in tasks]
    return {"per_task": min(counts), "max": max(counts), "tasks": len(counts)}


def signature_statements(tasks: list[setup.OpenTask], person) -> dict:
    """A first signature through the service (identified as the demo's command
    channel: the signing page's password check adds one statement)."""
    from workflows.models.trail import Channel
    from workflows.services.decisions import signature_add
    from workflows.services.identity import by_command

    def sign(task: setup.OpenTask) -> None:
        signature_add(
            task_id=task.task_id,
            person=person,
            version_hash=task.version_hash,
            place="Höör",
            signed_on=MEETING,
            channel=Channel.COMMAND,
            identification=by_command(person),
        )

    counts = [_counted(lambda t=t: sign(t)) for t in tasks]
    return {"per_transition": min(counts), "max": max(counts), "tasks": len(counts)}


def page_statements(link_path: str) -> dict:
    """One link flow through Django's test client (no server, no concurrency):
    statements and time of each request, the POST with its after-commit e-mails."""
    from django.test import Client

    from .http import DECISION, hidden_fields

    client = Client(SERVER_NAME="127.0.0.1")
    out = {}

    def measure(name, call):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = call()
            out[name] = {
                "status": response.status_code,
                "ms": (time.perf_counter() - t0) * 1000,
                "statements": len(issued(captured)),
            }
        return response

    opened = measure("link", lambda: client.get(link_path))
    page_url = opened.headers["Location"]
    page = measure("confirm", lambda: client.get(page_url))
    data = {**DECISION, **hidden_fields(page.content.decode())}
    measure("decide", lambda: client.post(page_url, data))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=80, help="transitions per timed run")
    parser.add_argument("--http-tasks", type=int, default=0, help="open tasks for part 2")
    args = parser.parse_args()
    n, k = args.n, 12  # k: transitions for statement counts and for the profile
    half = max(10, n // 2)  # the slower variants need fewer to be steady
    pages = 3  # link flows through the test client, for statement counts
    result: dict = {"vendor": connection.vendor, "n": n}

    people = setup.people_create()
    t0 = time.perf_counter()
    sizes = {"warm": 5, "a": n, "b": half, "counted": k, "profiled": k}
    total = sum(sizes.values())
    ids = setup.proposed_create(people, total + pages + args.http_tasks)
    result["setup_seconds"] = time.perf_counter() - t0
    result["agreements"] = len(ids)
    ids, http_ids = ids[:total], ids[total:]
    municipal = [open_task(i, "municipal_decision") for i in ids]
    parts, at = {}, 0
    for name, size in sizes.items():
        parts[name], at = municipal[at : at + size], at + size
    warm, a, b, counted, profiled = parts.values()

    bare_table()
    result["bare"] = {}
    with outbox_not_sent():
        for task in warm:
            decide(task, people.sekreterare)
        result["transition"] = timed(a, people.sekreterare, bare=result["bare"])
        # The second bifall on the same agreements, once the kommun's protocol is
        # justerat (untimed): it also joins, opens signing and creates the two
        # signature tasks with their links and e-mails.
        justera(a[:half], people.sekreterare)
        police = [open_task(t.agreement_id, "police_decision") for t in a[:half]]
        result["second_bifall"] = timed(police, people.lpo_chief)
        result["statements"] = statements(counted, people.sekreterare)
        justera(counted, people.sekreterare)
        police = [open_task(t.agreement_id, "police_decision") for t in counted]
        result["statements_second"] = statements(police, people.lpo_chief)
        # Both signature tasks are open now: half of them completed bare, half signed.
        signing = [open_task(t.agreement_id, "ks_signature") for t in counted]
        result["viewflow_floor"] = viewflow_floor(signing[: k // 2], people.ks_chair)
        result["signature"] = signature_statements(signing[k // 2 :], people.ks_chair)
        result["profile"] = profile(profiled, people.sekreterare)
        result["lifecycle"] = lifecycle.run(people)
    # Without a broker the web process renders and sends each e-mail after commit
    # (EMAIL_BACKEND is the dummy backend: our rendering and outbox updates, no SMTP).
    from notifications.models import OutboxEmail, Status

    before = OutboxEmail.objects.filter(status=Status.SENT).count()
    result["with_send"] = timed(b, people.sekreterare)
    result["with_send"]["emails_sent"] = (
        OutboxEmail.objects.filter(status=Status.SENT).count() - before
    )
    links = setup.link_tokens(http_ids, people.sekreterare, "municipal_decision")
    for link in links[:pages]:  # the last one counts; the first ones warm up
        result["pages"] = page_statements(link["link_path"])
    result["http_links"] = links[pages:]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
