"""The outermost middleware: request id, probes, metrics endpoint, latency, access log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from rehabit.ops import context, health, metrics

access_logger = logging.getLogger("rehabit.access")

# Answered here, before host, HTTPS, session or CSRF handling: a load balancer calls the
# probes by the node's address over plain HTTP.
ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
    "/metrics": metrics.metrics_view,
}


def _route(request: HttpRequest, static_url: str) -> str:
    """The URL pattern the request matched (bounded: never the concrete path)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return str(match.route)
    if request.path_info in ENDPOINTS:
        return request.path_info
    if request.path_info.startswith(static_url):
        return static_url
    return "unmatched"


request_finished.connect(context.finished, dispatch_uid="rehabit.ops.request_finished")


class OpsMiddleware:
    """Give every request an id (``X-Request-ID`` sent, when it is a plain token, or a
    new one), in every log line written meanwhile and in the response; answer
    ``/healthz``, ``/readyz`` and ``/metrics``; time the request for Prometheus and write
    one access-log line (no query string, no client address, no secret in the path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.access_log = bool(settings.REHABIT_ACCESS_LOG)
        self.static_url = str(settings.STATIC_URL or "/static/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.accepted(request.META.get(context.META_KEY))
        context.current.set(request_id)  # until request_finished (rehabit.ops.context)
        started = time.perf_counter()
        endpoint = ENDPOINTS.get(request.path_info)
        response = endpoint(request) if endpoint else self.get_response(request)
        response[context.HEADER] = request_id
        seconds = time.perf_counter() - started
        method = request.method or "GET"
        metrics.observe(method, _route(request, self.static_url), response.status_code, seconds)
        if self.access_log and endpoint is None:
            path = context.loggable_path(request)
            access_logger.info(
                "%s %s %s %.1f ms",
                method,
                path,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
        return response
