"""Shared by the clinic's API routers: instants in UTC and field errors (the session
sign-in is ``rehabit.api.auth``'s)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rehabit.api.schemas import validation_error_body
from rehabit.clinic.errors import FieldErrors


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def field_errors(exc: FieldErrors) -> dict[str, Any]:
    """422 body: each error located in the body (``items.0.dosage.sets`` -> its parts)."""
    body = validation_error_body(exc.errors, ["body", "payload"])
    for entry in body["detail"]:
        entry["loc"] = [part for loc in entry["loc"] for part in str(loc).split(".")]
    return body
