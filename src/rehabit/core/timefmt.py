"""Dates and times as people read them: one format everywhere, in the viewer's zone, with
the zone named.

- a moment: "Saturday 5 December 2026, 04:04 (GMT, Europe/London)"; the time of day on the
  reader's clock, 24-hour or 12-hour ("4:04 AM" in American English: ``TIME``)
- a span: "Saturday 5 December 2026, 04:04–04:49 (GMT, Europe/London)"
- a day: "Saturday 5 December 2026" (a date of birth: "5 December 1980"; a month:
  "December 2026")

in the reader's language's order and clock (``config/formats``): American English reads
"Saturday, December 5, 2026, 4:04 AM (GMT, Europe/London)".

Pages use the template filters of ``rehabit.core.templatetags.times`` (``|when``,
``|day``), which read the zone the request activated (``rehabit.care.zones.page_zone``
through ``AccountPreferencesMiddleware``: a chosen ``?tz``, the person's zone, else the
browser's zone remembered in the session); e-mails and other text made without a request
pass the recipient's zone. Nothing else formats a date or time for people.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import formats, timezone
from django.utils.formats import FORMAT_SETTINGS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rehabit.scheduling import format_zone_abbrev, validate_zone

# The names of the reader's language's formats (``config/formats``), never formats: British
# English writes the day before the month ("Saturday 5 December 2026", "04:04"), American
# English the month first and the 12-hour clock ("Saturday, December 5, 2026", "4:04 AM").
# Django's own names (TIME_FORMAT, MONTH_DAY_FORMAT, YEAR_MONTH_FORMAT) are read by
# ``django.utils.formats``; Rehabit's (DAY_FORMAT...) by ``local_format`` below.
DAY = "DAY_FORMAT"
DAY_WITHOUT_YEAR = "DAY_WITHOUT_YEAR_FORMAT"
DATE_WITHOUT_WEEKDAY = "DATE_WITHOUT_WEEKDAY_FORMAT"
# The time of day: "04:04" in British English and most languages, "4:04 AM" in American.
TIME = "TIME_FORMAT"
TIME_WITH_SECONDS = "TIME_WITH_SECONDS_FORMAT"
MONTH = "YEAR_MONTH_FORMAT"
MONTH_DAY = "MONTH_DAY_FORMAT"
SHORT_DAY = "SHORT_DAY_FORMAT"
# What a name reads when no format module of the language gives it (no language active):
# the source language's, British English.
_BRITISH = {
    DAY: "l j F Y",
    DAY_WITHOUT_YEAR: "l j F",
    DATE_WITHOUT_WEEKDAY: "j F Y",
    TIME: "H:i",
    TIME_WITH_SECONDS: "H:i:s",
    MONTH: "F Y",
    MONTH_DAY: "j F",
    SHORT_DAY: "j M",
}

# Set when a page formats a moment in the request's zone, so that the page can ask the
# browser for its zone when nobody has told us yet (``times.zone_guess``).
_times_shown: ContextVar[bool] = ContextVar("rehabit_times_shown", default=False)


def start_request() -> None:
    """Forget whether an earlier request on this thread showed times."""
    _times_shown.set(False)


def times_were_shown() -> bool:
    return _times_shown.get()


def readable_zone(name: str) -> str:
    """A time zone's id as people read it: "America/Los Angeles", not "America/Los_Angeles"."""
    return name.replace("_", " ")


def current_zone_name() -> str:
    """The zone times are shown in now, named as people read it ("America/New York"): for a
    page or a message, never for a form's value or the API (those keep the id)."""
    return readable_zone(timezone.get_current_timezone_name())


