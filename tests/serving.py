"""Start ``rehabit serve`` in its own process for tests, as a person would run it.

    python -m tests.serving patients --count 16   # with the server's environment

creates signed-in patients in the server's database and prints their session keys as
JSON, so that a test can act as many patients at once without the sign-in pages.

    python -m tests.serving prepare                 # migrate, cache table, demo content
    python -m tests.serving due-reminders --count 6  # booked patients whose reminder is due

Several nodes (``nodes``) and background workers (``worker``) can run on one database,
as in production behind a load balancer.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of a fresh install: development profile, its own data folder."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REHABIT_", "DATABASE_URL"))}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Named, because under the test clock pytest is imported (by time-machine), which
    # would otherwise pick the test profile.
    env = {
        **base,
        "REHABIT_ENV": "development",
        "REHABIT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    # The server keeps the clock the suite runs at (scripts/test reruns at other clocks);
    # without it the server ran at the default clock while the test asked about days at
    # the chosen one.
    if "REHABIT_TEST_CLOCK" in os.environ and "REHABIT_TEST_CLOCK" not in extra:
        env["REHABIT_TEST_CLOCK"] = os.environ["REHABIT_TEST_CLOCK"]
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``url``; dropped afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"rehabit_serve_{secrets.token_hex(4)}"
    admin = psycopg.connect(url, autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(env: dict[str, str], *args: str) -> Server:
    """Start ``rehabit serve`` on a free port, in its own process group; returns at once."""
    port = free_port()
    log = Path(env["REHABIT_DATA_DIR"]) / f"serve-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            # At the test clock, like every test (tests/clock.py); the forked web workers
            # inherit it.
            [sys.executable, "-m", "tests.clock", "rehabit.cli", "serve", "--port", str(port)]
            + list(args),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


# How long a test waits for ``rehabit serve`` to accept connections. A fresh install
# migrates, seeds and collects the compressed static files before it binds: about 80 s of
# wall time with the machine's two cores shared (load 6), more than 90 s at load 12. The
# wait returns as soon as the port answers and fails at once, with the server's output, if
# the process exits; the deadline only catches a server that is alive but never binds.
# REHABIT_TEST_SERVE_TIMEOUT (seconds) replaces every such deadline, the ones tests pass
# included; tests that start one carry a pytest-timeout to match (``serve_test_timeout``).
SERVE_TIMEOUT_DEFAULT = 180.0
SERVE_TIMEOUT_VARIABLE = "REHABIT_TEST_SERVE_TIMEOUT"


def serve_timeout(asked: float | None = None) -> float:
    """The start-up deadline: $REHABIT_TEST_SERVE_TIMEOUT if set, else ``asked``, else
    ``SERVE_TIMEOUT_DEFAULT``."""
    configured = os.environ.get(SERVE_TIMEOUT_VARIABLE, "").strip()
    if configured:
        seconds = float(configured)
        if seconds <= 0:
            raise ValueError(f"{SERVE_TIMEOUT_VARIABLE} must be a positive number of seconds")
        return seconds
    return SERVE_TIMEOUT_DEFAULT if asked is None else asked


def serve_test_timeout() -> float:
    """pytest-timeout for a test that starts one fresh server: the start-up deadline plus
    five minutes for the rest (preparing its database, the requests, the mail)."""
    return serve_timeout() + 300.0


def wait_listening(server: Server, timeout: float | None = None) -> None:
    """Return as soon as the server's port accepts a connection; fail at once if the
    process has exited, or at the deadline (``serve_timeout``) if it is still starting."""
    port = int(server.url.rsplit(":", 1)[1])
    limit = serve_timeout(timeout)
    started = time.monotonic()
    while True:
        code = server.process.poll()
        if code is not None:
            raise AssertionError(
                f"rehabit serve exited with code {code} after "
                f"{time.monotonic() - started:.1f} s without listening on port {port}:\n"
                f"{server.output()[-3000:]}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return
        except OSError as refused:
            waited = time.monotonic() - started
            if waited > limit:
                raise AssertionError(
                    f"rehabit serve never listened on port {port}: still running after "
                    f"{waited:.1f} s (deadline {limit:g} s; {SERVE_TIMEOUT_VARIABLE} "
                    f"sets it). Its output so far:\n{server.output()[-3000:]}"
                ) from refused
            time.sleep(0.1)


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGTERM to the process and its children, SIGKILL if they do not stop in time."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    # Children that outlived their parent (a killed master's workers) go too.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def serve(env: dict[str, str], *args: str, timeout: float | None = None) -> Iterator[Server]:
    """``rehabit serve`` on a free port; yields once it accepts connections."""
    server = start_server(env, *args)
    try:
        wait_listening(server, timeout)
        yield server
    finally:
        stop_process_group(server.process)


@contextmanager
def nodes(
    *envs: dict[str, str], args: tuple[str, ...] = (), timeout: float = 240.0
) -> Iterator[list[Server]]:
    """Several ``rehabit serve`` nodes started at once (each with its own environment and
    data folder); yields once all accept connections. Their shared database must be
    prepared first (``prepare``): nodes starting together must not migrate together."""
    servers: list[Server] = []
    try:
        for env in envs:
            servers.append(start_server(env, *args))
        for server in servers:
            wait_listening(server, timeout)
        yield servers
    finally:
        for server in servers:
            stop_process_group(server.process)


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_worker(env: dict[str, str], name: str, *, interval: float = 0.5) -> Worker:
    """``rehabit worker --worker-id NAME`` in its own process group, at the test clock."""
    log = Path(env["REHABIT_DATA_DIR"]) / f"worker-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.clock", "rehabit.cli", "worker"]
            + ["--worker-id", name, "--interval", str(interval)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Worker(name, process, log)


def run_module(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def make_signed_in_patients(env: dict[str, str], count: int) -> list[str]:
    """Migrate the server's database and create ``count`` patients; their session keys."""
    out = run_module(env, "tests.serving", "patients", "--count", str(count))
    return list(json.loads(out.strip().splitlines()[-1]))


