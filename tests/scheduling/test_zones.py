"""Zone validation, display names and the engine's wall-clock arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rehabit.scheduling import (
    UnknownTimeZone,
    format_utc_offset,
    format_zone_abbrev,
    validate_zone,
)
from rehabit.scheduling.zones import (
    WallKind,
    from_us,
    local_date,
    resolve_wall,
    start_of_day,
    to_us,
)


@pytest.mark.parametrize(
    "name",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "UTC",
        "Etc/GMT+5",
    ],
)
def test_validate_zone_accepts_iana_names(name: str) -> None:
    assert validate_zone(name) == ZoneInfo(name)


def test_unknown_zone_message_says_what_to_do() -> None:
    with pytest.raises(UnknownTimeZone) as caught:
        validate_zone("Mars/Olympus")
    assert str(caught.value) == (
        "Unknown time zone 'Mars/Olympus'. Use an IANA name such as Europe/London."
    )
    assert isinstance(caught.value, ValueError)


def test_miscased_zone_gets_a_suggestion() -> None:
    with pytest.raises(UnknownTimeZone, match="Did you mean Europe/London"):
        validate_zone("europe/london")


@pytest.mark.parametrize(
    "name",
    [
        "",
        " Europe/London",
        "localtime",
        "Factory",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/",
        "Europe//London",
        "x" * 500,
        None,
        42,
    ],
)
def test_validate_zone_refuses_non_zones(name: object) -> None:
    with pytest.raises(UnknownTimeZone):
        validate_zone(name)  # type: ignore[arg-type]


def test_long_names_are_shortened_in_the_message() -> None:
    with pytest.raises(UnknownTimeZone) as caught:
        validate_zone("A" * 500)
    assert len(str(caught.value)) < 160


@pytest.mark.parametrize(
    ("zone", "when", "expected"),
    [
        ("Europe/London", datetime(2026, 7, 1, 12, tzinfo=UTC), "BST"),
        ("Europe/London", datetime(2026, 1, 1, 12, tzinfo=UTC), "GMT"),
        ("America/New_York", datetime(2026, 7, 1, 12, tzinfo=UTC), "EDT"),
        ("America/New_York", datetime(2026, 12, 1, 12, tzinfo=UTC), "EST"),
        ("Asia/Kolkata", datetime(2026, 7, 1, 12, tzinfo=UTC), "IST"),
        ("Asia/Kathmandu", datetime(2026, 7, 1, 12, tzinfo=UTC), "UTC+05:45"),
        ("America/Sao_Paulo", datetime(2026, 7, 1, 12, tzinfo=UTC), "UTC-03:00"),
        ("Pacific/Kiritimati", datetime(2026, 7, 1, 12, tzinfo=UTC), "UTC+14:00"),
        ("UTC", datetime(2026, 7, 1, 12, tzinfo=UTC), "UTC"),
    ],
)
def test_format_zone_abbrev(zone: str, when: datetime, expected: str) -> None:
    assert format_zone_abbrev(when.astimezone(ZoneInfo(zone))) == expected


def test_format_utc_offset_and_naive_datetimes() -> None:
    kolkata = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert format_utc_offset(kolkata) == "UTC+05:30"
    assert format_utc_offset(datetime(2026, 1, 1, tzinfo=ZoneInfo("Pacific/Pago_Pago"))) == (
        "UTC-11:00"
    )
    with pytest.raises(ValueError, match="aware"):
        format_zone_abbrev(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        format_utc_offset(datetime(2026, 1, 1))


def test_microsecond_conversion_is_exact() -> None:
    when = datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC)
    assert from_us(to_us(when)) == when
    assert to_us(when.astimezone(ZoneInfo("Asia/Kathmandu"))) == to_us(when)
    with pytest.raises(ValueError, match="no time zone"):
        to_us(datetime(2026, 1, 1))


NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return to_us(datetime(year, month, day, hour, minute, tzinfo=UTC))


def test_resolve_wall_normal_gap_and_repeated() -> None:
    spring = date(2026, 3, 8).toordinal()
    assert resolve_wall(NY, spring, 60) == (_utc(2026, 3, 8, 6), WallKind.NORMAL, -5 * 3600_000_000)
    # 02:30 does not exist; as a boundary it means the jump to 03:00 EDT (07:00 UTC).
    at, kind, _ = resolve_wall(NY, spring, 150)
    assert (at, kind) == (_utc(2026, 3, 8, 7), WallKind.GAP)
    autumn = date(2026, 11, 1).toordinal()
    at, kind, _ = resolve_wall(NY, autumn, 90)  # 01:30 happens twice: the first is meant
    assert (at, kind) == (_utc(2026, 11, 1, 5, 30), WallKind.REPEATED)


def test_resolve_wall_past_midnight_advances_the_date_not_the_clock() -> None:
    # 20:00 + 6 h on the London spring-forward eve is 02:00 BST (01:00 UTC), not 01:00 GMT.
    eve = date(2026, 3, 28).toordinal()
    assert resolve_wall(LONDON, eve, 26 * 60)[0] == _utc(2026, 3, 29, 1)
    assert resolve_wall(LONDON, eve, 24 * 60)[0] == _utc(2026, 3, 29, 0)


def test_start_of_day_when_midnight_does_not_exist() -> None:
    beirut = ZoneInfo("Asia/Beirut")  # 2026-03-29 00:00 -> 01:00
    assert start_of_day(beirut, date(2026, 3, 29)) == _utc(2026, 3, 28, 22)
    assert local_date(beirut, _utc(2026, 3, 28, 22)) == date(2026, 3, 29)
    assert local_date(beirut, _utc(2026, 3, 28, 22) - 1) == date(2026, 3, 28)


def test_start_of_day_on_the_date_line() -> None:
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    assert from_us(start_of_day(kiritimati, date(2026, 6, 1))) == datetime(
        2026, 5, 31, 10, tzinfo=UTC
    )
    pago = ZoneInfo("Pacific/Pago_Pago")
    assert from_us(start_of_day(pago, date(2026, 6, 1))) - from_us(
        start_of_day(kiritimati, date(2026, 6, 1))
    ) == timedelta(hours=25)
