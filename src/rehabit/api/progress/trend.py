"""Pain and function over time: the chart data by day, the no-real-change band around the
start, the plan's stage changes and the exercise level changes, with the verdicts."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.care.access import find_assessment
from rehabit.api.progress.common import READ, TAGS
from rehabit.api.progress.verdicts import VerdictOut, verdict_out
from rehabit.outcomes.progress import trend_for

router = Router(tags=TAGS)


class PointOut(Schema):
    day: date
    value: float


class SeriesOut(Schema):
    key: str
    label: str
    points: list[PointOut]


class BandOut(Schema):
    low: float
    high: float
    start: float


class ChartOut(Schema):
    key: str = Field(description="pain | function | strength")
    title: str
    unit: str
    low: float
    high: float
    series: list[SeriesOut]
    band: BandOut | None = Field(description="Inside it: no real change from the start.")


class MarkerOut(Schema):
    day: date
    kind: str = Field(description="phase | level")
    label: str


class TrendOut(Schema):
    start: date
    end: date
    time_zone: str
    charts: list[ChartOut]
    markers: list[MarkerOut]
    progress: VerdictOut


def trend_out(request: HttpRequest, assessment: Any) -> dict[str, Any]:
    """The trend of an assessment as JSON (the same data as the charts)."""
    trend = trend_for(assessment)
    return {
        "start": trend.start,
        "end": trend.end,
        "time_zone": timezone.get_current_timezone_name(),
        "charts": [
            {
                "key": c.key,
                "title": c.title,
                "unit": c.unit,
                "low": c.low,
                "high": c.high,
                "series": [
                    {
                        "key": s.key,
                        "label": s.label,
                        "points": [{"day": p.on, "value": p.value} for p in s.points],
                    }
                    for s in c.series
                ],
                "band": vars(c.band) if c.band else None,
            }
            for c in trend.charts
        ],  # fmt: skip
        "markers": [{"day": m.on, "kind": m.kind, "label": m.label} for m in trend.markers],
        "progress": verdict_out(request, assessment),
    }


@router.get(
    "/assessments/{assessment_id}/progress", response={**READ, 200: TrendOut},
    operation_id="rehabit_api_progress_get_progress",
    summary="Pain and function over time, with the real-improvement verdicts",
)  # fmt: skip
def get_progress(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """The chart data: each series by day, the no-real-change band around the start, the
    plan's stage changes and exercise level changes (the same data as the pages)."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    return Status(200, trend_out(request, assessment))
