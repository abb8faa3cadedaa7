"""Times as people read them: in their zone, with the zone named.

The one formatter is ``rehabit.core.timefmt``; booking's modules import it from here.
"""

from rehabit.core.timefmt import (
    format_clock,
    format_date,
    format_day,
    format_day_without_year,
    format_month,
    format_month_day,
    format_span,
    format_time,
    format_when,
    format_zone_short,
    in_zone,
    zone_label,
)

__all__ = [
    "format_clock",
    "format_date",
    "format_day",
    "format_day_without_year",
    "format_month",
    "format_month_day",
    "format_span",
    "format_time",
    "format_when",
    "format_zone_short",
    "in_zone",
    "zone_label",
]
