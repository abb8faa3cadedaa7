"""The time zone a page shows times in, for every app (``AccountPreferencesMiddleware``
activates it on each request; ``rehabit.care.zones.shown_in_page_zone`` for a view).

A valid ``tz`` chosen in the address wins; a signed-in person's own zone comes next; a
signed-out visitor (or one whose zone is still UTC) sees the zone their browser reported,
remembered in their session so that every later page, and the page a form redirects to,
shows it too. Until the browser has said, times are in UTC and the page carries
``data-zone-guess`` so ``booking/zone.js`` can fill the zone in.

A person's own zone is one rule for pages, e-mails and calendar files; the booking app
holds it (a therapist's record, where their working hours are set, comes before the
profile) and hands it over at start-up (``register_person_zone``), so this module imports
no app built on accounts. Until then, the profile's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from rehabit.core.browser_zone import SESSION_KEY, remembered_zone, valid_zone_name

UTC = "UTC"


def _profile_zone(user: Any) -> str:
    from rehabit.accounts.preferences import profile_of

    if user is None or not getattr(user, "is_authenticated", False):
        return UTC
    return valid_zone_name(profile_of(user).time_zone) or UTC


_person_zone: list[Callable[[Any], str]] = [_profile_zone]


def register_person_zone(rule: Callable[[Any], str]) -> None:
    """``rule(user)`` is the IANA zone the person's times are shown in ("UTC" if unknown)."""
    _person_zone[:] = [rule]


def profile_zone(request: HttpRequest) -> str | None:
    """The signed-in person's own zone; None when it is unknown or UTC."""
    found = _person_zone[0](getattr(request, "user", None))
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
