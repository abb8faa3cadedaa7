"""The time zone a browser reported, remembered in its session (``rehabit.care.zones``
writes it; booking and care read it). Below both apps, so neither imports the other for it.
"""

from __future__ import annotations

from django.http import HttpRequest

from rehabit.core.timefmt import canonical_zone
from rehabit.scheduling import UnknownTimeZone, validate_zone

SESSION_KEY = "rehabit.browser_zone"


def valid_zone_name(name: object) -> str | None:
    """``name`` when it is a known IANA zone name (under the name the zone list offers:
    browsers still report Asia/Calcutta for Asia/Kolkata), else None."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        validate_zone(name)
    except UnknownTimeZone:
        return None
    return canonical_zone(name)


def remembered_zone(request: HttpRequest) -> str | None:
    """The zone this browser reported earlier in the session, if any."""
    session = getattr(request, "session", None)
    return valid_zone_name(session.get(SESSION_KEY)) if session is not None else None
