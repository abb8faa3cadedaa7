"""Database connections per request: none kept, persistent, or psycopg's pool (PostgreSQL).

    .venv/bin/python bench/db_pool.py [--url postgres://postgres@127.0.0.1:5432/postgres]
        [--requests 3000] [--threads 1 8]

Each "request" is what Django does around a view: ``request_started`` (old connections
closed as their settings say), one indexed SELECT through the ORM's connection, then
``request_finished`` (the connection closed, kept, or given back to the pool). Measured in
a scratch database created on the server and dropped afterwards, for each way of
handling connections, with 1 thread (a gunicorn sync worker: one request at a time) and
with several threads sharing the process (gunicorn's gthread workers), where the pool
also caps the connections a process holds. Each configuration runs in its own process
(Django's settings are configured once per process). Prints req/s, p50/p99 latency and the
most server connections the process held; never part of the test run.

Rehabit's settings: ``REHABIT_DB_CONN_MAX_AGE`` (60 s) with ``REHABIT_DB_HEALTH_CHECKS``
(on) is "persistent + check"; ``REHABIT_DB_POOL=true`` is "pool" (``REHABIT_DB_POOL_MAX_SIZE``).
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

MODES: dict[str, dict[str, Any]] = {
    "new connection each request": {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False},
    "persistent (CONN_MAX_AGE=60)": {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": False},
    "persistent + health check": {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True},
    "pool (min 1, max 4)": {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "POOL": True},
    "pool + health check": {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": True, "POOL": True},
}


def measure(url: str, mode: dict[str, Any], threads: int, requests: int) -> dict[str, Any]:
    """In this process: configure Django for ``mode`` and run ``requests`` requests."""
    import django
    from django.conf import settings

    parts = urllib.parse.urlsplit(url)
    database: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "postgres",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": parts.port or 5432,
        "CONN_MAX_AGE": mode["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": mode["CONN_HEALTH_CHECKS"],
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 4, "timeout": 10}}
        if mode.get("POOL")
        else {},
    }
    settings.configure(DATABASES={"default": database}, USE_TZ=True, INSTALLED_APPS=[])
    django.setup()
    from django.core import signals
    from django.db import connection

    def one_request(key: int) -> None:
        signals.request_started.send(sender=None)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM bench_item WHERE id = %s", [key])
                cursor.fetchone()
        finally:
            signals.request_finished.send(sender=None)

    def peak_connections(stop: threading.Event, seen: list[int]) -> None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as watcher:
            while not stop.is_set():
                row = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                ).fetchone()
                seen.append(int(row[0]) if row else 0)
                stop.wait(0.01)

    for key in range(1, 51):  # warm-up: imports, the pool's first connection
        one_request(key)
    connection.close()  # the main thread's own connection is not counted
    per_thread = requests // threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def client(index: int) -> None:
        barrier.wait()
        own = latencies[index]
        for i in range(per_thread):
            started = time.perf_counter()
            one_request(1 + (i * 7 + index) % 1000)
            own.append(time.perf_counter() - started)
        connection.close()

    stop, seen = threading.Event(), [0]
    watcher = threading.Thread(target=peak_connections, args=(stop, seen), daemon=True)
    watcher.start()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    flat = sorted(value for own in latencies for value in own)
    return {
        "req_s": len(flat) / elapsed,
        "p50_ms": statistics.median(flat) * 1000,
        "p99_ms": flat[int(len(flat) * 0.99) - 1] * 1000,
        "peak_connections": max(seen),
    }


def scratch_database(url: str) -> tuple[str, Any]:
    import psycopg

    name = f"rehabit_bench_pool_{secrets.token_hex(4)}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    scratch = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))
    with psycopg.connect(scratch, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_item (id integer PRIMARY KEY, name text NOT NULL)")
        conn.execute(
            "INSERT INTO bench_item SELECT i, 'item ' || i FROM generate_series(1, 1000) i"
        )
    return scratch, lambda: (
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
        admin.close(),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one configuration, in a process of its own
        spec = json.loads(args.child)
        result = measure(spec["url"], MODES[spec["mode"]], spec["threads"], args.requests)
        print(json.dumps(result))
        return 0

    scratch, drop = scratch_database(args.url)
    try:
        print(f"{args.requests} requests each, one indexed SELECT per request, PostgreSQL")
        print(
            f"{'connections':30} {'threads':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'server conns':>12}"
        )
        for threads in args.threads:
            for mode in MODES:
                spec = json.dumps({"url": scratch, "mode": mode, "threads": threads})
                done = subprocess.run(
                    [sys.executable, __file__, "--requests", str(args.requests), "--child", spec],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=True,
                )
                r = json.loads(done.stdout.strip().splitlines()[-1])
                print(
                    f"{mode:30} {threads:>7} {r['req_s']:>8.0f} {r['p50_ms']:>8.2f} "
                    f"{r['p99_ms']:>8.2f} {r['peak_connections']:>12}"
                )
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
