"""Load test of the whole patient journey with Locust, on one node and on two.

    .venv/bin/pip install -e '.[load]'
    .venv/bin/python bench/load.py                      # SQLite, 1 node then 2 nodes
    .venv/bin/python bench/load.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each run starts ``rehabit serve`` (gunicorn, ``--workers`` each, the background worker
beside it) on a fresh data folder (and a fresh PostgreSQL database with ``--postgres``),
makes signed-in patients, and runs ``bench/locustfile.py`` headless: every patient does
the journey (questionnaire, assessment, plan, therapists, 14 days of slots, booking). Two
nodes share the database; Locust's users are dealt to the nodes in turn (what a
round-robin load balancer does). Bounded: ``--journeys`` journeys or ``--seconds``,
whichever ends first, against loopback addresses only. Prints requests, failures, req/s
and p50/p95/p99 per step and overall (Locust rounds times above 100 ms to 10 ms).

Locust runs in one process on this machine too: on a 2-core machine it takes a good part
of a core, so the figures are a floor for what a node carries on its own machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.clock import test_clock as the_test_clock  # noqa: E402
from tests.serving import (  # noqa: E402
    make_signed_in_patients,
    postgres_database,
    serve,
    server_env,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PER_PATIENT = 4  # REHABIT_MAX_ACTIVE_BOOKINGS: upcoming sessions one patient may hold
COLUMNS = ("Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%")


def answer_sets() -> list[dict[str, Any]]:
    """The clinical vignettes' answers (emergencies, red flags, ordinary cases)."""
    import assess_core

    return assess_core.answer_sets()


def _loopback_only(hosts: list[str]) -> None:
    for host in hosts:
        name = urllib.parse.urlsplit(host).hostname
        if name not in LOOPBACK:
            raise SystemExit(f"bench/load.py calls loopback addresses only, not {host}")


def locust(settings: dict[str, Any], folder: Path, users: int, seconds: int) -> Path:
    _loopback_only(settings["hosts"])
    settings_file = folder / "load-settings.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    prefix = folder / "locust"
    env = {**os.environ, "REHABIT_LOAD_SETTINGS": str(settings_file)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
    )
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust wrote no figures:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return stats


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(groups: list[int], database: str) -> tuple[float, float]:
    """CPU time used so far by the nodes' process groups (gunicorn, web workers, the
    background worker) and by PostgreSQL's backends serving ``database``. Unlike req/s it
    does not fall when other work on the machine takes the cores."""
    nodes = db = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        used = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        if int(fields[2]) in groups:  # the process group
            nodes += used
        elif database and cmdline.startswith(b"postgres: ") and f" {database} ".encode() in cmdline:
            db += used
    return nodes, db


def warm_up(url: str, workers: int) -> None:
    """Load what each gunicorn worker loads on its first requests (code, data files)."""
    today = the_test_clock().date()
    paths = ["/api/v1/assessment/questionnaire", "/api/v1/therapists"]
    for _ in range(3 * workers):
        for path in paths:
            with urllib.request.urlopen(f"{url}{path}", timeout=120) as response:  # noqa: S310
                listed = json.loads(response.read())
        slots = f"/api/v1/therapists/{listed[0]['id']}/slots?start={today}&end={today}"
        urllib.request.urlopen(f"{url}{slots}", timeout=120).close()  # noqa: S310


