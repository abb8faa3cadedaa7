"""Two app nodes and two workers on one PostgreSQL and one Redis, as in production behind
a load balancer: nothing one process needs lives in another's memory.

One cluster for the module (starting nodes is the slow part): a fresh PostgreSQL database,
an empty Redis database (the task queue and the cache), a real SMTP server, two
``rehabit serve`` nodes (one with persistent connections, one with psycopg's pool, each
with its own data folder and the same secret key) and two ``rehabit worker`` processes
on the Redis queue. Then:

* the booking race across the two nodes has one winner, whose confirmation is sent once;
* a sign-in rate limit counted on one node holds on the other (the shared cache);
* a worker killed in the middle of sending a batch of reminders: each reminder still
  arrives exactly once (another worker takes it over when the claim expires);
* a node killed in the middle of a booking (its transaction open, the appointment row
  written) leaves nothing behind, and the same request with the same key then succeeds
  on the other node.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from tests.booking.support import Mailbox, free_port
from tests.clock import test_clock as the_test_clock
from tests.ops.support import call, redis_database
from tests.serving import (
    Server,
    Worker,
    make_due_reminders,
    make_signed_in_patients,
    nodes,
    postgres_database,
    prepare,
    server_env,
    start_worker,
    stop_process_group,
)

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(900)]

LEASE = 10  # seconds before a dead worker's claim is taken over (REHABIT_REMINDER_LEASE_SECONDS)
SECRET = "multi-node-secret-" + "k" * 40  # every node signs sessions with the same key
TOKEN = "t" * 40


@dataclass
class GatedMailbox(Mailbox):
    """A real SMTP server that can hold the n-th reminder before answering its data: the
    test then kills the worker waiting for the answer. A message whose sender has gone
    is dropped, as a real server drops an unfinished transaction."""

    hold_reminder: int = 0
    reminders_seen: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    held_message_id: str = ""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content)
        if str(message["Message-ID"]).startswith("<reminder."):
            self.reminders_seen += 1
            if self.reminders_seen == self.hold_reminder:
                self.held_message_id = str(message["Message-ID"])
                self.held.set()
                while not self.released.is_set():
                    await asyncio.sleep(0.05)
                if server.transport is None or server.transport.is_closing():
                    return "451 Sender gone: not delivered"
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def ids(self, prefix: str = "") -> Counter[str]:
        return Counter(
            str(m["Message-ID"]) for m in self.messages if str(m["Message-ID"]).startswith(prefix)
        )


@dataclass
class Cluster:
    env: dict[str, str]
    database_url: str
    nodes: list[Server]
    workers: dict[str, Worker]
    sessions: list[str]
    mailbox: GatedMailbox
    data: Path

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def start_worker(self, name: str) -> Worker:
        worker = start_worker({**self.env, "REHABIT_DATA_DIR": str(self.data / "workers")}, name)
        self.workers[name] = worker
        return worker

    def logs(self) -> str:
        parts = [f"--- node {n.url}\n{n.output()[-3000:]}" for n in self.nodes]
        parts += [f"--- worker {w.name}\n{w.output()[-3000:]}" for w in self.workers.values()]
        return "\n".join(parts)


def maintenance_url() -> str:
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "postgres")
    password = f":{urllib.parse.quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    data = tmp_path_factory.mktemp("cluster")
    mailbox = GatedMailbox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    redis_base = os.environ.get("REHABIT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    with (
        postgres_database(maintenance_url()) as database_url,
        redis_database(redis_base) as redis_url,
    ):
        env = server_env(
            data / "tools",
            database_url,
            REHABIT_SECRET_KEY=SECRET,
            REHABIT_TASKS_BACKEND="redis",
            REHABIT_REDIS_URL=redis_url,
            REHABIT_CACHE_URL=redis_url,
            REHABIT_EMAIL_HOST="127.0.0.1",
            REHABIT_EMAIL_PORT=str(smtp_port),
            REHABIT_REMINDER_LEASE_SECONDS=str(LEASE),
            REHABIT_MAIL_RETRY_SECONDS="1",
            REHABIT_METRICS_TOKEN=TOKEN,
        )
        prepare(env)  # once: nodes starting together must not migrate together
        sessions = make_signed_in_patients(env, 16)
        persistent = {**env, "REHABIT_DATA_DIR": str(data / "node-a")}
        pooled = {
            **env,
            "REHABIT_DATA_DIR": str(data / "node-b"),
            "REHABIT_DB_POOL": "true",
            "REHABIT_DB_CONN_MAX_AGE": "0",
        }
        smtp.start()
        try:
            with nodes(persistent, pooled, args=("--no-worker", "--workers", "2")) as servers:
                found = Cluster(env, database_url, servers, {}, sessions, mailbox, data)
                try:
                    found.start_worker("w1")
                    found.start_worker("w2")
                    yield found
                finally:
                    for worker in found.workers.values():
                        stop_process_group(worker.process)
        finally:
            smtp.stop()


def wait_for(condition: Any, seconds: float, what: str, cluster: Cluster) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen in {seconds} s\n{cluster.logs()}")
        time.sleep(0.2)


def free_slot(base: str, *, skip: int = 0) -> dict[str, Any]:
    """The first free slot of the demo therapists (after ``skip`` others), via the API."""
    status, therapists = call(f"{base}/api/v1/therapists")
    assert status == 200 and therapists, therapists
    today = the_test_clock().date()  # the nodes run at the test clock too
    window = f"start={today}&end={today + timedelta(days=14)}"
    for therapist in therapists:
        status, found = call(f"{base}/api/v1/therapists/{therapist['id']}/slots?{window}")
        assert status == 200, found
        for slot in found["slots"]:
            if skip:
                skip -= 1
                continue
            return {
                "therapist_id": therapist["id"],
                "session_type": slot["session_type"],
                "start": slot["start"],
            }
    raise AssertionError("no demo therapist has a free slot")


def test_the_booking_race_across_two_nodes_has_one_winner_and_one_confirmation(
    cluster: Cluster,
) -> None:
    a, b = cluster.nodes
    for node in (a, b):
        status, body = call(f"{node.url}/readyz")
        assert (status, body["checks"]) == (
            200,
            {"database": "ok", "queue": "ok", "cache": "ok"},
        ), body
    body = free_slot(a.url)
    barrier = threading.Barrier(len(cluster.sessions))
    outcomes: dict[int, tuple[int, Any]] = {}

    def attempt(number: int, session: str) -> None:
        node = (a, b)[number % 2]  # half the patients on each node
        barrier.wait()
        outcomes[number] = call(
            f"{node.url}/api/v1/appointments", body=body, session=session, key=f"race-{number}"
        )

    threads = [
        threading.Thread(target=attempt, args=(i, s)) for i, s in enumerate(cluster.sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    statuses = sorted(status for status, _ in outcomes.values())
    assert statuses == [201] + [409] * 15, (outcomes, cluster.logs())
    assert all(data["code"] == "taken" for status, data in outcomes.values() if status == 409)
    (winner,) = [n for n, (status, _) in outcomes.items() if status == 201]
    appointment = outcomes[winner][1]["id"]

    # The winner's session works on the other node too, and sees the same appointment.
    other = (b, a)[winner % 2]
    status, mine = call(f"{other.url}/api/v1/appointments", session=cluster.sessions[winner])
    assert status == 200, mine
    assert [item["id"] for item in mine] == [appointment]

    # The confirmation goes through Redis to one of the workers, and out once.
    address = f"early{winner}@example.org"
    wait_for(lambda: cluster.mailbox.to(address), 90, "the confirmation", cluster)
    time.sleep(3)  # both workers have had further rounds
    booked = [m for m in cluster.mailbox.to(address) if ".booked." in str(m["Message-ID"])]
    assert len(booked) == 1, [m["Message-ID"] for m in cluster.mailbox.to(address)]


def test_a_rate_limit_counted_on_one_node_holds_on_the_other(cluster: Cluster) -> None:
    """allauth's limit of 5 password-reset requests a minute for one address, counted in
    the shared cache (Redis): the sixth is refused whichever node it reaches."""
    a, b = cluster.nodes
    statuses = []
    for i in range(6):
        node = (a, b)[i % 2]
        status, _ = call(
            f"{node.url}/account/password/reset/", form={"email": "early15@example.org"}
        )
        statuses.append(status)
    assert statuses == [302] * 5 + [429], (statuses, cluster.logs())


def test_a_worker_killed_mid_batch_sends_each_reminder_once(cluster: Cluster) -> None:
    cluster.mailbox.hold_reminder = 3  # the third reminder's sender will be killed
    due = make_due_reminders(cluster.env, 6)
    expected = {f"<reminder.{item['reminder']}@rehabit>" for item in due}
    if not cluster.mailbox.held.wait(120):
        raise AssertionError(f"no third reminder reached the server\n{cluster.logs()}")
    held = cluster.mailbox.held_message_id
    assert held in expected
    key = held.strip("<>").split("@")[0]
    rows = cluster.query("SELECT claimed_by FROM mail_outgoingmessage WHERE key = %s", key)
    sender = rows[0][0] if rows else ""
    assert sender in cluster.workers, (rows, cluster.logs())
    os.killpg(cluster.workers[sender].process.pid, signal.SIGKILL)
    cluster.workers[sender].process.wait(30)
    cluster.mailbox.released.set()
    cluster.start_worker("w3")  # what the supervisor (systemd, the orchestrator) does

    wait_for(
        lambda: set(cluster.mailbox.ids("<reminder.")) >= expected,
        LEASE + 90,
        "every reminder",
        cluster,
    )
    time.sleep(LEASE + 3)  # any second copy would have been sent by now
    reminders = cluster.mailbox.ids("<reminder.")
    assert {mid: reminders[mid] for mid in expected} == dict.fromkeys(expected, 1), reminders
    statuses = cluster.query(
        "SELECT status, count(*) FROM booking_reminder WHERE id = ANY(%s) GROUP BY status",
        [item["reminder"] for item in due],
    )
    assert statuses == [("sent", 6)]
    taken_over = cluster.query(
        "SELECT claimed_by, attempts, status FROM mail_outgoingmessage WHERE key = %s", key
    )
    assert taken_over[0][2] == "sent" and taken_over[0][1] >= 2, taken_over


def test_a_node_killed_mid_booking_leaves_no_partial_write(cluster: Cluster) -> None:
    a, b = cluster.nodes
    patient = 3  # lost the race: no booking yet
    session, key = cluster.sessions[patient], "killed-mid-request"
    (user_id,) = cluster.query(
        "SELECT id FROM auth_user WHERE email = %s", f"early{patient}@example.org"
    )[0]
    body = free_slot(b.url, skip=1)
    outcome: list[Any] = []

    def book_on_a() -> None:
        try:
            outcome.append(
                call(f"{a.url}/api/v1/appointments", body=body, session=session, key=key)
            )
        except OSError as exc:  # the node died: no answer
            outcome.append(exc)

    with psycopg.connect(cluster.database_url) as blocker:
        # Writers of reminders wait: the booking stops between its appointment row and
        # its reminder rows, inside its transaction.
        blocker.execute("LOCK TABLE booking_reminder IN SHARE MODE")
        client = threading.Thread(target=book_on_a)
        client.start()
        waiting: list[tuple[Any, ...]] = []

        def stuck_booking() -> bool:
            waiting[:] = cluster.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"booking_reminder\"%%'"
            )
            return bool(waiting)

        wait_for(stuck_booking, 60, "the booking to reach its reminders", cluster)
        (backend,) = waiting[0]
        # Its appointment row is written (uncommitted) in that transaction.
        assert cluster.query(
            "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND c.relname = 'booking_appointment' "
            "AND l.mode = 'RowExclusiveLock'",
            backend,
        )
        os.killpg(a.process.pid, signal.SIGKILL)  # the whole node: master and workers
        a.process.wait(30)
        blocker.rollback()
    client.join(60)
    assert outcome and isinstance(outcome[0], OSError), outcome
    wait_for(
        lambda: not cluster.query("SELECT 1 FROM pg_stat_activity WHERE pid = %s", backend),
        60,
        "the dead node's transaction to end",
        cluster,
    )

    def left_behind() -> dict[str, int]:
        counts = {
            "appointments": "SELECT count(*) FROM booking_appointment WHERE patient_id = %s",
            "reminders": "SELECT count(*) FROM booking_reminder WHERE recipient_id = %s",
            "idempotency keys": "SELECT count(*) FROM booking_idempotencykey "
            f"WHERE user_id = %s AND key = 'api:{key}'",
            "audit entries": "SELECT count(*) FROM audit_auditentry "
            "WHERE subject_id = %s AND action = 'booking.created'",
            "e-mails": "SELECT count(*) FROM mail_outgoingmessage WHERE about_id = %s",
        }
        return {name: cluster.query(sql, user_id)[0][0] for name, sql in counts.items()}

    assert left_behind() == dict.fromkeys(
        ["appointments", "reminders", "idempotency keys", "audit entries", "e-mails"], 0
    )
    # The client retries with the same key on the other node: nothing half-done is in the
    # way (no "still in progress", no "taken" by a ghost), and it is booked once.
    status, booked = call(f"{b.url}/api/v1/appointments", body=body, session=session, key=key)
    assert status == 201, (booked, cluster.logs())
    assert left_behind()["appointments"] == 1
    status, ready = call(f"{b.url}/readyz")
    assert status == 200, ready
