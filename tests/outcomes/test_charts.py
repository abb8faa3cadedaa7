"""The progress chart's own drawing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from matplotlib import dates as mdates

from rehabit.outcomes import charts
from rehabit.outcomes.progress import Band, Chart, Marker, Point, Series

START = date(2027, 1, 7)


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


def test_the_first_and_last_days_are_inside_the_frame() -> None:
    """Half a day's margin each side: subtracting 12 hours from a date left it unchanged,
    so the first and last points sat on the frame, half cut off."""
    end = START + timedelta(days=6)
    figure = charts._figure(week_chart(), MARKERS, START, end)
    left, right = figure.axes[0].get_xlim()
    assert left == pytest.approx(mdates.date2num(START) - 0.5)
    assert right == pytest.approx(mdates.date2num(end) + 0.5)
