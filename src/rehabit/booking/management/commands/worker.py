"""``rehabit worker``: run queued tasks, send due reminders and e-mails (the outbox, with
retries), until stopped."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string

logger = logging.getLogger("rehabit.worker")


def run_queued_tasks(worker_id: str) -> int:
    """Run every task that is ready in the configured queue once; returns how many ran.

    The database queue (django-tasks-db) or Redis (django-tasks-rq); other backends run
    their tasks elsewhere (0). Whichever runs a task, the claims in the database decide
    who sends (rehabit.booking.reminders, rehabit.mail.outbox).
    """
    from rehabit.ops import queues

    found = queues.kind()
    if found == queues.DATABASE:
        return run_database_tasks(worker_id)
    if found == queues.REDIS:
        return run_redis_tasks(worker_id)
    return 0


def run_database_tasks(worker_id: str) -> int:
    """The database queue: the claim and the run are django-tasks-db's own (a locked
    SELECT, then ``claim``); only the loop is ours, so connections are managed by the
    worker command, not closed in the middle of a caller's transaction."""
    from django.db.utils import OperationalError
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

    runner = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        try:
            with exclusive_transaction(ready.db):
                task_result = ready.get_locked()
                if task_result is not None:
                    task_result.claim(worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            return ran  # another worker holds the queue; try again next round
        if task_result is None:
            return ran
        runner.run_task(task_result)
        ran += 1


def run_redis_tasks(worker_id: str, max_jobs: int = 500) -> int:
    """Redis through RQ: first move scheduled jobs whose time has come onto their queue
    (one worker at a time: RQ's scheduler lock), then run queued jobs in this process
    until the queues are empty (or ``max_jobs``), as RQ's own worker in burst mode."""
    from rehabit.ops.rq import RoundWorker

    return RoundWorker.for_round(worker_id).run(max_jobs)


class Command(BaseCommand):
    help = (
        "Run background work: queued e-mails, reminders 24 h and 1 h before sessions, the "
        "purge of expired idempotency keys and, once a day, of audit entries past their "
        "retention period and of assessments without an account unused for "
        "REHABIT_UNCLAIMED_ASSESSMENT_DAYS."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between rounds (default 5)"
        )
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--worker-id", default="", help="a name for this worker in the logs")

    def handle(self, *args: Any, **options: Any) -> None:
        from rehabit.accounts.lockout import forget_stale as forget_stale_sign_in_counts
        from rehabit.audit.retention import purge_if_due as purge_audit_log_if_due
        from rehabit.booking.idempotency import purge
        from rehabit.booking.reminders import sweep
        from rehabit.core.retention import erase_unclaimed
        from rehabit.mail.outbox import send_due

        worker_id = (
            options["worker_id"]
            or (f"{socket.gethostname()}-{os.getpid()}-{get_random_string(6)}")[:64]
        )
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            logger.info("Worker %s: stopping after this round.", worker_id)
            self.running = False

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        if options["verbosity"]:
            self.stdout.write(f"Rehabit worker {worker_id} started.")
            self.stdout.flush()
        while self.running:
            close_old_connections()
            sent = sweep(worker_id)
            try:
                run_queued_tasks(worker_id)
            except Exception:  # noqa: BLE001 - the queue (Redis) may be down: the rest goes on
                logger.exception("Worker %s: queued tasks not run this round.", worker_id)
                close_old_connections()
            send_due(worker_id)  # e-mails not sent yet: new, due for a retry, or orphaned
            purge()  # idempotency keys past their retention
            if purge_audit_log_if_due():  # past REHABIT_AUDIT_RETENTION_DAYS, once a day
                forget_stale_sign_in_counts()
                # Checks and prevention sessions nobody claimed, past
                # REHABIT_UNCLAIMED_ASSESSMENT_DAYS without use (core.retention).
                erase_unclaimed()
            if options["verbosity"] > 1 and sent:
                self.stdout.write(f"{sent} reminder(s) sent.")
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while self.running and time.monotonic() < deadline:
                time.sleep(min(0.2, options["interval"]))
        close_old_connections()
