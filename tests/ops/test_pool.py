"""psycopg's pool and the fork: `rehabit serve` closes the pool itself before gunicorn
forks its workers, so no worker inherits the starting process's pooled connections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections

from rehabit.server import close_database_connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pooled() -> Iterator[Any]:
    """The default connection through psycopg's pool (REHABIT_DB_POOL), then back."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "OPTIONS")}
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 0
    connection.settings_dict["OPTIONS"] = {**saved["OPTIONS"], "pool": {"min_size": 1}}
    try:
        yield connection
    finally:
        connection.close()
        if connection.pool is not None:
            connection.close_pool()
        connection.settings_dict.update(saved)
        connection.ensure_connection()


def test_closing_before_a_fork_closes_the_pool_and_its_connections(pooled: Any) -> None:
    with pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
    pool = pooled.pool
    assert not pool.closed and pool.get_stats()["pool_size"] >= 1
    close_database_connections()
    assert pool.closed
    assert "default" not in type(connections["default"])._connection_pools
    # The next use (in a forked worker) opens a pool of its own.
    with pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert pooled.pool is not pool and not pooled.pool.closed