def run(nodes: int, args: argparse.Namespace, answers: list[dict[str, Any]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rehabit-load-") as folder, ExitStack() as stack:
        data = Path(folder)
        database = stack.enter_context(postgres_database(args.postgres)) if args.postgres else ""
        env = server_env(
            data,
            database,
            # One client address makes every request: lift the per-address booking limit.
            REHABIT_BOOKING_WRITES_PER_ADDRESS="1000000",
            REHABIT_BOOKING_WRITES_PER_USER="1000",
            # ... and the other per-address limits (core.rate_limits): counted, never met.
            REHABIT_ASSESSMENTS_PER_NETWORK="1000000000",
            REHABIT_ASSESSMENTS_PER_USER="1000000000",
            REHABIT_REPORTS_PER_NETWORK="1000000000",
            REHABIT_REPORTS_PER_USER="1000000000",
            REHABIT_MESSAGES_PER_CONVERSATION="1000000000",
            REHABIT_CARE_WRITES_PER_PERSON="1000000000",
            REHABIT_WORKERS=str(args.workers),
        )
        patients = math.ceil(args.journeys / PER_PATIENT)
        print(f"  {nodes} node(s): making {patients} signed-in patients ...", flush=True)
        sessions = make_signed_in_patients(env, patients)
        node = ("--workers", str(args.workers))
        # One after the other: the first migrates and seeds (collectstatic is slow).
        servers = [stack.enter_context(serve(env, *node, timeout=600)) for _ in range(nodes)]
        for server in servers:
            try:
                warm_up(server.url, args.workers)
            except OSError as exc:  # urllib's HTTPError too
                raise SystemExit(f"{server.url} failed: {exc}\n{server.output()[-4000:]}") from exc
        outcomes_file = data / "outcomes.json"
        settings = {
            "hosts": [s.url for s in servers],
            "sessions": sessions,
            "answers": answers,
            "today": the_test_clock().date().isoformat(),  # the servers run at the test clock
            "journeys": args.journeys,
            "per_patient": PER_PATIENT,
            "outcomes_file": str(outcomes_file),
        }
        print(f"  {nodes} node(s): {args.users} users on {settings['hosts']} ...", flush=True)
        groups = [s.process.pid for s in servers]  # each serve leads its own process group
        db_name = urllib.parse.urlsplit(database).path.lstrip("/")
        cpu_before = cpu_seconds(groups, db_name)
        started = time.monotonic()
        stats = locust(settings, data, args.users, args.seconds)
        elapsed = time.monotonic() - started
        cpu_after = cpu_seconds(groups, db_name)
        with stats.open(encoding="utf-8") as file:
            rows = {row["Name"]: row for row in csv.DictReader(file)}
        outcomes = json.loads(outcomes_file.read_text()) if outcomes_file.exists() else {}
        tracebacks = sum(s.output().count("Traceback") for s in servers)
        return {
            "load": os.getloadavg()[0],
            "nodes": nodes,
            "rows": rows,
            "outcomes": outcomes,
            "elapsed": elapsed,
            "cpu": [after - before for before, after in zip(cpu_before, cpu_after, strict=True)],
            "tracebacks": tracebacks,
        }


def report(result: dict[str, Any]) -> bool:
    rows = result["rows"]
    print(f"\n{result['nodes']} node(s):")
    head = ("requests", "failed", "req/s", "p50", "p95", "p99")
    print(f"  {'step':<46} " + " ".join(f"{h:>8}" for h in head))
    for name, row in rows.items():
        label = "all requests" if name == "Aggregated" else name
        count, failed, rate, p50, p95, p99 = (row[c] for c in COLUMNS)
        print(
            f"  {label:<46} {count:>8} {failed:>8} {float(rate):>8.1f} "
            f"{p50:>6}ms {p95:>6}ms {p99:>6}ms"
        )
    outcomes = result["outcomes"]
    total = rows.get("Aggregated", {})
    # Six requests a journey: the journey rate is the request rate over six.
    print(
        f"  journeys started {outcomes.get('journeys', 0)} (about "
        f"{float(total.get('Requests/s', 0)) / 6:.1f}/s): booked {outcomes.get('booked', 0)}, "
        f"slot taken by another patient {outcomes.get('taken', 0)}, refused "
        f"{outcomes.get('refused', 0)}; server tracebacks {result['tracebacks']}; load "
        f"average at the end {result['load']:.1f}; {result['elapsed']:.0f} s with Locust's start"
    )
    requests = int(total.get("Request Count", 0) or 0)
    if requests:
        web, db = (1000 * used / requests for used in result["cpu"])
        per_core = 1000 / (web + db) if web + db else 0.0
        print(
            f"  server CPU per request: {web:.1f} ms in the nodes (web and worker)"
            + (f", {db:.1f} ms in PostgreSQL" if db else "")
            + f"; one core's worth: about {per_core:.0f} requests/s, "
            f"{per_core / 6:.0f} journeys/s"
        )
    return int(total.get("Failure Count", 1) or 0) == 0 and result["tracebacks"] == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2], choices=[1, 2, 3, 4])
    parser.add_argument("--journeys", type=int, default=300, help="journeys per run (300)")
    parser.add_argument("--users", type=int, default=16, help="concurrent patients (16)")
    parser.add_argument("--seconds", type=int, default=120, help="longest run (120)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers a node (2)")
    parser.add_argument(
        "--postgres",
        default="",
        metavar="URL",
        help="a PostgreSQL server (any database on it): runs on a fresh database there; "
        "default SQLite in the data folder",
    )
    args = parser.parse_args(argv)
    if args.postgres:
        _loopback_only([args.postgres.replace("postgres://", "http://", 1)])
    answers = answer_sets()
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"Patient journey load test: {database}, {args.workers} gunicorn workers a node, "
        f"{args.users} users, at most {args.journeys} journeys or {args.seconds} s a run, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    ok = True
    for nodes in args.nodes:
        ok = report(run(nodes, args, answers)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
