"""The progress chart's own drawing: its size, its text and its axis (the browser test in
tests/browser/test_progress_flow.py measures it as a phone shows it)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pytest
from matplotlib import dates as mdates
from matplotlib.text import Text

from rehabit.outcomes import charts
from rehabit.outcomes.progress import Band, Chart, Marker, Point, Series, gaps_in

START = date(2027, 1, 7)
SVG = "{http://www.w3.org/2000/svg}"


def week_chart() -> Chart:
    worst = (5, 4, 1, 1, 0, 0, 0)
    return Chart(
        key="pain",
        title="Pain",
        unit="out of 10",
        low=0,
        high=10,
        series=(
            Series(
                "pain_worst",
                "Worst in 24 hours",
                tuple(Point(START + timedelta(days=n), v) for n, v in enumerate(worst)),
            ),
        ),
        band=Band(low=2, high=6, start=4),
    )


MARKERS = (
    Marker(START + timedelta(days=4), "phase", "Stage: Building back up", "Building back up"),
    Marker(START + timedelta(days=5), "level", "Exercise level 2", "↑2"),
)


def test_the_chart_is_drawn_at_a_phones_width_and_no_text_is_smaller_than_12() -> None:
    """288 units wide: 12-unit text is 12 CSS px on a 320 px screen, where the chart is
    288 px wide, and larger on any wider one (it was 374 wide, with 9-unit marker text)."""
    svg = charts.render_chart(week_chart(), MARKERS, start=START, end=START + timedelta(days=6))
    root = ET.fromstring(svg)
    width = float(root.get("viewBox", "").split()[2])
    assert width == pytest.approx(288)
    texts = list(root.iter(f"{SVG}text"))
    assert {"Building back up", "2", "out of 10", "7 Jan"} <= {t.text for t in texts}
    sizes = [float(re.sub("px$", "", t.get("font-size", ""))) for t in texts]
    assert min(sizes) >= charts.FONT == 12


def test_the_first_and_last_days_are_inside_the_frame() -> None:
    """Half a day's margin each side: subtracting 12 hours from a date left it unchanged,
    so the first and last points sat on the frame, half cut off."""
    end = START + timedelta(days=6)
    figure = charts._figure(week_chart(), MARKERS, START, end)
    left, right = figure.axes[0].get_xlim()
    assert left == pytest.approx(mdates.date2num(START) - 0.5)
    assert right == pytest.approx(mdates.date2num(end) + 0.5)


@pytest.mark.parametrize("days", [6, 9, 13, 20, 21, 56, 90, 400, 3000])
def test_at_most_four_days_on_the_axis_from_the_first_day(days: int) -> None:
    ticks = charts._ticks(START, START + timedelta(days=days))
    assert 2 <= len(ticks) <= charts.MAX_TICKS
    assert ticks[0] == START and ticks[-1] <= START + timedelta(days=days)
    steps = {(b - a).days for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced


# --- Stage names and level changes above the plot; lines broken across long gaps --------

STAGES = (
    Marker(START + timedelta(days=4), "phase", "Stage: Settling down", "Settling down"),
    Marker(START + timedelta(days=8), "phase", "Stage: Building back up", "Building back up"),
    Marker(START + timedelta(days=9), "level", "Exercise level 2", "↑2"),
)


def fortnight_at_the_top() -> Chart:
    """Two weeks of pain near the top of the scale, where the names used to be written."""
    worst = (10, 9, 8, 10, 10, 9, 8, 7, 10, 10, 9, 8, 7, 6)
    days = tuple(Point(START + timedelta(days=n), v) for n, v in enumerate(worst))
    return Chart(key="pain", title="Pain", unit="out of 10", low=0, high=10,
                 series=(Series("pain_worst", "Worst in 24 hours", days),),
                 band=Band(low=8, high=10, start=10))  # fmt: skip


def drawn(chart: Chart, markers: tuple[Marker, ...], days: int) -> tuple[Any, Any]:
    figure = charts._figure(chart, markers, START, START + timedelta(days=days))
    figure.draw_without_rendering()
    return figure, figure.axes[0]


def boxes_of(ax: Any, names: set[str]) -> list[Any]:
    return [Text.get_window_extent(t) for t in ax.texts if t.get_text() in names]


@pytest.mark.parametrize("days", [13, 20, 60, 400])
def test_the_stage_names_are_above_the_plot_one_row_each_never_over_the_data(
    days: int,
) -> None:
    """The stage names were written down their dashed lines inside the plot, through the
    lines and points near the top; now each has its own row above it, inside the figure,
    and the exercise level change is above the plot too."""
    figure, ax = drawn(fortnight_at_the_top(), STAGES, days)
    plot = ax.get_window_extent()
    names = boxes_of(ax, {"Settling down", "Building back up"})
    assert len(names) == 2
    level = boxes_of(ax, {"2"})
    assert len(level) == 1  # the level's number (the axis's 2 is a tick label, not a text)
    for box in names + level:
        assert box.y0 >= plot.y1, box  # above the top of the plot: no data up there
        assert box.x0 >= 0 and box.x1 <= figure.bbox.x1 + 0.5, box  # not cut off
    first, second = names
    assert not first.overlaps(second)
    assert all(not name.overlaps(level[0]) for name in names)
    # The plot's scale is the data's own: no room made inside it for the names.
    assert ax.get_ylim() == (0, 10)


@pytest.mark.parametrize("days", [13, 20, 60])
def test_each_name_is_joined_to_its_line_and_no_joining_line_crosses_another_name(
    days: int,
) -> None:
    """Two stage changes four days apart: their names are longer than the distance between
    the lines, so the rows are ordered so that each name's dashed line up from the plot
    passes clear of the name below it."""
    figure, ax = drawn(fortnight_at_the_top(), STAGES, days)
    plot = ax.get_window_extent()
    names = boxes_of(ax, {"Settling down", "Building back up"})
    joins = [t.arrow_patch.get_window_extent() for t in ax.texts if t.get_text() == ""]
    assert len(joins) == 2
    stage_x = sorted(ax.transData.transform((mdates.date2num(m.on), 0))[0] for m in STAGES[:2])
    assert sorted((j.x0 + j.x1) / 2 for j in joins) == pytest.approx(stage_x, abs=1)
    for join in joins:
        assert join.width <= 2 and join.y0 == pytest.approx(plot.y1, abs=1)  # straight up
        assert not any(name.overlaps(join) for name in names)
        # It reaches its own name: one whose bottom is just above the line's top.
        assert any(
            abs(name.y0 - join.y1) <= 3 and name.x0 - 1 <= join.x0 <= name.x1 + 1 for name in names
        )


def test_the_chart_with_names_above_still_renders_as_svg_with_its_text() -> None:
    svg = charts.render_chart(
        fortnight_at_the_top(), STAGES, start=START, end=START + timedelta(days=13),
        chart_id="c", description="Pain over two weeks.",
    )  # fmt: skip
    root = ET.fromstring(svg)
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Settling down", "Building back up", "2", "out of 10"} <= texts
    assert root.get("role") == "img"
    width, height = (float(n) for n in root.get("viewBox", "").split()[2:])
    assert width == pytest.approx(288) and height > 3.4 * 72  # the rows add to the height


def weekly(days: tuple[int, ...], values: tuple[float, ...]) -> Chart:
    points = tuple(Point(START + timedelta(days=d), v) for d, v in zip(days, values, strict=True))
    return Chart(key="function", title="Activities", unit="out of 10", low=0, high=10,
                 series=(Series("psfs", "Activities score", points,
                                gaps_in("psfs", points, START)),),
                 band=Band(low=2.7, high=5.3, start=4))  # fmt: skip


def test_three_weeks_without_a_rating_break_the_activities_line() -> None:
    """Weekly ratings, then none for three weeks: the line went straight across them, a
    steady change nobody measured. It breaks there; each rating keeps its point."""
    chart = weekly((0, 7, 28, 35), (4, 10, 9.5, 10))
    assert chart.series[0].gaps == ((START + timedelta(days=7), START + timedelta(days=28)),)
    _figure, ax = drawn(chart, (), 36)
    line = next(ln for ln in ax.lines if ln.get_label() == "Activities score")
    ys = [float(y) for y in line.get_ydata()]
    stretches: list[list[float]] = [[]]
    for y in ys:
        if math.isnan(y):
            stretches.append([])
        else:
            stretches[-1].append(y)
    assert stretches == [[4, 10], [9.5, 10]]


def test_a_line_keeps_going_across_the_usual_spacing() -> None:
    chart = weekly((0, 7, 16, 23), (4, 5, 6, 7))  # a rating two days late is not a gap
    assert chart.series[0].gaps == ()
    _figure, ax = drawn(chart, (), 24)
    line = next(ln for ln in ax.lines if ln.get_label() == "Activities score")
    assert not any(math.isnan(float(y)) for y in line.get_ydata())


@pytest.mark.parametrize(
    ("measure", "days", "gaps"),
    [
        ("psfs", (0, 7, 14), ()),
        ("psfs", (0, 10, 14), ()),  # 10 days: within half a week of the usual 7
        ("psfs", (0, 7, 21), ((7, 21),)),  # a week missed
        ("bridge", (7, 14, 28), ((14, 28),)),
        ("nprs", (0, 1, 2, 4, 5), ((2, 4),)),  # daily for the first two weeks: a day missed
        ("nprs", (13, 14, 21, 28), ()),  # then weekly
        ("nprs", (14, 21, 35), ((21, 35),)),
    ],
)
def test_a_gap_is_longer_than_half_as_long_again_as_the_usual_spacing(
    measure: str, days: tuple[int, ...], gaps: tuple[tuple[int, int], ...]
) -> None:
    points = tuple(Point(START + timedelta(days=d), 5) for d in days)
    expected = tuple((START + timedelta(days=a), START + timedelta(days=b)) for a, b in gaps)
    assert gaps_in(measure, points, START) == expected
