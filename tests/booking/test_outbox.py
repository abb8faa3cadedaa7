"""Every e-mail goes through the outbox: a message that cannot be sent while the SMTP
server is down is retried with back-off and arrives exactly once when it is back; one
that keeps failing is given up on after REHABIT_MAIL_ATTEMPTS, visibly in the admin site.

The SMTP server is real (aiosmtpd): first not listening at all, then started on the
same port.
"""

from __future__ import annotations

import html
import json
import signal
import smtplib
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from rehabit.booking import reminders, services
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Reminder
from rehabit.mail import outbox
from rehabit.mail.models import MessageStatus, OutgoingMessage
from tests.accounts.helpers import login
from tests.booking.support import Mailbox, book, free_port, free_start, text_body
from tests.booking.test_concurrency import ROOT
from tests.booking.test_reminders import _database_url, _start_worker, _worker_env

pytestmark = pytest.mark.django_db


class Server:
    """A real SMTP server on a fixed port that is down until ``up()``."""

    def __init__(self, port: int, handler: Any = None) -> None:
        self.port = port
        self.box = handler or Mailbox()
        self.controller: Controller | None = None

    def up(self) -> Mailbox:
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self.box

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings: Any) -> Iterator[Server]:
    server = Server(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.REHABIT_MAIL_RETRY_SECONDS = 30
    try:
        yield server
    finally:
        server.down()


def later(seconds: float) -> Any:
    """Travel ``seconds`` ahead of the test clock (time goes on ticking)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True)


def worker_round(name: str = "w") -> int:
    """What one round of ``rehabit worker`` does for e-mail."""
    run_queued_tasks(name)
    return outbox.send_due(name)


def test_a_notice_not_sent_while_smtp_is_down_arrives_once_when_it_is_back(
    smtp: Server, patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, free_start(therapist))
    assert worker_round() == 0  # the queued tasks try at once: the server is down
    rows = list(OutgoingMessage.objects.order_by("to"))
    assert [r.kind for r in rows] == ["booked", "booked"]
    for row in rows:
        assert row.status == MessageStatus.PENDING and row.attempts == 1
        assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
        assert row.next_attempt_at == row.last_attempt_at + timedelta(seconds=30)
        assert row.content  # kept until it is sent

    box = smtp.up()
    assert worker_round() == 0, "the next attempt waits for its back-off"
    assert box.messages == []
    with later(31):
        assert worker_round("w1") == 2
        assert worker_round("w2") == 0
    with later(3600):
        assert worker_round("w1") == 0
    assert sorted(m["To"] for m in box.messages) == sorted([patient.email, therapist.user.email])
    assert "Your online session with Tara Therapist is booked." in text_body(
        box.to(patient.email)[0]
    )
    for row in OutgoingMessage.objects.all():
        assert row.status == MessageStatus.SENT and row.attempts == 2 and row.sent_at
        assert row.last_error == "" and bytes(row.content) == b""  # nothing kept once sent
    # Each arrived with the Message-ID of the message written at booking time.
    assert sorted(m["Message-ID"] for m in box.messages) == sorted(
        f"<{row.key}@rehabit>" for row in rows
    )


def test_the_wait_doubles_after_each_failure_up_to_an_hour(settings: Any) -> None:
    settings.REHABIT_MAIL_RETRY_SECONDS = 30
    waits = [outbox.delay_after(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_message_that_keeps_failing_is_given_up_visibly_to_staff(
    smtp: Server,
    patient: Any,
    therapist: Any,
    admin_user: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.REHABIT_MAIL_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, therapist, free_start(therapist))
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(appointment.pk, actor=patient, reason="Feeling better")
    worker_round()  # the queued tasks: attempt 1 of each of the four notices
    assert set(OutgoingMessage.objects.values_list("attempts", flat=True)) == {1}
    # While the server cannot be reached, a round stops at its first failure (the other
    # messages wait, their attempts not spent); two hours on, every retry is due.
    for hours in range(2, 40, 2):
        with later(hours * 3600):
            worker_round()
    rows = list(OutgoingMessage.objects.all())
    assert len(rows) == 4
    assert {(r.status, r.attempts) for r in rows} == {(MessageStatus.FAILED, 3)}
    assert all("Connection refused" in r.last_error for r in rows)
    assert all(bytes(r.content) == b"" for r in rows)
    with later(86400):
        assert worker_round() == 0  # given up means given up
    assert OutgoingMessage.objects.filter(attempts=3).count() == 4

    client = login(Client(), admin_user, mfa=True)
    base = f"/{settings.REHABIT_ADMIN_PATH}mail/outgoingmessage/"
    listing = client.get(base, {"status__exact": "failed"})
    assert listing.status_code == 200
    page = html.unescape(listing.content.decode())
    assert "Given up" in page and "Connection refused" in page
    assert page.count(patient.email) == 2 and page.count(therapist.user.email) == 2
    assert client.get(f"{base}add/").status_code == 403
    row = rows[0]
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    detail = client.get(f"{base}{row.pk}/change/")
    assert detail.status_code == 200
    assert 'name="status"' not in detail.content.decode()  # read-only
    assert OutgoingMessage.objects.count() == 4
    # Patients and therapists without staff rights do not see the outbox.
    assert login(Client(), patient).get(base).status_code in (302, 403, 404)


class RefusingMailbox(Mailbox):
    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "550 5.1.1 No such mailbox here"


def test_an_address_refused_for_good_is_given_up_at_once(
    smtp: Server, patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.box = RefusingMailbox()
    smtp.up()
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, free_start(therapist))
    worker_round()
    rows = list(OutgoingMessage.objects.all())
    assert {(r.status, r.attempts) for r in rows} == {(MessageStatus.FAILED, 1)}
    assert all("550" in r.last_error and "No such mailbox" in r.last_error for r in rows)


def test_two_workers_claiming_the_same_message_send_it_once(
    smtp: Server, patient: Any, therapist: Any
) -> None:
    from rehabit.booking.notifications import post_notice

    appointment = book(patient, therapist, free_start(therapist))
    row = post_notice(appointment, "booked", patient, patient.pk)
    assert outbox.claim(row.pk, "worker-a")
    assert not outbox.claim(row.pk, "worker-b")
    assert outbox.deliver(row.pk, "worker-b") == outbox.BUSY
    # A claim left by a worker that died is taken over once its lease has expired.
    OutgoingMessage.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    box = smtp.up()
    assert outbox.deliver(row.pk, "worker-b") == outbox.SENT
    assert outbox.deliver(row.pk, "worker-a") == outbox.SENT  # already: nothing sent again
    assert len(box.messages) == 1


def test_posting_the_same_message_twice_keeps_one(
    patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from rehabit.booking import tasks

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, therapist, free_start(therapist))
    tasks.enqueue_notices(str(appointment.pk), "booked", patient.pk)  # a repeated hand-over
    run_queued_tasks("w")
    assert OutgoingMessage.objects.count() == 2


def test_messages_to_or_about_a_deleted_account_go_with_it(
    patient: Any, other_patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The therapist's copy names the patient: it goes with the patient's account."""
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, free_start(therapist))
        book(other_patient, therapist, free_start(therapist, after=timedelta(days=3)))
    run_queued_tasks("w")
    assert OutgoingMessage.objects.filter(about=patient).count() == 2
    patient.delete()
    assert sorted(OutgoingMessage.objects.values_list("to", flat=True)) == sorted(
        [other_patient.email, therapist.user.email]
    )


