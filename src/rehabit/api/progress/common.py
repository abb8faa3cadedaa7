"""What the progress API's operations share: their tag, the answers of a read that finds
no assessment it may show and of a write that is refused, and a service's field errors as
a 422."""

from __future__ import annotations

from typing import Any

from ninja import Status

from rehabit.api.schemas import (
    MessageOut,
    NotFoundOut,
    RateLimitedOut,
    ValidationErrorOut,
    validation_error_body,
)
from rehabit.outcomes import services

TAGS = ["progress and outcome measures"]

READ = {200: Any, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut}
WRITE = {400: MessageOut, 403: MessageOut, 404: NotFoundOut, 409: MessageOut,
         422: ValidationErrorOut, 429: RateLimitedOut}  # fmt: skip


def field_errors(exc: services.FieldErrors) -> Status[Any]:
    return Status(422, validation_error_body(exc.errors, ["body", "payload"]))
