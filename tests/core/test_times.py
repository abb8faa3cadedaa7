"""One date and time format everywhere, in the viewer's zone with the zone named: the
formatter, the template filters, and the zone of a signed-out visitor (the browser's,
remembered in the session) on every page that shows a time."""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from rehabit.core import timefmt
from tests.accounts.helpers import login, make_user
from tests.care.helpers import make_assessment

MOMENT = datetime(2026, 12, 5, 3, 58, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
JANUARY = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)
JULY = datetime(2027, 7, 14, 9, 30, tzinfo=UTC)
MINUS = "\u2212"  # the minus sign of the offsets in the zone lists (timefmt.MINUS)
# After each "/" of a zone's name in the lists, a zero-width space: where a long label may
# wrap in a picker drawn as text (timefmt.PICKER_BREAK).
B = "\u200b"


def at(moment: datetime) -> Any:
    """The clock stopped at ``moment`` (inside the test clock every test runs at)."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _english() -> None:
    with translation.override("en"):
        yield


def test_a_moment_reads_one_way_with_its_zone() -> None:
    assert timefmt.format_when(MOMENT, "UTC") == "Saturday 5 December 2026, 03:58 (UTC)"
    assert (
        timefmt.format_when(MOMENT, "Europe/London")
        == "Saturday 5 December 2026, 03:58 (GMT, Europe/London)"
    )
    assert (
        timefmt.format_when(SUMMER, "Europe/London")
        == "Wednesday 1 July 2026, 13:05 (BST, Europe/London)"
    )
    assert (
        timefmt.format_when(MOMENT, "America/New_York")
        == "Friday 4 December 2026, 22:58 (EST, America/New York)"
    )
    # A zone the tz database names by its offset reads as one.
    assert timefmt.format_when(MOMENT, "Asia/Kathmandu").endswith("(UTC+05:45, Asia/Kathmandu)")


def test_spans_days_and_dates() -> None:
    end = MOMENT.replace(hour=4, minute=43)
    assert (
        timefmt.format_span(MOMENT, end, "Europe/Paris")
        == "Saturday 5 December 2026, 04:58–05:43 (CET, Europe/Paris)"
    )
    assert timefmt.format_day(date(2026, 12, 5)) == "Saturday 5 December 2026"
    assert timefmt.format_day(MOMENT, "America/New_York") == "Friday 4 December 2026"
    assert timefmt.format_date(date(1980, 3, 1)) == "1 March 1980"


def test_every_form_offers_the_same_zones_named_as_people_read_them() -> None:
    """The profile, a staff invitation and booking pick from one list: places and UTC,
    readable, without the reversed-sign Etc/GMT+5 kind or the obsolete SystemV names."""
    from rehabit.accounts.forms import ProfileForm, StaffProfileForm
    from rehabit.accounts.invitation_forms import AcceptInvitationForm
    from rehabit.booking.forms import ZoneField

    with at(JANUARY):
        choices = timefmt.zone_choices()
    values = [value for value, _ in choices]
    assert ("America/Los_Angeles", f"America/{B}Los Angeles (UTC{MINUS}08:00)") in choices
    assert "UTC" in values and "Europe/London" in values
    assert not [v for v in values if v.startswith(("Etc/", "SystemV/"))]
    assert values == sorted(values)
    for field in (
        ProfileForm().fields["time_zone"],
        StaffProfileForm().fields["time_zone"],
        AcceptInvitationForm(email="new.therapist@example.org").fields["time_zone"],
        ZoneField(),
    ):
        with at(JANUARY):
            assert list(field.choices) == choices


def test_the_list_offers_each_zone_once_and_reads_other_names_as_its_own() -> None:
    # Phone walk 5: over 500 names, with Asia/Calcutta beside Asia/Kolkata, US/Eastern and
    # two Buenos Aires. The list is tzdata's country table (zone.tab) and UTC.
    values = [value for value, _ in timefmt.zone_choices()]
    labels = [label for _, label in timefmt.zone_choices()]
    assert 400 <= len(values) <= 450, len(values)
    assert len(set(labels)) == len(labels)
    for gone in ("Asia/Calcutta", "US/Eastern", "America/Buenos_Aires", "Europe/Kiev", "GMT"):
        assert gone not in values, gone
    for kept in ("Asia/Kolkata", "America/New_York", "Europe/Oslo", "Europe/Kyiv", "UTC"):
        assert kept in values, kept
    assert timefmt.canonical_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert timefmt.canonical_zone("US/Eastern") == "America/New_York"
    assert timefmt.canonical_zone("Europe/Oslo") == "Europe/Oslo"  # listed, not merged
    assert timefmt.canonical_zone("Etc/UTC") == timefmt.canonical_zone("Zulu") == "UTC"
    assert timefmt.canonical_zone("Etc/GMT+5") == "Etc/GMT+5"  # no listed equivalent
    assert timefmt.canonical_zone("Mars/Olympus") == "Mars/Olympus"


def test_a_form_takes_a_zone_under_another_name_as_the_listed_one() -> None:
    from rehabit.booking.forms import ZoneField
    from rehabit.core.browser_zone import valid_zone_name

    assert ZoneField().clean("Asia/Calcutta") == "Asia/Kolkata"
    assert valid_zone_name("Asia/Calcutta") == "Asia/Kolkata"  # a browser's report
    assert valid_zone_name("Mars/Olympus") is None


@pytest.mark.parametrize(
    ("moment", "zone", "label"),
    [
        (JANUARY, "America/New_York", f"America/{B}New York (UTC{MINUS}05:00)"),
        (JULY, "America/New_York", f"America/{B}New York (UTC{MINUS}04:00)"),
        (JANUARY, "Asia/Kolkata", f"Asia/{B}Kolkata (UTC+05:30)"),
        (JULY, "Asia/Kolkata", f"Asia/{B}Kolkata (UTC+05:30)"),
        (JANUARY, "Asia/Kathmandu", f"Asia/{B}Kathmandu (UTC+05:45)"),
        (JANUARY, "America/St_Johns", f"America/{B}St Johns (UTC{MINUS}03:30)"),
        (JULY, "America/St_Johns", f"America/{B}St Johns (UTC{MINUS}02:30)"),
        (JANUARY, "Europe/London", f"Europe/{B}London (UTC+00:00)"),
        (JULY, "Europe/London", f"Europe/{B}London (UTC+01:00)"),
        (JANUARY, "Australia/Sydney", f"Australia/{B}Sydney (UTC+11:00)"),
        (JANUARY, "UTC", "UTC"),
        (JULY, "UTC", "UTC"),
    ],
)
def test_each_zone_in_the_list_names_its_offset_from_utc_now(
    moment: datetime, zone: str, label: str
) -> None:
    """A person who does not know their zone's city can find it, and compare two, by the
    offset in force now (daylight saving time included); the values stay the zone ids."""
    with at(moment):
        assert dict(timefmt.zone_choices())[zone] == label
        assert timefmt.zone_choice_label(zone) == label
    # A negative offset has the minus sign (read "minus"), never a hyphen (not read at all).
    assert "-" not in label


def test_a_long_zone_label_may_wrap_after_each_slash_and_reads_the_same() -> None:
    """Phone walk at 320 px with the text at 200 %: "America/Argentina/Buenos Aires" broke
    inside its words in the picker (browsers do not break after "/" before a letter). Each
    "/" is followed by a zero-width space, which shows nothing and is not read; take it out
    and the label is the zone's name as people read it."""
    assert timefmt.PICKER_BREAK == B
    with at(JANUARY):
        choices = timefmt.zone_choices()
    for zone, label in choices:
        assert label.count("/") == label.count("/" + B) == zone.count("/"), zone
        assert label.replace(B, "").startswith(timefmt.readable_zone(zone)), zone
    assert dict(choices)["America/Argentina/Buenos_Aires"] == (
        f"America/{B}Argentina/{B}Buenos Aires (UTC{MINUS}03:00)"
    )


