"""/healthz and /readyz: what a load balancer asks a node, by address, over plain HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.booking.support import free_port
from tests.serving import serve, server_env


@pytest.fixture
def production_like(settings: Any) -> None:
    """Host names and HTTPS enforced, as in production."""
    settings.ALLOWED_HOSTS = ["rehabit.example"]
    settings.SECURE_SSL_REDIRECT = True


def test_healthz_answers_without_the_database_by_address_over_http(
    client: Client, production_like: None
) -> None:
    # No database access is allowed in this test: any query would raise.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_database_and_queue(client: Client, production_like: None) -> None:
    response = client.get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_with_the_reason_when_the_redis_queue_is_down(
    client: Client, settings: Any
) -> None:
    nobody = free_port()  # nothing listens there
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{nobody}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "queue": "unreachable (ConnectionError)"}
    assert body["reason"] == "queue unreachable (ConnectionError)"
    assert str(nobody) not in response.content.decode()  # details go to the log only


@pytest.mark.django_db
def test_readyz_checks_redis_queue_and_cache_when_they_are_used(
    client: Client, settings: Any, redis_queue: str
) -> None:
    settings.REHABIT_CACHE_URL = redis_queue
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_queue,
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "queue": "ok", "cache": "ok"}


def get(url: str) -> tuple[int, dict[str, Any], Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_a_node_whose_database_is_gone_is_alive_but_not_ready(tmp_path: Path) -> None:
    """A real server whose database disappears after it started (its folder unmounted,
    say): /healthz stays 200, /readyz says 503 and why, so the load balancer stops sending
    it patients without the node being restarted. (SQLite, on either suite: a PostgreSQL
    server cannot be taken away here.)"""
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite suite")
    folder = tmp_path / "db"
    folder.mkdir()
    env = server_env(
        tmp_path / "data",
        f"sqlite:///{folder / 'rehabit.sqlite3'}",
        REHABIT_DB_CONN_MAX_AGE="0",  # a new connection per request, as after a restart
    )
    with serve(env, "--no-worker", "--workers", "1", timeout=300) as server:
        status, _, body = get(f"{server.url}/readyz")
        assert (status, body["status"]) == (200, "ready")
        moved = tmp_path / "unmounted"
        folder.rename(moved)
        try:
            status, headers, body = get(f"{server.url}/healthz")
            assert (status, body) == (200, {"status": "ok"})
            status, headers, body = get(f"{server.url}/readyz")
            assert status == 503, body
            # The database queue lives in the same database: it is gone too.
            assert body["checks"] == {
                "database": "unreachable (OperationalError)",
                "queue": "unreachable (OperationalError)",
            }
            assert body["reason"] == (
                "database unreachable (OperationalError), queue unreachable (OperationalError)"
            )
            # The log says more, under the request id the answer carries.
            request_id = headers["X-Request-ID"]
            assert f"[{request_id}] Not ready: database unreachable" in server.output()
        finally:
            moved.rename(folder)
        status, _, body = get(f"{server.url}/readyz")
        assert (status, body["status"]) == (200, "ready")
