"""A signed-in person's time zone and language, applied to their requests."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_SESSION_KEY = "rehabit.apply_language"


def profile_of(user: Any) -> Any:
    from rehabit.accounts.models import Profile

    cached = getattr(user, "_rehabit_profile", None)
    if cached is None:
        cached, _ = Profile.objects.get_or_create(user=user)
        user._rehabit_profile = cached
    return cached


def user_zone(user: Any) -> zoneinfo.ZoneInfo | None:
    if not getattr(user, "is_authenticated", False):
        return None
    name = profile_of(user).time_zone
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


# Apps that hold a person's zone before their profile does register a lookup here from
# their ``AppConfig.ready``, as the booking app does for a therapist's record (which an
# administrator fills in): accounts never imports them (see ``rehabit.accounts.access``).
_zone_sources: list[Callable[[Any], str]] = []


def register_zone_source(source: Callable[[Any], str]) -> None:
    """``source(user)`` names the zone another app holds for the person, or ""."""
    if source not in _zone_sources:
        _zone_sources.append(source)


def held_zone(user: Any) -> str:
    """The zone a registered app holds for the person (a therapist's record, which their
    working hours are set in), if the profile form offers it; else ""."""
    from rehabit.core.timefmt import canonical_zone, offered_zones

    for source in _zone_sources:
        found = canonical_zone(source(user) or "")
        if found in offered_zones():
            return found
    return ""


def known_zone(user: Any) -> str:
    """The zone the account already has for the person: their profile's, else one a
    registered app holds (a therapist's record); "" when no one knows it yet (then the
    profile page asks the browser)."""
    stored = profile_of(user).time_zone
    return str(stored) if stored else held_zone(user)


def apply_language(request: HttpRequest, user: Any) -> None:
    """Use the person's preferred language for this session (from the next response on,
    through the language cookie, so the language switcher keeps working)."""
    language = profile_of(user).language
    if language and language in dict(settings.LANGUAGES):
        request.session[LANGUAGE_SESSION_KEY] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


def set_language_cookie(request: HttpRequest, response: HttpResponse) -> None:
    language = request.session.get(LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None
    if not language:
        return
    del request.session[LANGUAGE_SESSION_KEY]
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def display_name(user: Any) -> str:
    """How allauth names a person (e-mails, messages): never the random username."""
    if not getattr(user, "pk", None):
        return str(getattr(user, "email", "") or "")
    return profile_of(user).full_name or user.email
