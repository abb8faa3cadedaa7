"""Prometheus metrics (prometheus-client, the Prometheus project's own Python client).

* ``rehabit_http_request_duration_seconds{method,route,status}``: every request's time in
  Django, by URL pattern (never the concrete path, so ids make no new series).
* ``rehabit_outbox_due_messages``: e-mails waiting to be sent now.
* ``rehabit_tasks_ready``: background tasks waiting to run now (either queue).
* ``rehabit_reminder_lag_seconds``: how long the oldest due, unsent reminder has waited.
* ``rehabit_queue_metrics_up``: 1 when the three above could be read.

The queue figures are read from the database (and Redis) when Prometheus scrapes, so any
node reports the same. ``rehabit serve`` runs several worker processes: it gives them a
shared folder (``PROMETHEUS_MULTIPROC_DIR``, ``rehabit.ops.processes``) so a scrape sums
all of them. Another server running Rehabit's WSGI application with several processes
should do the same (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from rehabit.ops.processes import MULTIPROC_ENV
from rehabit.ops.readings import readings

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "rehabit_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by URL pattern.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method if method in METHODS else "other", route, str(status)).observe(
        seconds
    )


class QueueCollector(Collector):
    """Queue depth and reminder lag, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = 1
        for name, (text, read) in readings().items():
            try:
                value = float(read())
            except Exception:  # noqa: BLE001 - a scrape reports what it can
                logger.exception("Metric %s could not be read.", name)
                up = 0
                continue
            yield GaugeMetricFamily(name, text, value=value)
        yield GaugeMetricFamily(
            "rehabit_queue_metrics_up", "1 when the queue metrics could be read.", value=up
        )


def exposition() -> bytes:
    """Everything in Prometheus's text format: this node's processes, then the queues."""
    if os.environ.get(MULTIPROC_ENV):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
    else:
        processes = REGISTRY
    queues = CollectorRegistry()
    queues.register(QueueCollector())
    return generate_latest(processes) + generate_latest(queues)


# --- Who may read them -----------------------------------------------------------------


@cache
def _networks(raw: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in raw)


def _bearer(request: HttpRequest) -> str:
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _from_allowed_network(request: HttpRequest) -> bool:
    networks = _networks(tuple(settings.REHABIT_METRICS_ALLOWED_NETWORKS))
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in networks)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics``: for a bearer of REHABIT_METRICS_TOKEN or a peer in
    REHABIT_METRICS_ALLOWED_NETWORKS; 404 when neither is configured."""
    token = settings.REHABIT_METRICS_TOKEN
    networks = settings.REHABIT_METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return HttpResponse("Not found.\n", status=404, content_type="text/plain")
    sent = _bearer(request)
    allowed = bool(token and sent and hmac.compare_digest(sent.encode(), token.encode()))
    if not allowed and networks:
        allowed = _from_allowed_network(request)
    if not allowed:
        response = HttpResponse(
            "Metrics need a bearer token or an allowed network.\n",
            status=401 if token else 403,
            content_type="text/plain",
        )
        if token:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
