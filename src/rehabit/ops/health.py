"""``/healthz`` and ``/readyz`` for load balancers and orchestrators.

``/healthz`` says the process answers; it touches nothing else, so a database outage
does not get every node restarted. ``/readyz`` says whether this node can do its work:
the database answers, the task queue (its table, or Redis) answers and, when the cache is
Redis, the cache answers. Otherwise it is 503 with a JSON reason per part; the details
of the error go to the log under the request id, not to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def _database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _queue() -> None:
    from rehabit.ops.queues import check_reachable

    check_reachable()


def _cache() -> None:
    from django.core.cache import cache

    cache.get("rehabit:readyz")


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": _database, "queue": _queue}
    if settings.REHABIT_CACHE_URL:
        found["cache"] = _cache
    return found


def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("Not ready: %s unreachable (%s: %s)", name, type(exc).__name__, exc)
            results[name] = f"unreachable ({type(exc).__name__})"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    body = {"status": "ready" if ready else "unavailable", "checks": results}
    if not ready:
        body["reason"] = ", ".join(
            f"{name} {value}" for name, value in results.items() if value != "ok"
        )
    return _no_store(JsonResponse(body, status=200 if ready else 503))


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response
