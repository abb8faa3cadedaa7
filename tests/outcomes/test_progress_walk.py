"""What a patient stumbled on reading the progress report and the charts' captions in a
walk over several weeks (tests/browser/test_progress_walk_weeks.py walks it in Chromium)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.core.timefmt import format_day
from rehabit.outcomes.progress import Point, gaps_in
from rehabit.outcomes.report import report_html
from tests.outcomes.helpers import assessment_days_ago, diary_form

pytestmark = pytest.mark.django_db


def test_the_report_gives_each_part_of_a_dose_its_own_line() -> None:
    """The exercise table joined the dose's parts with commas, so a part that is a sentence
    read "Slow and controlled both ways., 2 times a day, every day"."""
    page = html.unescape(report_html(assessment_days_ago(3)))
    cells = re.findall(r"<td>([^<]*(?:<br>[^<]*)+)</td>", page)
    assert cells, "no dose cell with one line per part"
    assert any("repetitions<br>" in cell for cell in cells), cells
    assert ".," not in page


def test_the_pain_chart_says_its_start_is_the_check_s_score_not_a_diary_day(
    client: Client,
) -> None:
    """The check asked for the worst pain (4); the first diary day said 7. The caption read
    "no real change from your start (4)", a number in neither the chart's table nor the
    diary: it now says the start is the pain given in the check."""
    assessment = assessment_days_ago(2)
    assert assessment.answers["pain_worst"] == 4
    today = timezone.localdate()
    for back, (now, worst) in enumerate([(5, 7), (5, 6), (4, 6)]):
        day = today - timedelta(days=2 - back)
        response = client.post(f"/care/{assessment.pk}/diary/", diary_form(day, now, worst))
        assert response.status_code == 302
    page = html.unescape(client.get(f"/care/{assessment.pk}/progress/").content.decode())
    said = "The start is the worst pain in 24 hours you gave in your check."
    caption = re.search(r'<figcaption class="hint">([^<]*)</figcaption>', page)
    assert caption is not None
    assert "from your start (4)." in caption[1] and said in caption[1], caption[1]
    assert said in re.search(r'<desc id="chart-pain-desc">([^<]*)</desc>', page)[1]
    # The same data with no pain in the check: the start is the first diary day (7).
    assessment.answers = {k: v for k, v in assessment.answers.items() if k != "pain_worst"}
    assessment.save(update_fields=["answers"])
    page = html.unescape(client.get(f"/care/{assessment.pk}/progress/").content.decode())
    assert "from your start (7)." in page and said not in page


def test_a_week_of_the_daily_diary_missed_breaks_the_line_and_is_said(client: Client) -> None:
    """Daily for the first two weeks, then weekly: entries on days 0 to 6, none until day
    15. The gap was judged by the spacing at day 15 (weekly), so the line ran straight
    across the missed week and the chart's text alternative said nothing of it."""
    assessment = assessment_days_ago(15)
    start, today = timezone.localdate() - timedelta(days=15), timezone.localdate()
    for offset in (*range(7), 15):
        day = start + timedelta(days=offset)
        response = client.post(f"/care/{assessment.pk}/diary/", diary_form(day, 3, 5))
        assert response.status_code == 302
    page = html.unescape(client.get(f"/care/{assessment.pk}/progress/").content.decode())
    desc = re.search(r'<desc id="chart-pain-desc">([^<]*)</desc>', page)
    assert desc is not None
    missed = (
        f"Nothing was recorded between {format_day(start + timedelta(days=6))} and "
        f"{format_day(today)}, so the line breaks there."
    )
    assert missed in desc[1], desc[1]


@pytest.mark.parametrize(
    ("days", "gaps"),
    [
        ((5, 6, 15), ((6, 15),)),  # the daily week missed, the next entry a weekly one
        ((12, 13, 15), ()),  # the first weekly entry (due on day 14) a day late
        ((0, 1, 3), ((1, 3),)),
    ],
)
def test_a_gap_is_judged_by_the_spacing_when_the_next_rating_was_due(
    days: tuple[int, ...], gaps: tuple[tuple[int, int], ...]
) -> None:
    start = timezone.localdate()
    points = tuple(Point(start + timedelta(days=d), 5) for d in days)
    expected = tuple((start + timedelta(days=a), start + timedelta(days=b)) for a, b in gaps)
    assert gaps_in("nprs", points, start) == expected


def test_the_bridge_test_s_problems_describe_their_fields_and_keep_the_counts(
    client: Client,
) -> None:
    """The bridge test's messages sat beside its two fields but described neither: a screen
    reader led from the summary to a field heard its label, not what was wrong."""
    assessment = assessment_days_ago(9)
    response = client.post(
        f"/care/{assessment.pk}/progress/bridge/", {"sore_side": "250", "other_side": "-2"}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    for field in ("sore_side", "other_side"):
        tag = re.search(rf'<input type="number" id="{field}"[^>]*>', page)
        assert tag is not None
        assert f'aria-describedby="{field}-error-1"' in tag[0], tag[0]
        assert 'aria-invalid="true"' in tag[0]
        assert f'id="{field}-error-1"' in page
    assert 'value="250"' in page and 'value="-2"' in page


def test_too_few_activities_is_said_by_the_fields_and_the_summary_leads_there(
    client: Client,
) -> None:
    """Naming one activity of the three needed: the summary's line had no link and the
    form said nothing of it; the name typed stays."""
    assessment = assessment_days_ago(9)
    response = client.post(
        f"/care/{assessment.pk}/progress/activities/",
        {"step": "name", "activity": ["Running for the bus", "", ""]},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    problem = "Name from 3 to 5 activities (you named 1)."
    assert f'<a href="#activity-1">{problem}</a>' in page
    assert re.search(
        rf'<p class="error-message" id="activities-error-1">.*{re.escape(problem)}', page
    )
    first = re.search(r'<input type="text" id="activity-1"[^>]*>', page)
    assert first is not None
    assert 'value="Running for the bus"' in first[0]
    assert 'aria-describedby="activities-error-1"' in first[0]
