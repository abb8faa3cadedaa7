"""Running the Redis queue (RQ, through django-tasks-rq) inside ``rehabit worker``.

``rehabit worker`` works in rounds: reminders that came due, queued tasks, e-mails due
in the outbox, purges. With Redis, each round's queued tasks are run by an RQ worker in
burst mode, in this process (RQ's ``SimpleWorker``: no fork per job, so no database
connection crosses a fork): it first moves scheduled jobs whose time has come onto the
queue (under RQ's scheduler lock, so two workers never move the same job twice), then
runs jobs until the queue is empty. The worker command keeps its own signal handling
(a stop request ends the round), and remote RQ commands are not listened to.

A worker killed in the middle of a job leaves it in RQ's started-job registry; RQ's
maintenance (run at the start of every round) moves it to the failed registry once its
heartbeat has expired. Nothing is lost for the patient: a reminder whose claim has
expired is found by the next round's sweep, and an e-mail already written into the
outbox is sent from there.
"""

from __future__ import annotations

import uuid
from typing import Any

from rq import SimpleWorker


class RoundWorker(SimpleWorker):
    """RQ's in-process worker, for one round of ``rehabit worker``."""

    @classmethod
    def for_round(cls, worker_id: str) -> RoundWorker:
        from django_tasks_rq.backend import Job

        from rehabit.ops.queues import rq_queues

        queues = rq_queues()
        return cls(
            queues,
            # Unique per round: a killed worker's name stays registered for a while.
            name=f"{worker_id}.{uuid.uuid4().hex[:8]}",
            connection=queues[0].connection,
            job_class=Job,
            log_job_description=False,  # the description holds the task's arguments
        )

    ran = 0

    def run(self, max_jobs: int) -> int:
        """Move due scheduled jobs, run queued ones; returns how many ran."""
        self.work(burst=True, with_scheduler=True, max_jobs=max_jobs, logging_level="WARNING")
        return self.ran

    def execute_job(self, job: Any, queue: Any) -> None:
        self.ran += 1
        super().execute_job(job, queue)

    # The worker command's own SIGTERM/SIGINT handling stays in force.
    def _install_signal_handlers(self) -> None:
        return None

    # No pub/sub thread per round for RQ's remote commands (kill-horse, suspend).
    def subscribe(self) -> None:
        return None

    def unsubscribe(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"RoundWorker({self.name!r})"
