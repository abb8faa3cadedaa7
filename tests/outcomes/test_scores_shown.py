"""One score, one number: the verdict, the table beside the chart, the chart's text
alternative and the PDF report show a score by the same rule (one decimal, halves rounded
up), through the Django test client and a real database."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rehabit.core.timefmt import format_day
from rehabit.outcomes import presenters
from rehabit.outcomes.progress import Band, Chart, Point, Series, Trend
from rehabit.outcomes.report import report_context
from tests.outcomes.helpers import assessment_days_ago

pytestmark = pytest.mark.django_db

ACTIVITIES = ["Running for the bus", "Stairs", "Sitting through a film", "Cycling"]


def rate(client: Client, assessment: Any, ratings: list[int]) -> None:
    fields = {f"rating_{n}": str(r) for n, r in enumerate(ratings, start=1)}
    response = client.post(
        f"/care/{assessment.pk}/progress/activities/", {"step": "rate", **fields}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def rated_a_week_apart(client: Client, first: list[int], then: list[int]) -> Any:
    """Activities named and rated a week ago, and rated again today."""
    assessment = assessment_days_ago(8)
    url = f"/care/{assessment.pk}/progress/activities/"
    assert client.post(url, {"step": "name", "activity": ACTIVITIES}).status_code == 302
    with time_machine.travel(timezone.now() - timedelta(days=7), tick=False):
        rate(client, assessment, first)
    rate(client, assessment, then)
    return assessment


def words(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_verdict_and_the_table_show_7_25_as_7_3(client: Client) -> None:
    """Ratings 7, 8, 8 and 6 score 7.25: the verdict said 7.3 (rounded half up) and the
    table for the same day 7.2 (Python's rounding, halves to even)."""
    assessment = rated_a_week_apart(client, [4, 4, 4, 4], [7, 8, 8, 6])
    body = client.get(f"/care/{assessment.pk}/progress/").content.decode()
    verdict = words(body.split('id="verdict"', 1)[1].split("</section>", 1)[0])
    assert "gone up from 4 to 7.3 out of 10" in verdict
    function = body.split('<section class="chart-block" id="function"', 1)[1]
    table = function.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    today = timezone.localdate().isoformat()
    row = table.split(f'datetime="{today}"', 1)[1].split("</tr>", 1)[0]
    assert ">7.3</td>" in row and "7.2" not in table and "7.25" not in table
    # The first day reads 4, as the verdict says it, not 4.0.
    assert ">4</td>" in table and "4.0" not in table


def test_the_report_shows_the_same_numbers(client: Client) -> None:
    assessment = rated_a_week_apart(client, [4, 4, 4, 4], [7, 8, 8, 6])
    assert [r["score"] for r in report_context(assessment)["psfs"]] == ["4", "7.3"]
    pdf = PdfReader(io.BytesIO(client.get(f"/care/{assessment.pk}/report.pdf").content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "7 8 8 6 7.3" in text and "4 4 4 4 4" in text
    assert "7.2" not in text and "4.0" not in text


def _chart(start: float, value: float) -> Chart:
    day = date(2027, 1, 4)
    points = (Point(day, start), Point(day + timedelta(days=7), value))
    return Chart(
        key="function",
        title="Activities",
        unit="out of 10",
        low=0,
        high=10,
        series=(Series("psfs", "Activities score", points),),
        band=Band(low=max(0.0, start - 1.3), high=min(10.0, start + 1.3), start=start),
    )


@pytest.mark.parametrize(
    ("score", "shown"), [(7.25, "7.3"), (7.35, "7.4"), (0.05, "0.1"), (4.0, "4")]
)
def test_the_table_the_band_and_the_text_alternative_round_halves_up(
    score: float, shown: str
) -> None:
    """Every place the pages show a score goes through one function, the core's rule."""
    assert presenters.score_text(score) == shown
    chart = _chart(score, 9)
    assert f"from your start ({shown})" in presenters.band_text(chart)
    days = [p.on for p in chart.series[0].points]
    trend = Trend(start=days[0], end=days[-1], charts=(chart,), markers=())
    block = presenters.chart_blocks(trend)[0]
    assert block["rows"][0]["cells"] == [("Activities score", shown)]
    assert f"({shown})" in block["band"]
    desc = block["svg"].split("<desc", 1)[1].split("</desc>", 1)[0]
    assert f"from your start ({shown})" in html.unescape(desc)
    assert format_day(days[0]) in html.unescape(desc)
