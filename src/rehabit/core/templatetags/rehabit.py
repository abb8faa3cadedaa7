"""Template helpers shared by every app."""

import json
from functools import cache

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from rehabit.core.emergency import browser_script, current_number
from rehabit.core.reviewed_text import tr
from rehabit.core.timefmt import readable_zone, zone_aliases

register = template.Library()


# A string from a reviewed data file (questionnaire, content), translated.
register.filter("tr", tr)


@register.simple_tag
def switchable_languages() -> list[tuple[str, str]]:
    """The languages the footer's switcher offers (``settings.LANGUAGES``), or none when
    they are all one language's variants (British and American English): a reader gets
    theirs from the browser's Accept-Language, or chooses it on the profile. A switcher is
    a form with a CSRF token on every page, which would make the pages built once for every
    visitor (the home page, ``core.caching``) each visitor's own."""
    languages = list(settings.LANGUAGES)
    return languages if len({code.split("-")[0] for code, _name in languages}) > 1 else []


@register.filter
def zone_name(zone: object) -> str:
    """A time zone's name as people read it (``timefmt.readable_zone``)."""
    return readable_zone(str(zone))


@register.filter
def percent(value: float) -> str:
    """A probability as a whole percentage, never showing 0 % or 100 % for a real chance."""
    pct = float(value) * 100
    if 0 < pct < 1:
        return "<1%"
    if 99 < pct < 100:
        return ">99%"
    return f"{round(pct)}%"


@register.simple_tag
def emergency_number() -> str:
    """The emergency number for the zone the page is in (``core.emergency``), so that a
    page rendered without the request's context (the server-error page, a refused form)
    still shows it."""
    return current_number()


@register.simple_tag
def emergency_scripts() -> str:
    """The scripts that put the browser's own country's number in the call links: the
    table, at an address that changes with it (so browsers keep it), then the code."""
    _body, etag = browser_script(str(settings.REHABIT_EMERGENCY_NUMBER))
    table = reverse("core:emergency_numbers") + "?v=" + etag.strip('"')
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>',
        table,
        static("core/emergency.js"),
    )


@register.simple_tag
@cache
def zone_aliases_json() -> str:
    """The other names of the listed zones as JSON (``timefmt.zone_aliases``), for the script
    that picks the browser's zone in a zone list (escaped as an attribute value); made
    once."""
    return json.dumps(zone_aliases(), separators=(",", ":"))
