"""Times as people read them: in their zone, with the zone named."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from rehabit.scheduling import format_zone_abbrev, validate_zone


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(validate_zone(zone))


def zone_label(moment: datetime, zone: str) -> str:
    """ "GMT, Europe/London" or "UTC"; the abbreviation is the one in force at ``moment``."""
    local = in_zone(moment, zone)
    abbrev = format_zone_abbrev(local)
    if zone == "UTC" or abbrev == zone:
        return abbrev
    return _("%(abbrev)s, %(zone)s") % {"abbrev": abbrev, "zone": zone.replace("_", " ")}


def format_day(moment: datetime, zone: str) -> str:
    return formats.date_format(in_zone(moment, zone), "l j F Y")


def format_time(moment: datetime, zone: str) -> str:
    return formats.date_format(in_zone(moment, zone), "H:i")


def format_when(moment: datetime, zone: str) -> str:
    """ "Tuesday 3 March 2026, 09:00 (GMT, Europe/London)"."""
    return _("%(day)s, %(time)s (%(zone)s)") % {
        "day": format_day(moment, zone),
        "time": format_time(moment, zone),
        "zone": zone_label(moment, zone),
    }


def format_span(start: datetime, end: datetime, zone: str) -> str:
    """ "Tuesday 3 March 2026, 09:00–09:45 (GMT, Europe/London)"."""
    return _("%(day)s, %(start)s–%(end)s (%(zone)s)") % {
        "day": format_day(start, zone),
        "start": format_time(start, zone),
        "end": format_time(end, zone),
        "zone": zone_label(start, zone),
    }
