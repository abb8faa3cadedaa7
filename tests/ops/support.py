"""Helpers for the operations tests: a Redis database of one's own, JSON log capture."""

from __future__ import annotations

import io
import json
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

MARK = "rehabit-test-owner"


@contextmanager
def redis_database(base: str) -> Iterator[str]:
    """The first empty numbered database on the Redis at ``base``, claimed with a marker
    key (so parallel runs do not share one), flushed afterwards. Skips without Redis."""
    import redis

    base = base.rstrip("/")
    owner = secrets.token_hex(8)
    try:
        redis.Redis.from_url(f"{base}/0", socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"needs Redis at {base} (REHABIT_TEST_REDIS_URL): {exc}")
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{base}/{number}")
        if client.set(MARK, owner, nx=True, ex=3600) and client.dbsize() == 1:
            break
        if client.get(MARK) == owner.encode():
            client.delete(MARK)
        client.close()
    else:
        pytest.skip(f"no empty database on the Redis at {base}")
    try:
        yield f"{base}/{number}"
    finally:
        client.flushdb()
        client.close()


@contextmanager
def json_log() -> Iterator[list[dict[str, Any]]]:
    """Every log line written meanwhile, through Rehabit's own filter and JSON formatter."""
    from rehabit.ops.logs import JsonFormatter, RequestIdFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines() if line)
