"""The progress chart's own drawing: its size, its text and its axis (the browser test in
tests/browser/test_progress_flow.py measures it as a phone shows it)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from matplotlib import dates as mdates

from rehabit.outcomes import charts
from rehabit.outcomes.progress import Band, Chart, Marker, Point, Series

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