def test_a_zone_that_is_not_listed_is_labelled_the_same_way() -> None:
    with at(JANUARY):
        # Etc/GMT+5 is five hours *behind* UTC: the label says so, whatever its id says.
        assert timefmt.zone_choice_label("Etc/GMT+5") == f"Etc/{B}GMT+5 (UTC{MINUS}05:00)"
        assert timefmt.zone_choice_label("Asia/Calcutta") == f"Asia/{B}Calcutta (UTC+05:30)"
        assert timefmt.zone_choice_label("Mars/Olympus") == f"Mars/{B}Olympus"  # no offset known


class _Marked(gettext_module.NullTranslations):
    """A language whose every translation is the message in [[ ]]."""

    CODE = "x-marked"  # a language no other test makes the zone list in

    def gettext(self, message: str) -> str:
        return f"[[{message}]]"

    def language(self) -> str:
        return self.CODE

    def to_language(self) -> str:
        return self.CODE


@pytest.fixture
def marked_language() -> Iterator[str]:
    from django.utils.translation import trans_real

    trans_real._translations[_Marked.CODE] = _Marked()
    yield _Marked.CODE
    trans_real._translations.pop(_Marked.CODE, None)


def test_the_label_is_a_translatable_sentence_in_the_active_language(
    marked_language: str,
) -> None:
    with at(JANUARY):
        english = dict(timefmt.zone_choices())
        with translation.override(marked_language):
            marked = dict(timefmt.zone_choices())
            assert marked["Asia/Kolkata"] == f"[[Asia/{B}Kolkata (UTC+05:30)]]"
            assert timefmt.zone_choice_label("Asia/Kolkata") == f"[[Asia/{B}Kolkata (UTC+05:30)]]"
            assert marked["UTC"] == "UTC"
        assert english["Asia/Kolkata"] == f"Asia/{B}Kolkata (UTC+05:30)"
        assert dict(timefmt.zone_choices()) == english  # each language keeps its own list


