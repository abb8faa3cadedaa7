"""Start ``rehabit serve`` in its own process for tests, as a person would run it.

    python -m tests.serving patients --count 16   # with the server's environment

creates signed-in patients in the server's database and prints their session keys as
JSON, so that a test can act as many patients at once without the sign-in pages.
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@contextmanager
def serve(env: dict[str, str], *args: str, timeout: float = 90.0) -> Iterator[Server]:
    """``rehabit serve`` on a free port; yields once it accepts connections."""
    port = free_port()
    log = Path(env["REHABIT_DATA_DIR"]) / f"serve-{port}.log"
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
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"rehabit serve exited early:\n{server.output()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as refused:
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"rehabit serve never listened:\n{server.output()}"
                    ) from refused
                time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests.serving")
    sub = parser.add_subparsers(dest="command", required=True)
    patients = sub.add_parser("patients")
    patients.add_argument("--count", type=int, default=16)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from tests.clock import at_test_clock

    with at_test_clock():  # sessions expire relative to the server's (test) clock
        keys = _cmd_patients(args.count)
    sys.stdout.write(json.dumps(keys) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
