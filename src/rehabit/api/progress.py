"""The pain diary, the outcome measures with their scores and verdicts, the trend behind
the charts, and the PDF report of an assessment (``rehabit.outcomes``).

The same services as the pages. Access follows the assessment (``readable_assessment``):
one nobody owns is reachable by its unguessable id; an owned one only by its owner (staff
through the audited record rule, read-only). Writes to an owned assessment carry the CSRF
token (``X-CSRFToken``). Days are calendar days in the signed-in person's zone (UTC when
not signed in); instants are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.care.access import find_assessment, find_writable_assessment
from rehabit.api.schemas import (
    MessageOut,
    NotFoundOut,
    RateLimitedOut,
    ValidationErrorOut,
    validation_error_body,
)
from rehabit.core.rate_limits import count_care_write, count_report
from rehabit.outcomes import nudges, presenters, services
from rehabit.outcomes.models import ACTIVITY_MAX_LENGTH, DiaryEntry, MeasureRecord
from rehabit.outcomes.progress import entries_of, first_day, records_of, summary_for, trend_for

router = Router(tags=["progress and outcome measures"])

READ = {200: Any, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut}


class DiaryIn(Schema):
    entry_date: str | None = Field(
        None, max_length=10, description="YYYY-MM-DD, from the assessment's day to today "
        "(default today). A second entry for a day replaces it."
    )  # fmt: skip
    pain_now: int = Field(ge=0, le=10, description="Pain now, 0-10.")
    pain_worst: int = Field(ge=0, le=10, description="Worst pain in the last 24 hours, 0-10.")
    pain_during_exercise: int | None = Field(None, ge=0, le=10)
    pain_after_exercise: int | None = Field(None, ge=0, le=10)
    next_morning: Literal["better", "same", "worse", ""] = Field(
        "", description="This morning compared with the morning before."
    )
    sleep_disturbed: bool | None = Field(None, description="Did pain disturb sleep?")
    activity: str = Field("", max_length=ACTIVITY_MAX_LENGTH, description="What was done.")


class DiaryEntryOut(Schema):
    id: UUID
    entry_date: date
    pain_now: int
    pain_worst: int
    pain_during_exercise: int | None
    pain_after_exercise: int | None
    next_morning: str | None
    sleep_disturbed: bool | None
    activity: str
    logged_at: str = Field(description="ISO 8601, UTC")
    updated_at: str = Field(description="ISO 8601, UTC")


class StreakOut(Schema):
    last_7_days: int
    in_a_row: int
    total: int


class DiaryOut(Schema):
    entries: list[DiaryEntryOut] = Field(description="Oldest first.")
    streak: StreakOut
    due_today: list[str] = Field(description="nprs | psfs | bridge: what the schedule asks.")
    time_zone: str


class ActivitiesIn(Schema):
    activities: list[str] = Field(
        min_length=1, max_length=10, description="3 to 5 activities, in the person's words."
    )


class PsfsIn(Schema):
    ratings: list[int] = Field(
        min_length=1, max_length=10, description="One 0-10 rating per activity, in order."
    )


class BridgeIn(Schema):
    sore_side: int = Field(ge=0, le=100, description="Full repetitions on the sore leg.")
    other_side: int | None = Field(None, ge=0, le=100)
    stopped_for_pain: bool = False


class MeasureOut(Schema):
    id: UUID
    measure: str = Field(description="psfs | bridge")
    taken_on: date
    score: float = Field(description="PSFS: mean of the ratings; bridge: sore-leg count.")
    values: dict[str, Any]


class ChangeOut(Schema):
    measure: str
    label: str
    verdict: str = Field(description="better | no_change | worse | too_early")
    before: float | None
    now: float | None
    change: float | None = Field(description="Signed, positive when better.")
    needed: float | None = Field(description="The improvement that counts as real.")
    text: str


class AdviceOut(Schema):
    key: str = Field(description="step_back | book | warning_signs")
    text: str


class VerdictOut(Schema):
    verdict: str = Field(description="better | no_change | worse | too_early")
    label: str
    changes: list[ChangeOut]
    advice: list[AdviceOut]


class MeasuresOut(Schema):
    activities: list[str]
    measures: list[MeasureOut]
    progress: VerdictOut


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


def _iso(moment: Any) -> str:
    return moment.astimezone(UTC).isoformat()


def _entry_out(e: DiaryEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "entry_date": e.entry_date,
        "pain_now": e.pain_now,
        "pain_worst": e.pain_worst,
        "pain_during_exercise": e.pain_during_exercise,
        "pain_after_exercise": e.pain_after_exercise,
        "next_morning": e.next_morning or None,
        "sleep_disturbed": e.sleep_disturbed,
        "activity": e.activity,
        "logged_at": _iso(e.logged_at),
        "updated_at": _iso(e.updated_at),
    }


def _measure_out(r: MeasureRecord) -> dict[str, Any]:
    return {"id": r.id, "measure": r.measure, "taken_on": r.taken_on, "score": r.score,
            "values": dict(r.values)}  # fmt: skip


def _verdict(request: HttpRequest, assessment: Any) -> dict[str, Any]:
    """The verdicts and advice, in the words the reader is given, by the pages' rule
    (``presenters.read_by_a_parent``): a child's parent reads about their child; anyone
    else (a therapist, an admin) the patient's own words."""
    summary = summary_for(assessment)
    name = presenters.patient_named(request, assessment)
    child = presenters.read_by_a_parent(assessment, name)
    return {
        "verdict": summary.progress.verdict,
        "label": presenters.verdict_label(summary.progress.verdict),
        "changes": [
            {
                "measure": row["change"].measure,
                "label": row["label"],
                "verdict": row["change"].verdict,
                "before": row["change"].before,
                "now": row["change"].now,
                "change": row["change"].change,
                "needed": row["change"].needed,
                "text": presenters.change_text(row["change"], child=child),
            }
            for row in summary.rows
        ],
        "advice": [
            {"key": a.key, "text": presenters.advice_text(a, child=child)}
            for a in summary.progress.advice
        ],
    }