# New York's clocks go forward at 07:00 UTC on 14 March 2027; St John's (Newfoundland),
# at 05:30 UTC the same day: a change on the half hour, which an hourly cache would miss.
NEW_YORK_SPRING = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)
ST_JOHNS_SPRING = datetime(2027, 3, 14, 5, 30, tzinfo=UTC)


def test_the_list_is_made_again_when_a_zone_changes_its_clocks() -> None:
    second = timedelta(seconds=1)
    with at(NEW_YORK_SPRING - timedelta(minutes=5)):
        before = timefmt.zone_choices()
        assert dict(before)["America/New_York"] == f"America/{B}New York (UTC{MINUS}05:00)"
        assert timefmt.zone_choices() is before  # made once, not on every call
    with at(NEW_YORK_SPRING - second):
        assert timefmt.zone_choices() is before  # another minute, the same offsets: kept
    with at(NEW_YORK_SPRING):
        after = timefmt.zone_choices()
        assert dict(after)["America/New_York"] == f"America/{B}New York (UTC{MINUS}04:00)"
        assert dict(after)["Asia/Kolkata"] == f"Asia/{B}Kolkata (UTC+05:30)"
        assert [zone for zone, _ in after] == [zone for zone, _ in before]
    with at(ST_JOHNS_SPRING - second):
        assert dict(timefmt.zone_choices())["America/St_Johns"].endswith(f"{MINUS}03:30)")
    with at(ST_JOHNS_SPRING):
        assert dict(timefmt.zone_choices())["America/St_Johns"].endswith(f"{MINUS}02:30)")
    with at(NEW_YORK_SPRING - second):  # a clock set back: the offsets of then again
        assert dict(timefmt.zone_choices())["America/New_York"].endswith(f"{MINUS}05:00)")


def _changes(zone: ZoneInfo, start: datetime, end: datetime) -> Iterator[datetime]:
    """The instants (to the second) from ``start`` to ``end`` at which ``zone``'s offset
    changes, found day by day, then halving."""

    def offset(second: int) -> Any:
        return datetime.fromtimestamp(second, UTC).astimezone(zone).utcoffset()

    day = 86_400
    for low in range(int(start.timestamp()), int(end.timestamp()), day):
        high = low + day
        if offset(low) != offset(high):
            before = offset(low)
            while high - low > 1:  # the offset of low holds until just before high
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == before else (low, middle)
            yield datetime.fromtimestamp(high, UTC)


