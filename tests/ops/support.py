"""Helpers for the operations tests: a Redis database of one's own, JSON log capture."""

from __future__ import annotations

import io
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
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


# --- Talking to served nodes -----------------------------------------------------------

CSRF = "c" * 32  # a CSRF secret the client chooses: cookie and header (or field) match


def call(
    url: str,
    *,
    body: object = None,
    form: dict[str, str] | None = None,
    session: str = "",
    key: str = "",
    timeout: float = 60,
) -> tuple[int, Any]:
    """One HTTP request: a JSON body (API) or a form (page); the answer's status and JSON
    (or text)."""
    headers = {"Accept": "application/json", "Cookie": f"csrftoken={CSRF}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers.update({"Content-Type": "application/json", "X-CSRFToken": CSRF})
    elif form is not None:  # as a browser posts a page's form
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": CSRF}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Accept"] = "text/html"
    if session:
        headers["Cookie"] += f"; sessionid={session}"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, _decoded(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _decoded(error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _decoded(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")