def _errors(exc: services.FieldErrors) -> Status[Any]:
    return Status(422, validation_error_body(exc.errors, ["body", "payload"]))


@router.get(
    "/assessments/{assessment_id}/diary", response={**READ, 200: DiaryOut},
    summary="The pain diary of an assessment",
)  # fmt: skip
def get_diary(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    summary = summary_for(assessment)
    return Status(
        200,
        {
            "entries": [_entry_out(e) for e in entries_of(assessment)],
            "streak": vars(summary.streak),
            "due_today": list(summary.due),
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


@router.post(
    "/assessments/{assessment_id}/diary",
    response={
        200: DiaryEntryOut,
        201: DiaryEntryOut,
        400: MessageOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },  # fmt: skip
    summary="Save a day of the pain diary",
)
def save_diary(request: HttpRequest, assessment_id: UUID, payload: DiaryIn) -> Status[Any]:
    """201 for a new day, 200 when the day's entry was replaced; 422 names every bad field
    (for example a worst pain lower than the pain now, or a day outside the diary)."""
    status, assessment = find_writable_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    count_care_write(request, assessment)  # 429 past the limit (the API's handler)
    try:
        entry, created = services.save_diary_entry(
            assessment, payload.model_dump(), first_day=first_day(assessment),
            today=timezone.localdate(),
        )  # fmt: skip
    except services.FieldErrors as exc:
        return _errors(exc)
    except services.Refused as exc:
        return Status(409, {"detail": str(exc)})
    nudges.after_log(assessment)
    return Status(201 if created else 200, _entry_out(entry))


@router.get(
    "/assessments/{assessment_id}/measures", response={**READ, 200: MeasuresOut},
    summary="Outcome measures with their scores and the real-improvement verdicts",
)  # fmt: skip
def get_measures(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    records = records_of(assessment, "psfs") + records_of(assessment, "bridge")
    return Status(
        200,
        {
            "activities": [a.name for a in services.activities_of(assessment)],
            "measures": [_measure_out(r) for r in sorted(records, key=lambda r: r.taken_on)],
            "progress": _verdict(request, assessment),
        },
    )


def _write(request: HttpRequest, assessment_id: UUID, action: Any) -> Status[Any]:
    status, assessment = find_writable_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    count_care_write(request, assessment)  # 429 past the limit (the API's handler)
    try:
        result = action(assessment)
    except services.FieldErrors as exc:
        return _errors(exc)
    except services.Refused as exc:
        return Status(409, {"detail": str(exc)})
    nudges.after_log(assessment)
    return result  # type: ignore[no-any-return]


WRITE = {400: MessageOut, 403: MessageOut, 404: NotFoundOut, 409: MessageOut,
         422: ValidationErrorOut, 429: RateLimitedOut}  # fmt: skip


@router.put(
    "/assessments/{assessment_id}/measures/activities",
    response={200: MeasuresOut, **WRITE},
    summary="Name the 3-5 activities of the Patient-Specific Functional Scale",
)
def put_activities(request: HttpRequest, assessment_id: UUID, payload: ActivitiesIn) -> Status[Any]:
    """409 once they have been rated: they stay the same so scores compare."""

    def act(assessment: Any) -> Status[Any]:
        services.set_activities(assessment, payload.activities)
        return get_measures(request, assessment_id)

    return _write(request, assessment_id, act)


@router.post(
    "/assessments/{assessment_id}/measures/psfs",
    response={200: MeasureOut, 201: MeasureOut, **WRITE},
    summary="Rate the activities today (0 = unable, 10 = as before)",
)
def post_psfs(request: HttpRequest, assessment_id: UUID, payload: PsfsIn) -> Status[Any]:
    def act(assessment: Any) -> Status[Any]:
        record, created = services.record_psfs(
            assessment, {"ratings": payload.ratings}, today=timezone.localdate()
        )
        return Status(201 if created else 200, _measure_out(record))

    return _write(request, assessment_id, act)


@router.post(
    "/assessments/{assessment_id}/measures/bridge",
    response={200: MeasureOut, 201: MeasureOut, **WRITE},
    summary="Record today's single-leg bridge test",
)
def post_bridge(request: HttpRequest, assessment_id: UUID, payload: BridgeIn) -> Status[Any]:
    """409 while the injury is in its first days or there is no exercise programme."""

    def act(assessment: Any) -> Status[Any]:
        record, created = services.record_bridge(
            assessment, payload.model_dump(), today=timezone.localdate(),
            phase=summary_for(assessment).phase,
        )  # fmt: skip
        return Status(201 if created else 200, _measure_out(record))

    return _write(request, assessment_id, act)


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
        "progress": _verdict(request, assessment),
    }


@router.get(
    "/assessments/{assessment_id}/progress", response={**READ, 200: TrendOut},
    summary="Pain and function over time, with the real-improvement verdicts",
)  # fmt: skip
def get_progress(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """The chart data: each series by day, the no-real-change band around the start, the
    plan's stage changes and exercise level changes (the same data as the pages)."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    return Status(200, trend_out(request, assessment))


PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The progress report as a PDF."}  # fmt: skip


@router.get(
    "/assessments/{assessment_id}/report",
    response={403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut, 429: RateLimitedOut},
    summary="The progress report (PDF)",
    openapi_extra={"responses": {"200": PDF}},
)
def get_report(request: HttpRequest, assessment_id: UUID) -> Any:
    """Assessment summary, plan, programme, adherence, diary and measures with charts, as
    application/pdf, for the person to keep or share with a clinician. Limited per person
    and per client network (429 with `retry_after`): each report takes a second to make."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    count_report(request)  # 429 past the limit (the API's handler)
    from rehabit.outcomes.presenters import patient_named
    from rehabit.outcomes.report import report_response

    # Downloaded by a therapist (or an admin), the report speaks of the patient by name.
    name = patient_named(request, assessment)
    response: HttpResponse = report_response(assessment, patient_name=name)
    return response
