"""The task that sends a message right after it is posted (any django-tasks backend);
the worker's ``send_due`` sends whatever this did not (retries, a lost task)."""

from __future__ import annotations

import os

from django.utils.crypto import get_random_string
from django_tasks import task


@task()
def send_message(message_id: int) -> str:
    from rehabit.mail.outbox import deliver

    return deliver(message_id, worker_id=f"task-{os.getpid()}-{get_random_string(6)}")
