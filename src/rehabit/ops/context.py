"""The id of the request (or background round) being handled, for every log line.

A request keeps the ``X-Request-ID`` its client or load balancer sent, when it is a
plain token (letters, digits and ``._:-``, at most 128 characters: it is echoed into logs
and headers, so nothing else is trusted); otherwise it gets a new random one.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from typing import Any

from django.urls import Resolver404, resolve

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current: ContextVar[str] = ContextVar("rehabit_request_id", default="-")


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(sent: str | None) -> str:
    """The id a request goes by: the one sent, if it is a plain token, else a new one."""
    if sent and _ACCEPTED.fullmatch(sent):
        return sent
    return new_id()


def request_id() -> str:
    return current.get()


# URL parameters that are secrets (a calendar-feed or offer token, a password-reset key,
# and an assessment's id: the link to an assessment nobody has signed up for is its only
# key, so anyone reading the log could open the answers, the diary and the report).
SECRET_PARTS = ("token", "key", "secret", "uidb", "assessment")


def _route_of(request: Any) -> Any:
    """The URL pattern the request's path is for: Django's match once the view is found;
    before that (a middleware answered first: the https or trailing-slash redirect, a
    sign-in or consent gate, a refused request), the path's own match, or its match with
    the slash the redirect would add. None when nothing matches."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match
    path = str(getattr(request, "path_info", "") or "")
    for candidate in (path, path + "/") if not path.endswith("/") else (path,):
        try:
            return resolve(candidate)
        except Resolver404:
            continue
        except Exception:  # noqa: BLE001 - a path no pattern can read names no secret
            return None
    return None


def loggable_path(request: Any) -> str:
    """The request's path, unless it carries a secret: then the URL pattern, which names
    the part but not its value. Asked of the path itself when a middleware answered before
    the view was found (a calendar feed polled over http gets the https redirect; an
    assessment's link without its slash, the slash redirect), so no answer writes one."""
    match = _route_of(request)
    if match is not None and any(word in name for name in match.kwargs for word in SECRET_PARTS):
        return "/" + str(match.route)
    return str(request.path)


def finished(**_: Any) -> None:
    """Django's ``request_finished``: lines written after the request are not its own.
    (The id is not reset when the middleware returns: Django logs a 4xx or 5xx answer
    after that, and that line belongs to the request.)"""
    current.set("-")
