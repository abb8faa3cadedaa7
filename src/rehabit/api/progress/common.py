"""What the progress API's operations share: their tag, the answers of a read that finds
no assessment it may show, and a service's field errors as a 422."""

from __future__ import annotations

from typing import Any

from ninja import Status

from rehabit.api.schemas import MessageOut, NotFoundOut, ValidationErrorOut, validation_error_body
from rehabit.outcomes import services

TAGS = ["progress and outcome measures"]

READ = {200: Any, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut}


def field_errors(exc: services.FieldErrors) -> Status[Any]:
    return Status(422, validation_error_body(exc.errors, ["body", "payload"]))
