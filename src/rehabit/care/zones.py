"""The time zone the care and progress pages show times in: the page's zone
(``rehabit.accounts.zones.page_zone``: a chosen ``tz``, the person's own zone, else the one
their browser reported), applied to one view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rehabit.accounts.zones import page_zone


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
