"""Shared by the clinic's API routers: the session sign-in and instants in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth

from rehabit.api.schemas import validation_error_body
from rehabit.clinic.errors import FieldErrors


class SignedIn(SessionAuth):
    """The site's session sign-in (with its CSRF check on writes); anonymous: 403."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        raise HttpError(403, "Sign in to use this endpoint.")


signed_in = SignedIn()


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def field_errors(exc: FieldErrors) -> dict[str, Any]:
    """422 body: each error located in the body (``items.0.dosage.sets`` -> its parts)."""
    body = validation_error_body(exc.errors, ["body", "payload"])
    for entry in body["detail"]:
        entry["loc"] = [part for loc in entry["loc"] for part in str(loc).split(".")]
    return body
