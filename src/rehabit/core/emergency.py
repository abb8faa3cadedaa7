"""The emergency number to show a person: the one of the country their time zone is in.

A patient with a warning sign is told to call an ambulance, with a button that dials it.
112 reaches help from a mobile in much of the world, but not from every phone everywhere
(Australia's landlines want 000; North America answers 911). So the number shown is the
one of the country whose clock the page is on: the zone the person chose, their
profile's, or the one their browser reported (``rehabit.accounts.zones.page_zone``), read
through tzdata's ``zone.tab`` (each zone belongs to one country). Where the country is not
in the reviewed table (``data/emergency_numbers.yaml``, each number with its source), or
the zone is UTC, the deployment's own ``REHABIT_EMERGENCY_NUMBER`` stands, and every page
adds "or your local emergency number".

A page kept for every signed-out visitor (``core.caching``) is built at UTC, so it shows
the deployment's number; ``static/core/emergency.js`` then puts the number of the
browser's own zone in its place, from ``zone_numbers()`` served at
``/emergency-numbers.js``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from rehabit.core.timefmt import canonical_zone, zone_aliases, zone_countries

DATA_FILE = Path(__file__).resolve().parent / "data" / "emergency_numbers.yaml"


@dataclass(frozen=True)
class CountryNumber:
    country: str  # ISO 3166-1 alpha-2, as in zone.tab
    name: str
    number: str
    source: str


@cache
def table() -> dict[str, CountryNumber]:
    """The reviewed table: country code -> its number and the source that gives it."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    out: dict[str, CountryNumber] = {}
    for code, entry in (data.get("countries") or {}).items():
        out[str(code)] = CountryNumber(
            country=str(code),
            name=str(entry["name"]),
            number=str(entry["number"]),
            source=str(entry["source"]),
        )
    return out


def country_of(zone: str | None) -> str | None:
    """The country whose clock ``zone`` is, under any of the zone's names; None for UTC
    and the other zones no country keeps (Etc/GMT+5)."""
    if not zone:
        return None
    countries = zone_countries()
    return countries.get(zone) or countries.get(canonical_zone(zone))


def number_for_zone(zone: str | None, default: str) -> str:
    """The number to call in ``zone``'s country, ``default`` where the table has none."""
    country = country_of(zone)
    entry = table().get(country) if country else None
    return entry.number if entry is not None else default


@cache
def zone_numbers() -> dict[str, str]:
    """Each zone name a browser may report (the listed ones and their other names) -> its
    number, for the zones whose country is in the table."""
    numbers = table()
    out: dict[str, str] = {}
    for zone, country in zone_countries().items():
        if country in numbers:
            out[zone] = numbers[country].number
    for alias, zone in zone_aliases().items():
        if zone in out:
            out[alias] = out[zone]
    return dict(sorted(out.items()))


def current_number() -> str:
    """The number for the zone this request shows times in (the middleware activates the
    person's; UTC, so the deployment's number, for a visitor nobody knows yet)."""
    from django.conf import settings
    from django.utils import timezone

    default = str(settings.REHABIT_EMERGENCY_NUMBER)
    return number_for_zone(timezone.get_current_timezone_name(), default)


@cache
def browser_script(default: str) -> tuple[bytes, str]:
    """``/emergency-numbers.js``: the table for ``static/core/emergency.js``, and its ETag
    (hashed once per process: every page names it in the script's address)."""
    from rehabit.core.caching import etag_of

    numbers = zone_numbers()
    payload = {
        "default": default,
        "numbers": sorted({*numbers.values(), default}),
        "zones": numbers,
    }
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    body = f"window.rehabitEmergencyNumbers={text};\n".encode()
    return body, etag_of(body)
