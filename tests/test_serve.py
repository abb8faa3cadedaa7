"""``rehabit serve`` as a person runs it: separate database connections from the first
request on, and mail sent without a second command.

Each test starts the real command in its own process on a fresh data folder (SQLite) or a
fresh PostgreSQL database, depending on which database the suite runs on.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from rehabit.server import WorkerSupervisor
from tests.booking.support import Mailbox
from tests.clock import test_clock as the_test_clock
from tests.serving import (
    free_port,
    make_signed_in_patients,
    postgres_database,
    serve,
    serve_test_timeout,
    server_env,
)

CSRF = "c" * 32  # a CSRF secret the client chooses: cookie and header must match


@pytest.fixture
def fresh_install(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a new install on the database the suite runs on."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        with postgres_database(url) as fresh:
            yield server_env(tmp_path, fresh)
    else:
        yield server_env(tmp_path)


def request(url: str, *, body: object = None, session: str = "", key: str = "") -> tuple[int, Any]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers.update({"Content-Type": "application/json", "X-CSRFToken": CSRF})
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
    if key:
        headers["Idempotency-Key"] = key
    req = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def first_free_slot(base: str) -> dict[str, Any]:
    status, therapists = request(f"{base}/api/v1/therapists")
    assert status == 200 and therapists, therapists
    today = the_test_clock().date()  # the server runs at the test clock too
    window = f"start={today}&end={today + timedelta(days=14)}"
    for therapist in therapists:
        status, found = request(f"{base}/api/v1/therapists/{therapist['id']}/slots?{window}")
        assert status == 200, found
        if found["slots"]:
            slot = found["slots"][0]
            return {
                "therapist_id": therapist["id"],
                "session_type": slot["session_type"],
                "start": slot["start"],
            }
    raise AssertionError("no demo therapist has a free slot")


@pytest.mark.timeout(serve_test_timeout())
@pytest.mark.django_db(transaction=True)
def test_a_booking_race_in_the_first_seconds_after_serve_has_exactly_one_winner(
    fresh_install: dict[str, str],
) -> None:
    sessions = make_signed_in_patients(fresh_install, 16)
    with serve(fresh_install, "--workers", "4", "--no-worker") as server:
        started = time.monotonic()
        body = first_free_slot(server.url)
        barrier = threading.Barrier(len(sessions))
        outcomes: list[tuple[int, Any]] = []
        lock = threading.Lock()

        def attempt(number: int, session: str) -> None:
            barrier.wait()
            outcome = request(
                f"{server.url}/api/v1/appointments", body=body, session=session, key=f"k{number}"
            )
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=attempt, args=(i, s)) for i, s in enumerate(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Well inside the minute a connection inherited from the starting process would live.
        assert time.monotonic() - started < 50
        statuses = sorted(status for status, _ in outcomes)
        assert statuses == [201] + [409] * 15, (outcomes, server.output()[-3000:])
        assert all(data["code"] == "taken" for status, data in outcomes if status == 409)
        assert "Traceback" not in server.output()


@pytest.mark.timeout(serve_test_timeout())
@pytest.mark.django_db(transaction=True)
def test_serve_alone_sends_the_booking_confirmation(fresh_install: dict[str, str]) -> None:
    box = Mailbox()
    port = free_port()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {**fresh_install, "REHABIT_EMAIL_HOST": "127.0.0.1", "REHABIT_EMAIL_PORT": str(port)}
    try:
        (session,) = make_signed_in_patients(env, 1)
        with serve(env) as server:
            body = first_free_slot(server.url)
            status, data = request(
                f"{server.url}/api/v1/appointments", body=body, session=session, key="once"
            )
            assert status == 201, data
            deadline = time.monotonic() + 60
            while not box.to("early0@example.org") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert box.to("early0@example.org"), server.output()[-3000:]
    finally:
        smtp.stop()


def test_the_supervisor_restarts_a_worker_that_dies_and_stops_it_on_shutdown(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    # A "worker" that records each start, lives briefly and dies.
    script = (
        f"import pathlib, time; pathlib.Path({str(runs)!r}).open('a').write('x'); time.sleep(0.1)"
    )
    supervisor = WorkerSupervisor([sys.executable, "-c", script])
    supervisor.start()
    try:
        deadline = time.monotonic() + 20
        while (not runs.exists() or len(runs.read_text()) < 2) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(runs.read_text()) >= 2 and supervisor.restarts >= 1
    finally:
        supervisor.stop()
    # A long-running worker is terminated by stop().
    sleeper = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(600)"])
    sleeper.start()
    deadline = time.monotonic() + 10
    while sleeper.process is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sleeper.process is not None
    sleeper.stop()
    assert sleeper.process.poll() is not None
