"""Property tests: the engine against the rules, and against a slow reference engine.

The reference below is written the obvious way (each wall-clock step placed with zoneinfo,
every appointment checked with both buffer rules from the brief, days counted with
``astimezone``), sharing no code with the engine, so agreement between the two is evidence
that the fast path (bisection, runs of starts, µs arithmetic) is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehabit.scheduling import (
    AvailabilityRules,
    DateOverride,
    SessionType,
    Slot,
    TimeOff,
    WeeklyHours,
    WorkingInterval,
    bookable_slots,
    first_free_slots,
    is_bookable,
    nearest_alternatives,
)

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/Santiago",
    "Asia/Beirut",
    "UTC",
]
# Clock changes in 2026 in those zones, and two ordinary dates.
ANCHORS = [
    date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 9, 6), date(2026, 9, 27),
    date(2026, 10, 4), date(2026, 10, 25), date(2026, 11, 1), date(2026, 1, 14), date(2026, 7, 1),
]  # fmt: skip
MINUTE = timedelta(minutes=1)
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(PROPERTY, max_examples=200)  # the comparison with the reference engine


@dataclass
class Scenario:
    rules: AvailabilityRules
    session: SessionType
    busy: list[tuple[datetime, datetime]]
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        return self.rules.tzinfo

    def everything(self) -> list[Slot]:
        """Every bookable slot (the window covers now .. now + horizon)."""
        return bookable_slots(
            self.rules,
            self.session,
            self.busy,
            range_start=(self.now - timedelta(days=1)).date(),
            range_end=(self.now + timedelta(days=self.rules.horizon_days + 1)).date(),
            viewer_zone="UTC",
            now=self.now,
        )


def _interval(start: int, end: int) -> WorkingInterval:
    return WorkingInterval(time(start // 60, start % 60), time(end % 1440 // 60, end % 60))


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[WorkingInterval, ...]:
    count = draw(st.integers(0, 3))
    grain = draw(st.sampled_from([5, 15, 30]))
    points = sorted(
        draw(st.sets(st.integers(0, 2879 // grain), min_size=2 * count, max_size=2 * count))
    )
    pairs = [(points[i] * grain, points[i + 1] * grain) for i in range(0, len(points), 2)]
    return tuple(_interval(s, e) for s, e in pairs if s < 1440 and e - s <= 1440)


# Each zone's own clock changes in 2026 (local dates), to be hit on purpose.
TRANSITIONS = [
    ("Europe/London", date(2026, 3, 29)), ("Europe/London", date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8)), ("America/New_York", date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 4, 5)), ("Australia/Sydney", date(2026, 10, 4)),
    ("Australia/Adelaide", date(2026, 4, 5)), ("Australia/Lord_Howe", date(2026, 10, 4)),
    ("Australia/Lord_Howe", date(2026, 4, 5)), ("Pacific/Auckland", date(2026, 9, 27)),
    ("America/Santiago", date(2026, 4, 5)), ("America/Santiago", date(2026, 9, 6)),
    ("Asia/Beirut", date(2026, 3, 29)), ("Asia/Beirut", date(2026, 10, 25)),
]  # fmt: skip


@st.composite
def night_shift(draw: st.DrawFn) -> tuple[WorkingInterval, ...]:
    """Hours from the evening before until the early morning: across every 2026 change."""
    start = draw(st.integers(20 * 12, 24 * 12 - 1)) * 5
    end = draw(st.integers(24 * 12, 32 * 12)) * 5
    return (_interval(start, end),)


@st.composite
def early_hours(draw: st.DrawFn) -> tuple[WorkingInterval, ...]:
    """Hours that open or close in the small hours, often inside a skipped or repeated hour."""
    start = draw(st.integers(0, 16)) * 15
    return (_interval(start, start + draw(st.integers(1, 16)) * 15),)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    # Seven times in ten: a zone on the day its clocks change, with hours across the change
    # and "now" a few days before it (so that the change is bookable).
    targeted = draw(st.integers(0, 9)) < 7
    if targeted:
        zone, anchor_day = draw(st.sampled_from(TRANSITIONS))
    else:
        zone, anchor_day = draw(st.sampled_from(ZONES)), draw(st.sampled_from(ANCHORS))
    anchor = datetime.combine(anchor_day, time(), UTC)
    earliest = -4 * 1440
    now = anchor + draw(st.integers(earliest, -1440 if targeted else 1440)) * MINUTE
    if draw(st.booleans()):
        now += timedelta(
            seconds=draw(st.integers(0, 59)), microseconds=draw(st.integers(0, 10**6 - 1))
        )
    overrides = {
        anchor_day + timedelta(days=d): draw(day_hours())
        for d in draw(st.sets(st.integers(-3, 10), max_size=3))
    }
    if targeted or draw(st.booleans()):
        overrides[anchor_day - timedelta(days=1)] = draw(night_shift() | day_hours())
        overrides[anchor_day] = draw(early_hours() | night_shift() | day_hours())
    session = SessionType("s", draw(st.sampled_from([10, 15, 30, 45, 50, 60, 90])))
    time_off = []
    for _ in range(draw(st.integers(0, 2))):
        begin = now + draw(st.integers(-1440, 12 * 1440)) * MINUTE
        time_off.append(TimeOff(begin, begin + draw(st.integers(15, 2 * 1440)) * MINUTE))
    busy = []
    for _ in range(draw(st.integers(0, 14))):
        begin = anchor + draw(st.integers(-2 * 1440, 14 * 1440)) * MINUTE
        if draw(st.booleans()):  # on the quarter hour, as most bookings are
            begin = begin.replace(minute=begin.minute // 15 * 15)
        length = draw(st.sampled_from([15, 30, 45, 60]) | st.integers(5, 120))
        busy.append((begin, begin + length * MINUTE))
    notice = draw(st.just(0) | st.integers(0, 180) | st.integers(0, 3 * 1440))
    horizon = draw(st.integers(5, 12) if targeted else st.integers(1, 12))
    rules = AvailabilityRules(
        zone=zone,
        weekly_hours=WeeklyHours(tuple(draw(day_hours()) for _ in range(7))),
        session_types=(session,),
        overrides=tuple(DateOverride(day, hours) for day, hours in overrides.items()),
        time_off=tuple(time_off),
        buffer_before_minutes=draw(st.sampled_from([0, 5, 10, 15]) | st.integers(0, 30)),
        buffer_after_minutes=draw(st.sampled_from([0, 5, 10, 15]) | st.integers(0, 30)),
        minimum_notice_minutes=notice,
        horizon_days=horizon,
        daily_maximum=draw(st.none() | st.integers(1, 4)),
        slot_step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
    )
    scenario = Scenario(rules, session, busy, now)
    # Most bookings sit on the grid: copy a few offered slots (some nudged) as bookings, so
    # that buffers and back-to-back edges are exercised, not just random clutter.
    offered = scenario.everything()
    if offered:
        for _ in range(draw(st.integers(0, 6))):
            slot = draw(st.sampled_from(offered))
            nudge = draw(st.sampled_from([0, 0, 0, 5, -5, 10, -10, 15, -15, 30])) * MINUTE
            busy.append((slot.start + nudge, slot.end + nudge))
    return scenario


# --- The slow reference engine -------------------------------------------------------------


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def _boundary(naive: datetime, zone: ZoneInfo) -> datetime:
    """A working-hours edge as an instant: the wall time, or the jump if it does not exist."""
    if _exists(naive, zone):
        return naive.replace(tzinfo=zone).astimezone(UTC)
    instant = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the jump
    while instant.astimezone(zone).replace(tzinfo=None) < naive:
        instant += MINUTE
    return instant


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> bool:
    return a < d and c < b


def reference(s: Scenario, first_day: date, last_day: date) -> set[datetime]:
    """Starts offered by working intervals that start on therapist dates first..last."""
    rules, zone = s.rules, s.zone
    before = timedelta(minutes=rules.buffer_before_minutes)
    after = timedelta(minutes=rules.buffer_after_minutes)
    duration = timedelta(minutes=s.session.duration_minutes)
    found: set[datetime] = set()
    day = first_day
    while day <= last_day:
        midnight = datetime.combine(day, time())
        for interval in rules.intervals_on(day):
            opens = _boundary(midnight + interval.start_minute * MINUTE, zone)
            closes = _boundary(midnight + interval.end_minute * MINUTE, zone)
            for minute in range(
                interval.start_minute, interval.end_minute, rules.slot_step_minutes
            ):
                wall = midnight + minute * MINUTE
                if not _exists(wall, zone):
                    continue
                start = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: first occurrence
                end = start + duration
                if start < opens or end > closes:
                    continue
                if start < s.now + timedelta(minutes=rules.minimum_notice_minutes):
                    continue
                if start > s.now + timedelta(days=rules.horizon_days):
                    continue
                if any(
                    _overlap(start, end, a - before, b + after)
                    or _overlap(start - before, end + after, a, b)
                    for a, b in s.busy
                ):
                    continue
                if any(_overlap(start, end, t.start, t.end) for t in rules.time_off):
                    continue
                local_day = start.astimezone(zone).date()
                booked = sum(1 for a, _ in s.busy if a.astimezone(zone).date() == local_day)
                if rules.daily_maximum is not None and booked >= rules.daily_maximum:
                    continue
                found.add(start)
        day += timedelta(days=1)
    return found


# --- Properties ----------------------------------------------------------------------------


@THOROUGH
@given(scenarios(), st.sampled_from(ZONES), st.integers(-1, 3), st.integers(0, 6))
def test_engine_matches_the_reference(
    s: Scenario, viewer_name: str, offset: int, span: int
) -> None:
    viewer = ZoneInfo(viewer_name)
    range_start = s.now.astimezone(viewer).date() + timedelta(days=offset)
    range_end = range_start + timedelta(days=span)
    slots = bookable_slots(
        s.rules, s.session, s.busy, range_start=range_start, range_end=range_end,
        viewer_zone=viewer_name, now=s.now,
    )  # fmt: skip
    expected = {
        start
        for start in reference(s, range_start - timedelta(days=3), range_end + timedelta(days=3))
        if range_start <= start.astimezone(viewer).date() <= range_end
    }
    assert [slot.start for slot in slots] == sorted(expected)
    assert all(
        slot.end - slot.start == timedelta(minutes=s.session.duration_minutes) for slot in slots
    )


@PROPERTY
@given(scenarios())
def test_no_slot_overlaps_an_appointment_or_its_buffers(s: Scenario) -> None:
    before = timedelta(minutes=s.rules.buffer_before_minutes)
    after = timedelta(minutes=s.rules.buffer_after_minutes)
    for slot in s.everything():
        for a, b in s.busy:
            assert not _overlap(slot.start, slot.end, a - before, b + after)
            assert not _overlap(slot.start - before, slot.end + after, a, b)
        for leave in s.rules.time_off:
            assert not _overlap(slot.start, slot.end, leave.start, leave.end)


@PROPERTY
@given(scenarios())
def test_every_slot_lies_inside_working_hours_on_the_therapist_wall_clock(s: Scenario) -> None:
    zone = s.zone
    for slot in s.everything():
        local_start, local_end = slot.in_zone(zone.key)
        assert local_start.fold == 0  # a repeated wall time is offered at its first occurrence
        start, end = local_start.replace(tzinfo=None), local_end.replace(tzinfo=None)
        assert _exists(start, zone)
        inside = False
        for day in (start.date() - timedelta(days=1), start.date()):
            midnight = datetime.combine(day, time())
            for interval in s.rules.intervals_on(day):
                # An edge in a spring gap reads as the wall time just after the jump.
                opens = _boundary(midnight + interval.start_minute * MINUTE, zone)
                closes = _boundary(midnight + interval.end_minute * MINUTE, zone)
                opens_wall = opens.astimezone(zone).replace(tzinfo=None)
                closes_wall = closes.astimezone(zone).replace(tzinfo=None)
                if local_end.fold:
                    # Ends in the second pass through a repeated hour: its wall reading is
                    # earlier than the start's, so only the instant can be compared.
                    ends_inside = slot.end <= closes
                else:
                    ends_inside = opens_wall < end <= closes_wall
                if opens_wall <= start < closes_wall and ends_inside:
                    inside = True
        assert inside, slot


@PROPERTY
@given(scenarios(), st.sampled_from(ZONES), st.sampled_from(ZONES))
def test_the_viewer_zone_never_changes_which_slots_exist(s: Scenario, one: str, two: str) -> None:
    def seen_from(viewer: str) -> list[Slot]:
        today = s.now.astimezone(ZoneInfo(viewer)).date()
        return bookable_slots(
            s.rules, s.session, s.busy, range_start=today - timedelta(days=1),
            range_end=today + timedelta(days=s.rules.horizon_days + 1), viewer_zone=viewer,
            now=s.now,
        )  # fmt: skip

    assert seen_from(one) == seen_from(two) == s.everything()
    # Day by day, a viewer's dates partition the same set.
    viewer = ZoneInfo(one)
    everything = s.everything()
    if everything:
        first = everything[0].in_zone(viewer)[0].date()
        last = everything[-1].in_zone(viewer)[0].date()
        days: list[Slot] = []
        while first <= last:
            got = bookable_slots(
                s.rules, s.session, s.busy, range_start=first, range_end=first,
                viewer_zone=one, now=s.now,
            )  # fmt: skip
            assert all(slot.in_zone(viewer)[0].date() == first for slot in got)
            days += got
            first += timedelta(days=1)
        assert days == everything


@PROPERTY
@given(scenarios(), st.data())
def test_is_bookable_agrees_with_the_offered_slots(s: Scenario, data: st.DataObject) -> None:
    everything = s.everything()
    offered = {slot.start for slot in everything}
    for slot in everything[:: max(1, len(everything) // 40)]:
        verdict = is_bookable(s.rules, s.session, s.busy, slot.start, s.now)
        assert verdict.ok and verdict.slot == slot
    probes = [a for a, _ in s.busy] + [slot.start + MINUTE * 5 for slot in everything[:10]]
    probes += data.draw(
        st.lists(
            st.integers(-2 * 1440, (s.rules.horizon_days + 2) * 1440).map(
                lambda m: s.now.replace(second=0, microsecond=0) + m * MINUTE
            ),
            max_size=25,
        )
    )
    notice = timedelta(minutes=s.rules.minimum_notice_minutes)
    for probe in probes:
        verdict = is_bookable(s.rules, s.session, s.busy, probe, s.now)
        assert verdict.ok == (probe in offered), probe
        if probe < s.now:
            assert verdict.reason == "in_the_past"
        elif probe < s.now + notice:
            assert verdict.reason == "too_soon"
        elif probe > s.now + timedelta(days=s.rules.horizon_days):
            assert verdict.reason == "beyond_horizon"
        elif not verdict:
            assert verdict.reason in {"not_offered", "taken", "daily_limit"}


@PROPERTY
@given(scenarios())
def test_notice_horizon_and_daily_maximum_are_respected(s: Scenario) -> None:
    notice = timedelta(minutes=s.rules.minimum_notice_minutes)
    horizon = timedelta(days=s.rules.horizon_days)
    for slot in s.everything():
        assert s.now + notice <= slot.start <= s.now + horizon
        if s.rules.daily_maximum is not None:
            local_day = slot.in_zone(s.zone.key)[0].date()
            booked = sum(1 for a, _ in s.busy if a.astimezone(s.zone).date() == local_day)
            assert booked < s.rules.daily_maximum


@PROPERTY
@given(scenarios(), st.integers(-1440, 14 * 1440), st.integers(0, 5))
def test_nearest_alternatives_are_the_nearest(s: Scenario, minutes: int, n: int) -> None:
    around = s.now + minutes * MINUTE
    everything = s.everything()
    expected = sorted(
        sorted(everything, key=lambda slot: (abs(slot.start - around), slot.start))[:n]
    )
    assert nearest_alternatives(s.rules, s.session, s.busy, around, s.now, n=n) == expected


@PROPERTY
@given(scenarios(), st.integers(-1440, 14 * 1440), st.integers(0, 5))
def test_first_free_slots_are_the_first(s: Scenario, minutes: int, n: int) -> None:
    not_before = s.now + minutes * MINUTE
    expected = [slot for slot in s.everything() if slot.start >= not_before][:n]
    got = first_free_slots(s.rules, s.session, s.busy, now=s.now, n=n, not_before=not_before)
    assert got == expected
    assert first_free_slots(s.rules, s.session, s.busy, now=s.now, n=n) == s.everything()[:n]
