"""Response and request shapes shared by the API routers."""

from typing import Any

from ninja import Schema
from pydantic import Field


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
