"""Response and request shapes shared by the API routers."""

from typing import Any

from django.http import HttpResponse, JsonResponse
from ninja import Schema
from pydantic import Field

from rehabit.core.throttle import RateLimited


class FieldError(Schema):
    loc: list[str]
    msg: str
    type: str = "value_error"


class ValidationErrorOut(Schema):
    detail: list[FieldError]
    errors: dict[str, list[str]] = Field(
        description="The same errors keyed by question id ('__all__' for the whole body)."
    )
    code: str | None = Field(
        None, description="For a refused booking action, why (e.g. same_time, out_of_range)."
    )


class MessageOut(Schema):
    """An error with one plain-language message (malformed body, not found, conflict)."""

    detail: str


NotFoundOut = MessageOut


class RateLimitedOut(Schema):
    """Too many of these requests in a short time (``rehabit.core.rate_limits``): nothing
    was done; try again after ``retry_after`` seconds."""

    detail: str = Field(description="What was paused and how long to wait, in words.")
    retry_after: int = Field(description="Seconds to wait (also in the Retry-After header).")


def too_many(refused: RateLimited) -> HttpResponse:
    """The API's answer to a rate-limited request: 429, ``RateLimitedOut``, ``Retry-After``
    (also given by the API's handler of ``RateLimited``, so an operation just counts)."""
    body = {"detail": refused.message, "retry_after": refused.retry_after}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


def validation_error_body(errors: dict[str, list[str]], prefix: list[str]) -> dict[str, Any]:
    detail = [
        {
            "loc": [*prefix, field] if field != "__all__" else prefix,
            "msg": msg,
            "type": "value_error",
        }
        for field, messages in sorted(errors.items())
        for msg in messages
    ]
    return {"detail": detail, "errors": errors}
