"""bin/bench: transitions per second and link latency, SQLite beside PostgreSQL.

For each database: a fresh one (a temporary SQLite file; ``samverkan_bench`` on
127.0.0.1:5432 when PostgreSQL answers there), migrated; part 1 in a child process
(bench/transitions.py); part 2 against gunicorn started on 127.0.0.1 with the same
database (bench/http.py). Then one table. Nothing here needs Django itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from . import http
from .stats import percentile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_HOST, PG_PORT, PG_USER, PG_DB = "127.0.0.1", 5432, "postgres", "samverkan_bench"
PAGES = ("link", "confirm", "decide")
TARGET_RATIO, TARGET_CONFIRM_P95, TARGET_DECIDE_P95 = 0.33, 150.0, 300.0
TARGET_VERIFY = 0.70  # verify_trail with every record, against the bare loop (issue 16)
TARGET_LIFECYCLE = 1.5  # a whole lifecycle's statements against bare viewflow's (issue 16)
# bench/lifecycle.py's steps, in order
LIFECYCLE_STEPS = (
    ("create", "create (with version 1)"),
    ("approve", "approve_version, the first drafter"),
    ("propose", "propose, the second drafter (round opens)"),
    ("municipal_bifall", "the kommun's bifall"),
    ("justering", "its justering"),
    ("police_bifall", "the Police's bifall (signing opens)"),
    ("first_signature", "the first signature"),
    ("second_signature", "the second signature (in force)"),
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def base_env(var_dir: str, conn_max_age: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # no broker, no SMTP, no shared cache: what is measured is this code
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        # Renders each e-mail and updates its outbox row after commit, sends nothing.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SAMVERKAN_VAR_DIR=var_dir,
        DB_CONN_MAX_AGE=str(conn_max_age),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # WhiteNoise warns once per worker when collectstatic has not run; pages only here.
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    return env


def postgres_reachable() -> str:
    """Empty when usable, else why not."""
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=2).close()
    except OSError as error:
        return f"nothing answers at {PG_HOST}:{PG_PORT} ({error})"
    if not shutil.which("createdb") or not shutil.which("dropdb"):
        return "createdb/dropdb (PostgreSQL client) not installed"
    return ""


def pg(command: str, *args: str) -> None:
    subprocess.run([command, "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, *args], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/konto/logga-in/", timeout=2).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def bench_one(name: str, url: str, args, var_dir: str) -> dict:
    load_before = os.getloadavg()[0]
    env = base_env(var_dir, args.conn_max_age)
    env["DATABASE_URL"] = url
    log(f"{name}: migrate")
    migrate = [PYTHON, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    http_tasks = args.warmup + args.alone + args.clients * args.per_client
    log(f"{name}: setup and part 1 ({args.n} transitions per run, {http_tasks} tasks for part 2)")
    done = subprocess.run(
        [PYTHON, "-m", "bench.transitions", "--n", str(args.n), "--http-tasks", str(http_tasks)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},  # with the bare flow
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = json.loads(done.stdout)
    links = [row["link_path"] for row in result.pop("http_links")]
    log(f"{name}: part 2, gunicorn {args.workers} workers, {args.clients} clients")
    server, base = start_server(env, args.workers)
    try:
        t0 = time.perf_counter()
        single, samples = http.run(base, links, args.clients, args.warmup, args.alone)
        result["http_seconds"] = time.perf_counter() - t0
    finally:
        stop_server(server)
    log(f"{name}: part 3, verify_trail over every agreement")
    done = subprocess.run(
        [PYTHON, "-m", "bench.trail"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result["trail"] = json.loads(done.stdout)
    result["load"] = (load_before, os.getloadavg()[0])
    result["http"] = {
        "requests": len(samples.decide),
        "errors": single.errors + samples.errors,
        **{
            f"alone_{what}_50": percentile(getattr(single, what), 50) * 1000
            for what in ("link", "confirm", "decide")
            if getattr(single, what)
        },
        **{
            f"{what}_{p}": percentile(getattr(samples, what), p) * 1000
            for what in ("link", "confirm", "decide")
            for p in (50, 95)
            if getattr(samples, what)
        },
    }
    return result


def fmt(value, spec: str = ".0f") -> str:
    return "—" if value is None else format(value, spec)


def pair(a, b, spec: str = ".0f") -> str:
    return f"{fmt(a, spec)} / {fmt(b, spec)}"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "MISSED")


def bare_rate(r: dict, bare: str = "bare") -> float:
    return r["trail"][bare]["per_second"]


def trail_cell(r: dict, key: str, bare: str = "bare") -> str:
    rate = r["trail"][key]["per_second"]
    return f"{rate:.0f} ({rate / bare_rate(r, bare):.2f})"


def full_ratio(r: dict) -> float:
    """The check with records against the bare loop over the same rows."""
    return r["trail"]["full"]["per_second"] / bare_rate(r, "bare_rows")


def lifecycle_ratio(r: dict, key: str) -> float:
    return r["lifecycle"]["ours"][key] / r["lifecycle"]["bare"][key]


def ratio(r: dict) -> float:
    return r["transition"]["per_second"] / r["bare"]["per_second"]


def _rows(args) -> list[tuple[str, object]]:
    """The table: a label and how to read its cell from one database's results
    (None for a heading)."""

    def http(key):
        return lambda r: r["http"].get(key)

    return [
        (f"Part 1: one process, sequential, each its own transaction (n={args.n})", None),
        ("  bare single-row commits/s (interleaved)", lambda r: fmt(r["bare"]["per_second"])),
        ("  decision transitions/s (bifall)", lambda r: fmt(r["transition"]["per_second"], ".1f")),
        (f"  ratio (target ≥ {TARGET_RATIO} on PostgreSQL)", lambda r: f"{ratio(r):.3f}"),
        (
            "  transition p50 / p95 ms",
            lambda r: pair(r["transition"]["p50_ms"], r["transition"]["p95_ms"], ".1f"),
        ),
        ("  SQL statements / transition", lambda r: fmt(r["statements"]["per_transition"])),
        (
            "    of which SAVEPOINT / RELEASE",
            lambda r: fmt(r["statements"]["by_table"].get("(savepoint/transaction)", 0)),
        ),
        (
            "  ms: in statements / COMMIT / rest (Python)",
            lambda r: " / ".join(
                f"{r['statements'][k]:.1f}" for k in ("db_ms", "commit_ms", "python_ms")
            ),
        ),
        (
            "  with e-mails sent after commit, /s (e-mails)",
            lambda r: f"{r['with_send']['per_second']:.1f} ({r['with_send']['emails_sent']})",
        ),
        (
            "  second bifall (opens signing), /s",
            lambda r: fmt(r["second_bifall"]["per_second"], ".1f"),
        ),
        ("    its SQL statements", lambda r: fmt(r["statements_second"]["per_transition"])),
        (
            "  e-mails' share of a bifall, cProfile (goal ≤ 10 %)",
            lambda r: f"{r['profile']['notifications_share']:.0%}",
        ),
        (
            "  V: bare viewflow, one human task, statements",
            lambda r: str(r["viewflow_floor"]["per_task"]),
        ),
        (
            "  first signature, statements (goal ≤ V + 5)",
            lambda r: (
                f"{r['signature']['per_transition']} "
                f"(V + {r['signature']['per_transition'] - r['viewflow_floor']['per_task']})"
            ),
        ),
        (
            "Part 1b: a whole lifecycle, creation to in force, each step its own "
            "transaction (statements: fewest of 5 runs; ms: the median run)",
            None,
        ),
        *(
            (f"  {label}", lambda r, step=step: str(r["lifecycle"]["ours"]["steps"][step]))
            for step, label in LIFECYCLE_STEPS
        ),
        (
            "  bare viewflow: the same start and 5 tasks",
            lambda r: str(r["lifecycle"]["bare"]["statements"]),
        ),
        (
            f"  whole lifecycle, statements (goal ≤ {TARGET_LIFECYCLE}× bare)",
            lambda r: (
                f"{r['lifecycle']['ours']['statements']} ({lifecycle_ratio(r, 'statements'):.1f}×)"
            ),
        ),
        (
            "  whole lifecycle / bare viewflow, ms",
            lambda r: (
                pair(*(r["lifecycle"][k]["seconds"] * 1000 for k in ("ours", "bare")))
                + f" ({lifecycle_ratio(r, 'seconds'):.1f}×)"
            ),
        ),
        (
            f"Part 2: gunicorn {args.workers} sync workers, {args.clients} clients at once, "
            "each task its own session",
            None,
        ),
        (
            "  statements: link / confirm page / POST",
            lambda r: " / ".join(str(r["pages"][k]["statements"]) for k in PAGES),
        ),
        (
            "  one client alone, p50 ms: link / page / POST",
            lambda r: " / ".join(fmt(r["http"].get(f"alone_{k}_50")) for k in PAGES),
        ),
        ("  flows measured (link, page, POST)", lambda r: str(r["http"]["requests"])),
        ("  errors", lambda r: str(len(r["http"]["errors"]))),
        ("  GET /l/<token>/ p50 / p95 ms", lambda r: pair(http("link_50")(r), http("link_95")(r))),
        (
            f"  confirm page GET p50 / p95 ms (< {TARGET_CONFIRM_P95:.0f})",
            lambda r: pair(http("confirm_50")(r), http("confirm_95")(r)),
        ),
        (
            f"  decision POST p50 / p95 ms (< {TARGET_DECIDE_P95:.0f})",
            lambda r: pair(http("decide_50")(r), http("decide_95")(r)),
        ),
        ("Part 3: verify_trail over every agreement, one ordered pass", None),
        ("  events", lambda r: str(r["trail"]["full"]["events"])),
        ("  bare loop over the events, events/s", lambda r: fmt(bare_rate(r))),
        ("  chain only, events/s (ratio to it)", lambda r: trail_cell(r, "chain")),
        (
            "  bare loop over events and record rows, events/s",
            lambda r: fmt(bare_rate(r, "bare_rows")),
        ),
        (
            f"  with every record (ratio to it; target ≥ {TARGET_VERIFY})",
            lambda r: trail_cell(r, "full", "bare_rows"),
        ),
        ("    against the events' bare loop", lambda r: trail_cell(r, "full")),
        ("  before: per agreement, model objects", lambda r: trail_cell(r, "objects")),
        ("load average before / after", lambda r: pair(r["load"][0], r["load"][1], ".1f")),
    ]


def report(results: dict[str, dict | str], args) -> None:
    label_width, width = 52, 18
    ok = {n: r for n, r in results.items() if isinstance(r, dict)}
    for n, r in ok.items():
        s = r["statements"]
        print()
        print(f"{n}: who issues one transition's {s['per_transition']:.0f} statements")
        for origin, count in s["by_origin"].items():
            print(f"  {count:5.1f}  {origin}")
        print(f"{n}: own time by family of code, ms per transition under cProfile (~2x slower)")
        for family, ms in r["profile"].items():
            if family == "notifications_share":
                continue
            print(f"  {ms:6.1f}  {family}")
        for error in r["http"]["errors"][:5]:
            print(f"  HTTP error: {error}")
    print()
    print(
        "EMAIL_BACKEND is Django's dummy backend and there is no broker: the decision POST\n"
        "renders each e-mail and claims and marks its outbox row in the web process after\n"
        "commit, but nothing leaves the machine. Part 1 rows count only the outbox rows\n"
        "(sending is switched off) except 'with e-mails sent'. "
        f"DB_CONN_MAX_AGE={args.conn_max_age}."
    )
    print()
    print("Samverkan bench (bin/bench)".ljust(label_width) + "".join(f"{n:>{width}}" for n in ok))
    print("-" * (label_width + width * max(1, len(ok))))
    for label, cell in _rows(args):
        if cell is None:
            print(label)
        else:
            print(label.ljust(label_width) + "".join(f"{cell(r):>{width}}" for r in ok.values()))
    for name, why in results.items():
        if isinstance(why, str):
            print(f"{name}: not run: {why}")
    busy = [n for n, r in ok.items() if max(r["load"]) > 1.5]
    if busy:
        print(
            f"Warning: the machine was busy during {', '.join(busy)} (load average above 1.5 "
            "on 2 cores): other work shared the CPU, so latencies are inflated."
        )
    print()
    print("Targets")
    for n, r in ok.items():
        confirm, decide = r["http"].get("confirm_95"), r["http"].get("decide_95")
        on_pg = r["vendor"] == "postgresql"
        print(
            f"  {n}: ratio {ratio(r):.3f} "
            + (verdict(ratio(r) >= TARGET_RATIO) if on_pg else "(the target is for PostgreSQL)")
            + f"; confirm page p95 {fmt(confirm)} ms "
            + verdict(None if confirm is None else confirm < TARGET_CONFIRM_P95)
            + f"; decision POST p95 {fmt(decide)} ms "
            + verdict(None if decide is None else decide < TARGET_DECIDE_P95)
            + f"; verify_trail {full_ratio(r):.2f} of bare "
            + verdict(full_ratio(r) >= TARGET_VERIFY)
            + f"; lifecycle {lifecycle_ratio(r, 'statements'):.1f}× bare viewflow's statements "
            + verdict(lifecycle_ratio(r, "statements") <= TARGET_LIFECYCLE)
        )


TARGET_PAGE_P95, TARGET_PAGE_GROWTH = 100.0, 1.5


def pages_one(name: str, url: str, args, var_dir: str) -> dict:
    """Page times at each size (bench/pages.py) on a fresh database."""
    env = base_env(var_dir, args.conn_max_age)
    env.update(DATABASE_URL=url, ALLOWED_HOSTS="127.0.0.1,testserver")
    log(f"{name}: migrate")
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log(f"{name}: pages at {args.sizes} agreements")
    done = subprocess.run(
        [PYTHON, "-m", "bench.pages", "--sizes", args.sizes],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout)


def _page_cell(m: dict) -> str:
    return f"{m['p50']:7.1f} / {m['p95']:6.1f} ({m['statements']:2d})"


def pages_report(results: dict[str, dict | str]) -> None:
    """Per database and page: p50 / p95 ms and statements at each size, the growth
    of p95 from the smallest to the largest size, and the goal's verdict."""
    for name, sizes in results.items():
        if isinstance(sizes, str):
            print(f"{name}: not run: {sizes}")
            continue
        first, last = list(sizes)[0], list(sizes)[-1]
        print()
        print(f"{name}: page server time, p50 / p95 ms (statements), by number of agreements")
        head = "".join(f"{int(n):>22,}" for n in sizes).replace(",", " ")
        print(f"{'page':<16}{head}   growth   goal: p95 ≤ {TARGET_PAGE_P95:.0f} and ≤ ×1.5")
        for page in sizes[first]:
            cells = "".join(_page_cell(sizes[n][page]) for n in sizes)
            growth = sizes[last][page]["p95"] / sizes[first][page]["p95"]
            met = sizes[last][page]["p95"] <= TARGET_PAGE_P95 and growth <= TARGET_PAGE_GROWTH
            print(f"{page:<16}{cells}   ×{growth:4.2f}   {verdict(met)}")