def test_every_offset_change_of_the_listed_zones_is_at_a_whole_utc_minute() -> None:
    """The offsets are looked up again once a UTC minute (``timefmt.zone_offsets``): never
    stale only while no zone changes its clocks within a minute. True of the tz database's
    rules; checked over the years the test clocks are in, so a tzdata update that breaks it
    is seen here."""
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    found = 0
    for zone in timefmt.offered_zones():
        for change in _changes(ZoneInfo(zone), start, end):
            found += 1
            assert change.second == 0, (zone, change)
    assert found > 100, found  # the scan saw daylight saving time


def test_without_a_zone_the_requests_zone_is_used() -> None:
    with timezone.override("Australia/Sydney"):
        assert (
            timefmt.format_when(MOMENT)
            == "Saturday 5 December 2026, 14:58 (AEDT, Australia/Sydney)"
        )


def test_the_filters_and_the_accounts_filter_are_the_same_format() -> None:
    from django.template import Context, Template

    from rehabit.accounts.templatetags.accounts import local_time

    template = Template("{% load times %}{{ m|when }}|{{ m|day }}|{{ m|clock }}|{{ d|date_only }}")
    with timezone.override("Europe/London"):
        out = template.render(Context({"m": MOMENT, "d": date(1980, 3, 1)}))
        assert local_time(MOMENT) == timefmt.format_when(MOMENT)
    assert out == (
        "Saturday 5 December 2026, 03:58 (GMT, Europe/London)|Saturday 5 December 2026"
        "|03:58|1 March 1980"
    )


@pytest.mark.django_db
def test_a_signed_out_visitor_sees_times_in_their_browsers_zone() -> None:
    assessment = make_assessment()
    client = Client()
    url = f"/assessment/result/{assessment.pk}/"
    first = client.get(url).content.decode()
    assert "(UTC)" in first
    assert "data-zone-guess" in first and "booking/zone" in first  # the browser is asked
    # zone.js opens the page again with ?tz=; the session remembers it for every page.
    with_zone = client.get(url + "?tz=America/New_York").content.decode()
    assert "America/New York)" in with_zone and "data-zone-guess" not in with_zone
    later = client.get(url).content.decode()
    local = timefmt.format_when(assessment.created_at, "America/New_York")
    assert f"Assessment of {local}." in later
    assert "data-zone-guess" not in later
    # The booking pages use the same remembered zone.
    assert "America/New York" in client.get("/booking/").content.decode()


@pytest.mark.django_db
def test_the_browser_is_asked_only_on_a_page_that_shows_a_time() -> None:
    assert "data-zone-guess" not in Client().get("/").content.decode()
    assert "data-zone-guess" not in Client().get("/contact/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_person_sees_their_own_zone_and_the_browser_is_not_asked() -> None:
    person = make_user("zoe.zone@example.org")
    person.profile.time_zone = "Asia/Tokyo"
    person.profile.save()
    assessment = make_assessment(owner=person)
    html = login(Client(), person).get(f"/assessment/result/{assessment.pk}/").content.decode()
    assert f"Assessment of {timefmt.format_when(assessment.created_at, 'Asia/Tokyo')}." in html
    assert "data-zone-guess" not in html


SRC = Path(__file__).resolve().parents[2] / "src" / "rehabit"
# Machine formats (form values, URLs, <time datetime>) are not for people to read.
MACHINE = re.compile(r"""\|date:['"](Y-m-d|Y-m|c)['"]|\|time:['"]H:i['"]""")
HUMAN = re.compile(r"""\|date:|\|time\b|naturaltime|naturalday|DATETIME_FORMAT|DATE_FORMAT""")


def test_templates_format_dates_and_times_only_through_the_times_filters() -> None:
    found = []
    paths = sorted(SRC.glob("*/templates/**/*.html")) + sorted(SRC.glob("*/templates/**/*.txt"))
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if HUMAN.search(MACHINE.sub("", line)):
                found.append(f"{path.relative_to(SRC)}:{number}")
    assert not found, "format with |when, |day, |clock or |date_only: " + ", ".join(found)
