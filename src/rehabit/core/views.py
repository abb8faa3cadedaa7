import logging

from django.conf import settings
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rehabit.clinical.flow import TYPICAL_MINUTES
from rehabit.core import emergency
from rehabit.core.caching import public_bytes, same_for_every_visitor
from rehabit.core.throttle import RateLimited
from rehabit.education.content import load_overview

# How many "call now" signs the home page shows before linking to the whole list.
HOME_SIGNS = 4


@require_GET
@same_for_every_visitor
def home(request: HttpRequest) -> HttpResponse:
    """What Rehabit does and the check first; then the few warning signs that mean "call
    now" (the first of the reviewed list), with a link to all of them."""
    signs = load_overview()["get_help_now"]
    emergencies = [item for item in signs if item["level"] == "emergency"]
    context = {
        "top_signs": emergencies[:HOME_SIGNS],
        "sign_count": len(signs),
        "typical_minutes": TYPICAL_MINUTES,
    }
    response = render(request, "core/home.html", context)
    response.public_page = True  # type: ignore[attr-defined]
    return response


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """Who to contact about what: the emergency number, the therapist, the account pages,
    and the people who run this site when they have published an address."""
    address = str(settings.REHABIT_CONTACT_EMAIL)
    response = render(request, "core/contact.html", {"contact_email": address})
    response.public_page = True  # type: ignore[attr-defined]
    return response


def too_many_requests(request: HttpRequest, refused: RateLimited, back: str = "") -> HttpResponse:
    """A page's answer to a request refused by a rate limit (``rehabit.core.rate_limits``)
    where there is no form to show again: 429, the site's styled page saying how long to
    wait, and ``Retry-After``; ``back``, when given, is a link to the page it came from."""
    context = {"message": refused.message, "back": back}
    response = render(request, "429.html", context, status=429)
    return with_retry_after(response, refused)


def with_retry_after(response: HttpResponse, refused: RateLimited) -> HttpResponse:
    """``response`` (a form shown again with the refusal, status 429) with ``Retry-After``."""
    response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico`` for clients that ask for it without reading the page's links."""
    response = HttpResponsePermanentRedirect(static("core/favicon.ico"))
    response.public_page = True  # type: ignore[attr-defined]
    return response


@require_GET
def emergency_numbers(request: HttpRequest) -> HttpResponse:
    """``/emergency-numbers.js``: each zone's emergency number, for ``core/emergency.js``
    (``rehabit.core.emergency``). The pages ask for it with ``?v=`` and this answer's
    ETag, so a browser keeps it until a release changes the table."""
    body, etag = emergency.browser_script(str(settings.REHABIT_EMERGENCY_NUMBER))
    forever = request.GET.get("v") == etag.strip('"')
    cache_control = "public, max-age=31536000, immutable" if forever else "public, max-age=300"
    return public_bytes(
        request, body, etag, content_type="text/javascript", cache_control=cache_control
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The styled error page for 500, rendered without the request's context: no context
    processor, session or database is needed (the database may be why we are here). If
    even that fails, a plain sentence."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # noqa: BLE001 - the last resort must answer
        logging.getLogger(__name__).exception("The error page could not be rendered")
        body = _("Something went wrong on our side. Please try again in a few minutes.")
    return HttpResponseServerError(body)
