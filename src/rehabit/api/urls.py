"""The Rehabit API, version 1 (django-ninja; OpenAPI at /api/v1/openapi.json)."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from rehabit.api import (
    assessments,
    booking,
    care,
    charts,
    clinic,
    conditions,
    progress,
    therapist,
    treatments,
)
from rehabit.api.schemas import too_many
from rehabit.core.throttle import RateLimited

api = NinjaAPI(
    title="Rehabit API",
    version="1",
    description=(
        "Self-assessment for pain in the back of the thigh: the questionnaire, triage with "
        "an explained ranking of likely causes, and condition summaries. Results are "
        "information, not a diagnosis."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("", assessments.router)
api.add_router("", conditions.router)
api.add_router("", booking.router)
api.add_router("", care.router)
api.add_router("", progress.router)
api.add_router("", therapist.router)
api.add_router("", clinic.router)
api.add_router("", charts.router)
api.add_router("", treatments.router)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Ninja's own schema errors, in the same shape as the clinical validation errors."""
    detail = []
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        msg = str(error.get("msg", "Invalid value."))
        detail.append({"loc": loc, "msg": msg, "type": str(error.get("type", "value_error"))})
        errors.setdefault(".".join(loc[1:]) or "__all__", []).append(msg)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """A rate limit reached (``rehabit.core.rate_limits``): 429 with the wait (an operation
    that counts lists ``429: RateLimitedOut`` among its responses)."""
    return too_many(exc)
