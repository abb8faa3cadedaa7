"""Dates and times in templates, one format everywhere (``rehabit.core.timefmt``).

``{{ moment|when }}``   Saturday 5 December 2026, 04:04 (GMT, Europe/London)
``{{ start|span:end }}`` Saturday 5 December 2026, 04:04–04:49 (GMT, Europe/London)
``{{ moment|day }}``    Saturday 5 December 2026 (a date, or a moment's day in the zone)
``{{ moment|clock }}``  04:04 (say the zone once beside it: ``{% zone_of moment %}``)
``{{ day|date_only }}`` 5 December 1980 (a date of birth)
``{{ day|month }}``     December 2026

The zone is the request's (the viewer's: ``AccountPreferencesMiddleware``).
``{% zone_guess %}`` (in base.html) asks the browser for its zone on a page that showed
a time to someone whose zone we do not know yet.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from rehabit.core import timefmt

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    return "" if value is None else timefmt.format_when(value)


@register.filter
def span(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    return timefmt.format_span(start, end)


@register.filter
def day(value: datetime | date | None) -> str:
    return "" if value is None else timefmt.format_day(value)


@register.filter
def clock(value: datetime | None) -> str:
    return "" if value is None else timefmt.format_time(value)


@register.filter
def date_only(value: date | None) -> str:
    return "" if value is None else timefmt.format_date(value)


@register.filter
def month(value: date | None) -> str:
    return "" if value is None else timefmt.format_month(value)


@register.simple_tag
def zone_of(value: datetime | None = None) -> str:
    """The zone's label at ``value`` (now when None): "GMT, Europe/London"."""
    from django.utils import timezone

    return timefmt.zone_label(value or timezone.now())


@register.simple_tag(takes_context=True)
def zone_guess(context: Any) -> str:
    """The browser's zone is asked for (``booking/zone.js``: the page opens again with
    ``?tz=``, which the session then remembers) when this GET page showed a time and
    nobody has told us the viewer's zone yet."""
    request = context.get("request")
    wanted = (
        request is not None
        and request.method == "GET"
        and getattr(request, "zone_guess", False)
        and timefmt.times_were_shown()
    )
    if not wanted:
        return ""
    return format_html(
        '<div hidden data-zone-guess="1"></div><script src="{}" defer></script>',
        static("booking/zone.js"),
    )