@cache
def zone_countries() -> dict[str, str]:
    """Every zone tzdata's ``zone.tab`` lists (one line per country's zone) -> the country
    it is in (ISO 3166-1 alpha-2). Read once: the zone list and the emergency number
    (``core.emergency``) both come from it."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _coordinates, zone = line.split("\t")[:3]
        out[zone] = code
    return out


@cache
def _listed_zones() -> tuple[frozenset[str], dict[str, str]]:
    """(the zones of ``zone.tab`` and UTC; every other name the database knows -> the zone
    it is another name for, from ``tzdata.zi``'s links)."""
    links: dict[str, str] = {}
    zi = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
    for line in zi.splitlines():
        if line.startswith("L "):
            _kind, target, name = line.split()
            links[name] = target
    return frozenset(zone_countries()) | {"UTC"}, links


def canonical_zone(name: str) -> str:
    """The name the zone list offers for the zone ``name`` is: an old or other name
    (Asia/Calcutta, which browsers still report; US/Eastern) as the listed one (Asia/Kolkata,
    America/New_York); a listed name, or one with no listed equivalent, as itself. The
    clock is the same either way."""
    listed, links = _listed_zones()
    if name in listed:
        return name
    target = links.get(name, name)
    if target in ("Etc/UTC", "Etc/GMT"):  # Etc/UTC, Zulu, GMT...: the clock of UTC
        return "UTC"
    return target if target in listed else name


@cache
def zone_aliases() -> dict[str, str]:
    """Each other name of a listed zone -> its listed name (Asia/Calcutta -> Asia/Kolkata),
    for a page that picks the browser's zone from the list (browsers may report either)."""
    listed, _links = _listed_zones()
    out = {name: canonical_zone(name) for name in available_timezones()}
    return {name: to for name, to in sorted(out.items()) if to != name and to in listed}


@cache
def _offered_ids() -> tuple[str, ...]:
    """The ids ``zone_choices`` offers, in its order."""
    listed, _links = _listed_zones()
    available = available_timezones()
    return tuple(z for z in sorted(listed) if z in available)


# A negative offset is written with the minus sign U+2212, never the hyphen-minus "-": at
# its default punctuation level NVDA reads "−" as "minus" but says nothing for a "-" after
# a letter (in its symbols.dic "−" is a "some" symbol, "-" a "most" one, and its negative-
# number rule wants no letter before), so "UTC-05:00" would be heard as "UTC 05:00", the
# other side of UTC. "+" is read "plus". Other screen readers also read "−" as "minus".
MINUS = "\u2212"


def _offset_text(seconds: int) -> str:
    """ "+05:30", "−05:00", "+00:00" (whole minutes; no zone in use has seconds now)."""
    sign = MINUS if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _offset_now(zone: ZoneInfo, now: datetime) -> int:
    offset = now.astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


# After each "/" of a zone's name in a list to choose from, a zero-width space (U+200B): a
# place the line may break that shows nothing and that screen readers do not read. A picker
# drawn as text (base-select, core/rehabit.css) wraps a long label; browsers do not break
# after "/" before a letter, so at 320 px with the text at 200 % "America/Argentina/Buenos
# Aires" broke inside its words, "America/Arg|entina/Buen|os Aires" (a phone walk). The
# value of each choice stays the zone id.
PICKER_BREAK = "\u200b"


def _picker_name(zone: str) -> str:
    return readable_zone(zone).replace("/", "/" + PICKER_BREAK)


def _choice_label(zone: str, seconds: int) -> str:
    if zone == "UTC":
        return zone
    # Translators: a time zone in a list to choose from, with its offset from UTC now, as
    # in "America/New York (UTC−05:00)". Keep %(zone)s and %(offset)s as they are.
    return _("%(zone)s (UTC%(offset)s)") % {
        "zone": _picker_name(zone),
        "offset": _offset_text(seconds),
    }


def zone_choice_label(zone: str) -> str:
    """How a zone reads in a list to choose from: its name and its UTC offset in force now,
    "America/New York (UTC−05:00)", "Asia/Kolkata (UTC+05:30)"; UTC itself reads "UTC". A
    name the tz database does not know reads as its name alone. Each "/" is followed by a
    zero-width space (``PICKER_BREAK``), where a long label may wrap."""
    try:
        seconds = _offset_now(ZoneInfo(zone), timezone.now())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return _picker_name(zone)
    return _choice_label(zone, seconds)


# Each offered zone's offset (seconds) found at a UTC minute: (that minute, the offsets).
_offsets_found: tuple[int, tuple[int, ...]] = (-1, ())
# Per language, the zone list made for a set of offsets: language -> (offsets, choices).
_choices_made: dict[str, tuple[tuple[int, ...], list[tuple[str, str]]]] = {}


def zone_offsets() -> tuple[int, ...]:
    """Each offered zone's UTC offset in force now, in seconds, in ``zone_choices``'s order:
    the labels of the list change exactly when this does, so it is the key its caches keep
    (``zone_choices``, and ``LongSelect``'s options of ``booking.forms.ZoneField``).

    Finding all ~420 takes about half a millisecond, so they are found again at most once
    a UTC minute: every change of offset in the tz database's rules in use happens at a
    whole minute, so an answer is never stale (a minute's offsets cannot straddle one)."""
    global _offsets_found
    now = timezone.now()
    minute = int(now.timestamp()) // 60
    found_at, offsets = _offsets_found
    if found_at != minute:
        fresh = tuple(_offset_now(ZoneInfo(zone), now) for zone in _offered_ids())
        # The same tuple while nothing changed: the caches' keys compare by identity first.
        offsets = offsets if fresh == offsets else fresh
        _offsets_found = (minute, offsets)
    return offsets


def zone_choices() -> list[tuple[str, str]]:
    """Every zone a person can pick in a form: one per place, as tzdata's country table
    lists them (``zone.tab``), and UTC; each labelled with its name and its offset now
    (``zone_choice_label``), in the active language; the values are the zone ids.

    Left out: the other names of listed zones (Asia/Calcutta beside Asia/Kolkata, US/Eastern,
    a second Buenos Aires), which read as duplicates in a list of over 500 (a phone walk);
    ``Etc/GMT+5`` and the like, whose sign is the reverse of what people expect (it is five
    hours *behind* GMT); the obsolete ``SystemV/`` names. A zone given under another name is
    read as its listed one (``canonical_zone``); zones already stored stay valid
    (``scheduling.validate_zone`` accepts them), they are only not offered.

    The list is made once per language for the offsets in force (``zone_offsets``) and made
    again when a zone's offset changes (daylight saving time); only the newest is kept.
    """
    language = get_language() or ""
    offsets = zone_offsets()
    made = _choices_made.get(language)
    if made is None or made[0] != offsets:
        choices = [
            (zone, _choice_label(zone, seconds))
            for zone, seconds in zip(_offered_ids(), offsets, strict=True)
        ]
        made = _choices_made[language] = (offsets, choices)
    return made[1]


@cache
def offered_zones() -> frozenset[str]:
    """The ids of ``zone_choices``, for a membership test."""
    return frozenset(_offered_ids())


def _zone_name(zone: str | None) -> str:
    if zone:
        return zone
    _times_shown.set(True)
    return timezone.get_current_timezone_name()


def in_zone(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` on the clock of ``zone`` (the request's zone when None)."""
    return moment.astimezone(validate_zone(_zone_name(zone)))


def zone_label(moment: datetime, zone: str | None = None) -> str:
    """ "GMT, Europe/London" or "UTC"; the abbreviation is the one in force at ``moment``."""
    name = _zone_name(zone)
    abbrev = format_zone_abbrev(in_zone(moment, name))
    if name == "UTC" or abbrev == name:
        return abbrev
    return _("%(abbrev)s, %(zone)s") % {"abbrev": abbrev, "zone": readable_zone(name)}


def local_format(name: str) -> str:
    """The format called ``name`` in the active language's format modules
    (``settings.FORMAT_MODULE_PATH``, then Django's), "l j F Y" or "l, F j, Y": Django
    looks up only its own names, so Rehabit's are looked up here the same way."""
    if name in FORMAT_SETTINGS:
        return str(formats.get_format(name))
    for module in formats.get_format_modules():
        found = getattr(module, name, None)
        if found:
            return str(found)
    return _BRITISH[name]


def _date_text(value: date, name: str) -> str:
    return str(formats.date_format(value, local_format(name)))


def format_clock(value: time | datetime) -> str:
    """ "16:30" or "4:30 PM": a time of day (a wall-clock time, or a moment already on the
    clock meant) in the reader's format; say its zone beside it."""
    return str(formats.time_format(value, local_format(TIME)))


def format_clock_with_seconds(value: time | datetime) -> str:
    """ "16:30:05" or "4:30:05 PM" (a wait to the second)."""
    return str(formats.time_format(value, local_format(TIME_WITH_SECONDS)))


def format_day_without_year(value: date) -> str:
    """ "Saturday 5 December": a day in a week whose year is said once beside it."""
    return _date_text(value, DAY_WITHOUT_YEAR)


def format_month_day(value: date) -> str:
    """ "5 December" ("December 5" in American English)."""
    return _date_text(value, MONTH_DAY)


def format_day(value: datetime | date, zone: str | None = None) -> str:
    """ "Saturday 5 December 2026": a calendar day, or the day of a moment in ``zone``."""
    if isinstance(value, datetime):
        value = in_zone(value, zone).date()
    return _date_text(value, DAY)


def format_date(value: date) -> str:
    """ "5 December 1980": a date that is not a day in someone's week (a date of birth)."""
    if isinstance(value, datetime):
        value = value.date()
    return _date_text(value, DATE_WITHOUT_WEEKDAY)


def format_short_day(value: date) -> str:
    """ "7 Jan", in the reader's language: a date on a chart's axis, beside its year."""
    return _date_text(value, SHORT_DAY)


def format_month(value: date) -> str:
    """ "December 2026"."""
    return _date_text(value, MONTH)


def format_time(moment: datetime, zone: str | None = None) -> str:
    """ "04:04" on the clock of ``zone``, without the zone (say it once beside)."""
    return format_clock(in_zone(moment, zone))


def format_zone_short(moment: datetime, zone: str | None = None) -> str:
    """ "CST": the zone's abbreviation at ``moment``, to print beside a bare time in a list
    of times (each its own, so a list across a clock change reads right)."""
    return format_zone_abbrev(in_zone(moment, _zone_name(zone)))


def format_when(moment: datetime, zone: str | None = None) -> str:
    """ "Saturday 5 December 2026, 04:04 (GMT, Europe/London)"."""
    name = _zone_name(zone)
    return _("%(day)s, %(time)s (%(zone)s)") % {
        "day": format_day(moment, name),
        "time": format_time(moment, name),
        "zone": zone_label(moment, name),
    }


def format_span(start: datetime, end: datetime, zone: str | None = None) -> str:
    """ "Saturday 5 December 2026, 04:04–04:49 (GMT, Europe/London)"."""
    name = _zone_name(zone)
    return _("%(day)s, %(start)s–%(end)s (%(zone)s)") % {
        "day": format_day(start, name),
        "start": format_time(start, name),
        "end": format_time(end, name),
        "zone": zone_label(start, name),
    }
