"""The background queue seen from outside: which backend runs it, how much waits in it,
and whether it can be reached.

Two backends are supported (``REHABIT_TASKS_BACKEND``): the database queue
(django-tasks-db, the default: nothing to run besides the database) and Redis through RQ
(django-tasks-rq). Whatever the backend, the *claims* in the database decide who sends a
reminder or an e-mail (``rehabit.booking.reminders``, ``rehabit.mail.outbox``), so a task
run twice, or lost, never sends twice; the worker's sweep finds what a lost task left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

DATABASE = "database"
REDIS = "redis"
OTHER = "other"

BACKENDS = {
    DATABASE: "django_tasks_db.DatabaseBackend",
    REDIS: "django_tasks_rq.RQBackend",
}


def backend_path(name: str) -> str:
    """``REHABIT_TASKS_BACKEND`` as a class path: ``database``, ``redis`` or a dotted path."""
    return BACKENDS.get(name.strip().lower(), name.strip())


def kind(backend: Any = None) -> str:
    """Which kind of queue the default django-tasks backend is."""
    if backend is None:
        from django_tasks import task_backends

        backend = task_backends["default"]
    cls = type(backend)
    path = f"{cls.__module__}.{cls.__qualname__}"
    if path.startswith("django_tasks_db."):
        return DATABASE
    if path.startswith("django_tasks_rq."):
        return REDIS
    return OTHER


def rq_queues(backend: Any = None) -> list[Any]:
    """The RQ queues the default backend enqueues on (with its job class)."""
    import django_rq
    from django_tasks import task_backends
    from django_tasks_rq.backend import Job

    backend = backend or task_backends["default"]
    return [django_rq.get_queue(name, job_class=Job) for name in sorted(backend.queues)]


def tasks_ready(now: datetime | None = None) -> int:
    """Tasks waiting to run now: queued, or scheduled for a time that has come."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    found = kind(backend)
    if found == DATABASE:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().filter(backend_name=backend.alias).count()
    if found == REDIS:
        from rq.registry import ScheduledJobRegistry

        stamp = (now or timezone.now()).timestamp()
        total = 0
        for queue in rq_queues(backend):
            scheduled = ScheduledJobRegistry(queue=queue)
            total += queue.count + int(queue.connection.zcount(scheduled.key, 0, stamp))
        return total
    return 0


def outbox_due(now: datetime | None = None) -> int:
    """E-mails waiting to be sent now (new, or their retry time has come)."""
    from rehabit.mail.models import MessageStatus, OutgoingMessage

    now = now or timezone.now()
    return OutgoingMessage.objects.filter(
        Q(status=MessageStatus.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ).count()


def check_reachable() -> None:
    """Raise if the queue cannot be reached (the database table, or Redis)."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    found = kind(backend)
    if found == DATABASE:
        from django_tasks_db.models import DBTaskResult

        list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])
    elif found == REDIS:
        for queue in rq_queues(backend):
            queue.connection.ping()


def forget_jobs(matches: Callable[[str, list[Any]], bool]) -> int:
    """Delete every job of the Redis queue, whatever its state (queued, scheduled,
    running, finished, failed), whose task path and arguments ``matches``; returns how
    many. (The database queue's rows are deleted by the caller: they are a table.)"""
    if kind() != REDIS:
        return 0
    from rq.job import Job
    from rq.registry import (
        CanceledJobRegistry,
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )

    registries = (
        ScheduledJobRegistry,
        StartedJobRegistry,
        FinishedJobRegistry,
        FailedJobRegistry,
        DeferredJobRegistry,
        CanceledJobRegistry,
    )
    deleted = 0
    for queue in rq_queues():
        ids = set(queue.get_job_ids())
        for registry in registries:
            ids.update(registry(queue=queue).get_job_ids())
        for job in Job.fetch_many(sorted(ids), connection=queue.connection):
            if job is not None and matches(str(job.func_name), list(job.args)):
                job.delete()
                deleted += 1
    return deleted
