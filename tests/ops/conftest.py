"""Fixtures for the operations tests: a Redis database of the test's own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.booking.conftest import mailbox  # noqa: F401  (fixture)
from tests.ops.support import redis_database


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty database on the machine's Redis (REHABIT_TEST_REDIS_URL), flushed after."""
    base = os.environ.get("REHABIT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    with redis_database(base) as url:
        yield url


@pytest.fixture
def redis_queue(settings: Any, redis_url: str) -> str:
    """Background tasks on Redis (django-tasks-rq) for this test."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 300}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_url