def main_pages(args) -> None:
    started = time.perf_counter()
    results = each_database(args, pages_one)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    pages_report(results)
    print(f"load average {os.getloadavg()[0]:.1f}; whole run {time.perf_counter() - started:.0f} s")


def each_database(args, run) -> dict[str, dict | str]:
    """``run(name, url, args, tmp)`` on a fresh SQLite file and, when PostgreSQL
    answers, on a fresh ``samverkan_bench`` (dropped afterwards); a database not
    run maps to why not."""
    results: dict[str, dict | str] = {}
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        if args.only in (None, "sqlite"):
            results["SQLite"] = run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args, tmp)
        if args.only in (None, "postgresql"):
            why = postgres_reachable()
            if why:
                results["PostgreSQL"] = why
                log(f"PostgreSQL skipped: {why}")
            else:
                pg("dropdb", "--if-exists", PG_DB)
                pg("createdb", PG_DB)
                try:
                    url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DB}"
                    results["PostgreSQL"] = run("PostgreSQL", url, args, tmp)
                finally:
                    pg("dropdb", "--if-exists", PG_DB)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bin/bench", description=__doc__)
    parser.add_argument("--n", type=int, default=60, help="transitions per timed run")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--per-client", type=int, default=10, help="tasks per client")
    parser.add_argument("--warmup", type=int, default=8, help="unmeasured tasks first")
    parser.add_argument("--alone", type=int, default=8, help="tasks by one client alone")
    # 3 sync workers as in compose.yaml; 2 and 4 measured no better on 2 cores.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    # Persistent connections: without them every request opens a PostgreSQL
    # connection (about 10 ms here); see README "Benchmarks".
    parser.add_argument("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="instead: page server times as agreements grow (bench/pages.py)",
    )
    parser.add_argument("--sizes", default="1000,10000", help="with --pages")
    parser.add_argument("--large", action="store_true", help="with --pages: 1000,100000")
    args = parser.parse_args()
    if args.pages:
        if args.large:
            args.sizes = "1000,100000"
        main_pages(args)
        return

    started = time.perf_counter()
    results = each_database(args, bench_one)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    report(results, args)
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
