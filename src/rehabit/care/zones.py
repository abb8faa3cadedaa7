"""The time zone the care and progress pages show times in.

The same rule as booking (``rehabit.booking.people.viewer_zone`` and its ``zone.js``): a
valid ``tz`` chosen in the address wins; a signed-in person's profile zone comes next; a
signed-out visitor (or one whose profile still says UTC) sees the zone their browser
reported, remembered in their session so that every later page, and the page a form
redirects to, shows it too. Until the browser has said, times are in UTC and the page
carries ``data-zone-guess`` so ``booking/zone.js`` can fill the zone in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rehabit.core.browser_zone import SESSION_KEY, remembered_zone, valid_zone_name

UTC = "UTC"


def profile_zone(request: HttpRequest) -> str | None:
    """The signed-in person's zone by booking's one rule (a therapist's record, else the
    profile); None when it is unknown or UTC."""
    from rehabit.booking.people import zone_of

    found = zone_of(getattr(request, "user", None))
    return found if found != UTC else None


def page_zone(request: HttpRequest) -> tuple[str, bool]:
    """(the zone to show times in, whether the browser should be asked for its zone)."""
    session = getattr(request, "session", None)
    requested = valid_zone_name(request.GET.get("tz"))
    if requested:
        if session is not None and session.get(SESSION_KEY) != requested:
            session[SESSION_KEY] = requested
        return requested, False
    profile = profile_zone(request)
    if profile:
        return profile, False
    remembered = remembered_zone(request)
    if remembered:
        return remembered, False
    return UTC, True


def shown_in_page_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a page view with its times in the viewer's zone (``request.zone_guess`` says
    whether the page should ask the browser)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        zone, guess = page_zone(request)
        request.zone_guess = guess  # type: ignore[attr-defined]
        with timezone.override(zone):
            return view(request, *args, **kwargs)

    return wrapper
