"""``rehabit worker``: run queued tasks (e-mails) and send due reminders, until stopped."""

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


def run_queued_tasks(worker_id: str) -> None:
    """Run every ready task of the database queue once (no-op for other backends)."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker

    if not isinstance(task_backends["default"], DatabaseBackend):
        return
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


class Command(BaseCommand):
    help = "Run background work: queued e-mails and reminders 24 h and 1 h before sessions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between rounds (default 5)"
        )
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--worker-id", default="", help="a name for this worker in the logs")

    def handle(self, *args: Any, **options: Any) -> None:
        from rehabit.booking.reminders import sweep

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
            run_queued_tasks(worker_id)
            if options["verbosity"] > 1 and sent:
                self.stdout.write(f"{sent} reminder(s) sent.")
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while self.running and time.monotonic() < deadline:
                time.sleep(min(0.2, options["interval"]))
        close_old_connections()