def test_a_reminder_that_could_not_be_sent_before_the_session_is_given_up(
    smtp: Server, patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(hours=3)))
    Reminder.objects.filter(appointment=appointment, kind="1h").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    assert reminders.sweep("w") == 0  # handed to the outbox; the server is down
    assert set(Reminder.objects.filter(kind="1h").values_list("status", flat=True)) == {"sent"}
    rows = OutgoingMessage.objects.filter(kind="reminder")
    assert {(r.status, r.give_up_at) for r in rows} == {(MessageStatus.PENDING, appointment.start)}
    box = smtp.up()
    with later((appointment.start - timezone.now()).total_seconds() + 60):
        assert outbox.send_due("w") == 0
    assert box.messages == []
    assert {(r.status, r.last_error) for r in rows.all()} == {
        (MessageStatus.FAILED, outbox.TOO_LATE)
    }


def test_a_reminder_goes_out_at_once_when_the_server_is_up(
    smtp: Server, patient: Any, therapist: Any
) -> None:
    box = smtp.up()
    appointment = book(patient, therapist, free_start(therapist))
    Reminder.objects.filter(appointment=appointment, kind="24h").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    assert reminders.sweep("w") == 2
    assert len(box.messages) == 2
    assert {r.status for r in OutgoingMessage.objects.filter(kind="reminder")} == {"sent"}