def _cmd_patients(count: int) -> list[str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from tests.booking.support import make_patient

    call_command("migrate", verbosity=0, interactive=False)
    keys = []
    for i in range(count):
        user = make_patient(f"early{i}@example.org", f"Early Patient {i}")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key is not None
        keys.append(store.session_key)
    return keys


def prepare(env: dict[str, str]) -> None:
    """Migrate the server's database, create the cache table, seed the demo therapists."""
    run_module(env, "tests.serving", "prepare")


def make_due_reminders(env: dict[str, str], count: int) -> list[dict[str, Any]]:
    """``count`` patients, each booked with a therapist of their own, whose day-before
    reminder has come due: ``[{"reminder": id, "email": address}]``."""
    out = run_module(env, "tests.serving", "due-reminders", "--count", str(count))
    return list(json.loads(out.strip().splitlines()[-1]))


def _cmd_prepare() -> None:
    from rehabit.cli import prepare_database

    prepare_database(verbosity=0)


def _cmd_due_reminders(count: int) -> list[dict[str, Any]]:
    from datetime import timedelta

    from django.utils import timezone

    from rehabit.booking.models import Reminder, ReminderKind
    from tests.booking.support import book, free_start, make_patient, make_therapist

    due = []
    for i in range(count):
        therapist = make_therapist(f"Rhea Reminder {i}", email=f"rhea{i}@clinic.example")
        patient = make_patient(f"due{i}@example.org", f"Due Patient {i}")
        appointment = book(patient, therapist, free_start(therapist))
        reminder = Reminder.objects.get(
            appointment=appointment, recipient=patient, kind=ReminderKind.DAY_BEFORE
        )
        # Come due a minute ago (its queued task still waits for the original time).
        Reminder.objects.filter(appointment=appointment).exclude(pk=reminder.pk).delete()
        Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - timedelta(minutes=1))
        due.append({"reminder": reminder.pk, "email": patient.email})
    return due


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests.serving")
    sub = parser.add_subparsers(dest="command", required=True)
    patients = sub.add_parser("patients")
    patients.add_argument("--count", type=int, default=16)
    sub.add_parser("prepare")
    reminders = sub.add_parser("due-reminders")
    reminders.add_argument("--count", type=int, default=6)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from tests.clock import at_test_clock

    with at_test_clock():  # sessions expire relative to the server's (test) clock
        if args.command == "prepare":
            _cmd_prepare()
            return 0
        if args.command == "due-reminders":
            result: list[Any] = _cmd_due_reminders(args.count)
        else:
            result = _cmd_patients(args.count)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
