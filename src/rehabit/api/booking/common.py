"""Shared by the booking API's routers: field errors, and the zone an answer is given in
(the session sign-in is ``rehabit.api.auth``'s)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from rehabit.booking import messages as msg
from rehabit.booking.people import zone_of
from rehabit.scheduling import UnknownTimeZone, validate_zone


def error_body(loc: list[str], message: str) -> dict[str, Any]:
    """The 422 body for one field error, in the shape of ``ValidationErrorOut``."""
    return {
        "detail": [{"loc": loc, "msg": message, "type": "value_error"}],
        "errors": {".".join(loc[1:]) or "__all__": [message]},
    }


def zone_error(name: str, loc: list[str]) -> dict[str, Any] | None:
    try:
        validate_zone(name)
    except UnknownTimeZone as exc:
        return error_body(loc, msg.unknown_zone(name, exc.suggestion))
    return None


def response_zone(request: HttpRequest, requested: str | None) -> str:
    return requested or zone_of(request.user)