def test_finished_messages_are_forgotten_after_their_retention(
    smtp: Server,
    patient: Any,
    therapist: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.REHABIT_MAIL_KEEP_DAYS = 30
    smtp.up()
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, free_start(therapist))
    worker_round()
    assert OutgoingMessage.objects.filter(status="sent").count() == 2
    with later(29 * 86400):
        assert outbox.purge() == 0
    with later(31 * 86400):
        assert outbox.purge() == 2
    assert not OutgoingMessage.objects.exists()


# --- Two real worker processes ---------------------------------------------------------


def _mail_scenario(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.booking.mail_scenario", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _wait_for(env: dict[str, str], done: Any, seconds: float) -> list[list[Any]]:
    deadline = time.monotonic() + seconds
    while True:
        rows = _mail_scenario(env, "outbox")["messages"]
        if done(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.3)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_message_exactly_once_after_the_server_comes_back(
    tmp_path: Path,
) -> None:
    database_url, _shared = _database_url(tmp_path)
    port = free_port()
    env = {**_worker_env(database_url, port), "REHABIT_MAIL_RETRY_SECONDS": "1"}
    booked = _mail_scenario(env, "book", "--count", "2")["appointments"]
    assert len(booked) == 2
    workers = [_start_worker(env), _start_worker(env)]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    try:
        # Each booking writes two notices (patient and therapist) through its task: wait
        # until all four exist and each has failed at least once against the closed port.
        rows = _wait_for(env, lambda rows: len(rows) == 4 and all(r[2] >= 1 for r in rows), 90)
        assert len(rows) == 4 and {r[1] for r in rows} == {"pending"}, rows
        assert box.messages == []
        controller.start()  # the server is back
        rows = _wait_for(env, lambda rows: len(rows) == 4 and all(r[1] == "sent" for r in rows), 90)
        assert {r[1] for r in rows} == {"sent"}, rows
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]
        controller.stop()
    assert codes == [0, 0], [w.stderr.read().decode()[-2000:] for w in workers if w.stderr]
    ids = Counter(m["Message-ID"] for m in box.messages)
    assert sorted(ids) == sorted(f"<{r[0]}@rehabit>" for r in rows)
    assert set(ids.values()) == {1}, ids  # each message exactly once
    recipients = Counter(m["To"] for m in box.messages)
    assert recipients == {
        "outbox0@example.org": 1,
        "outbox1@example.org": 1,
        "outbox.therapist@clinic.example": 2,
    }


@pytest.mark.parametrize(
    ("error", "unreachable", "permanent"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True, False),
        (TimeoutError("timed out"), True, False),
        (smtplib.SMTPServerDisconnected("gone"), True, False),
        (smtplib.SMTPConnectError(421, "busy"), True, False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}), False, True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"mailbox full")}), False, False),
        (smtplib.SMTPDataError(554, "rejected"), False, True),
        (smtplib.SMTPDataError(451, "try later"), False, False),
        (smtplib.SMTPSenderRefused(550, "not allowed", "site@example.org"), False, False),
        (smtplib.SMTPAuthenticationError(535, "bad password"), False, False),
        (ValueError("a header with a newline"), False, True),
    ],
)
def test_which_failures_stop_a_round_and_which_give_up_at_once(
    error: BaseException, unreachable: bool, permanent: bool
) -> None:
    """The server not answering stops the round (the rest wait, their attempts unspent);
    a definite "no" about one message gives it up; the site's own settings are retried."""
    assert outbox._unreachable(error) is unreachable
    assert outbox._permanent(error) is permanent
