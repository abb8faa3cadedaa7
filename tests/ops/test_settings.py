"""The production profile read from the environment: database connections and pool,
shared cache, task queue, logs, metrics; bad values refused with a clear message."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

from rehabit.config.env import MissingSetting

SETTINGS = Path(__file__).resolve().parents[2] / "src" / "rehabit" / "config" / "settings.py"
PG = "postgres://rehabit@db.internal:5432/rehabit"


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    """The settings module as a process started with ``env`` would have it."""
    for name in list(__import__("os").environ):
        if name.startswith("REHABIT_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("REHABIT_ENV", "development")
    monkeypatch.setenv("REHABIT_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_persistent_connections_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = load(monkeypatch, tmp_path, DATABASE_URL=PG)["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"] == {"connect_timeout": 5}


def test_the_psycopg_pool_replaces_persistent_connections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = load(
        monkeypatch,
        tmp_path,
        DATABASE_URL=PG,
        REHABIT_DB_POOL="true",
        REHABIT_DB_POOL_MAX_SIZE="4",
    )["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": PG, "REHABIT_DB_POOL": "true", "REHABIT_DB_CONN_MAX_AGE": "60"},
            "REHABIT_DB_POOL and REHABIT_DB_CONN_MAX_AGE exclude each other",
        ),
        ({"REHABIT_DB_POOL": "true"}, "REHABIT_DB_POOL needs PostgreSQL"),
        ({"REHABIT_DB_POOL": "maybe"}, "REHABIT_DB_POOL must be true or false, not 'maybe'"),
        ({"REHABIT_CACHE_URL": "memcached://x:11211"}, "REHABIT_CACHE_URL must be a Redis"),
        ({"REHABIT_TASKS_BACKEND": "redis"}, "REHABIT_TASKS_BACKEND=redis needs REHABIT_REDIS_URL"),
        ({"REHABIT_LOG_FORMAT": "xml"}, "REHABIT_LOG_FORMAT must be json or plain, not 'xml'"),
    ],
)
def test_a_bad_combination_is_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(MissingSetting, match=message):
        load(monkeypatch, tmp_path, **env)


def test_an_external_pooler_gets_no_server_side_cursors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = load(monkeypatch, tmp_path, DATABASE_URL=PG, REHABIT_DB_EXTERNAL_POOLER="true")[
        "DATABASES"
    ]["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_the_cache_is_the_database_unless_redis_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = load(monkeypatch, tmp_path)["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache = load(monkeypatch, tmp_path, REHABIT_CACHE_URL="redis://cache:6379/1")["CACHES"][
        "default"
    ]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache:6379/1"
    assert cache["KEY_PREFIX"] == "rehabit"


def test_the_task_queue_is_the_database_unless_redis_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found = load(monkeypatch, tmp_path)
    assert found["TASKS"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "django_rq" not in found["INSTALLED_APPS"]
    found = load(
        monkeypatch,
        tmp_path,
        REHABIT_TASKS_BACKEND="redis",
        REHABIT_REDIS_URL="redis://queue:6379/0",
    )
    assert found["TASKS"] == {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    assert found["RQ_QUEUES"]["default"]["URL"] == "redis://queue:6379/0"
    assert "django_rq" in found["INSTALLED_APPS"]
    # A class path, as before, still works.
    found = load(monkeypatch, tmp_path, REHABIT_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_logs_are_json_in_production_and_plain_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found = load(monkeypatch, tmp_path)
    assert found["LOGGING"]["handlers"]["console"]["formatter"] == "plain"
    found = load(
        monkeypatch,
        tmp_path,
        REHABIT_ENV="production",
        REHABIT_SECRET_KEY="s" * 30 + "ecret-key-with-enough-different-chars",
        REHABIT_ALLOWED_HOSTS="rehabit.example",
        REHABIT_EMAIL_HOST="smtp.example",
    )
    assert found["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert found["LOGGING"]["handlers"]["console"]["filters"] == ["request_id"]
