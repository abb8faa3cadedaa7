"""The outcome measures: the activities of the Patient-Specific Functional Scale and their
ratings, the single-leg bridge test, with their scores and the real-improvement verdicts."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.care.access import find_assessment, find_writable_assessment
from rehabit.api.progress.common import READ, TAGS, WRITE, field_errors
from rehabit.api.progress.verdicts import VerdictOut, verdict_out
from rehabit.core.rate_limits import count_care_write
from rehabit.outcomes import nudges, services
from rehabit.outcomes.models import MeasureRecord
from rehabit.outcomes.progress import records_of, summary_for

router = Router(tags=TAGS)


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


class MeasuresOut(Schema):
    activities: list[str]
    measures: list[MeasureOut]
    progress: VerdictOut


def _measure_out(r: MeasureRecord) -> dict[str, Any]:
    return {"id": r.id, "measure": r.measure, "taken_on": r.taken_on, "score": r.score,
            "values": dict(r.values)}  # fmt: skip


@router.get(
    "/assessments/{assessment_id}/measures", response={**READ, 200: MeasuresOut},
    operation_id="rehabit_api_progress_get_measures",
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
            "progress": verdict_out(request, assessment),
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
        return field_errors(exc)
    except services.Refused as exc:
        return Status(409, {"detail": str(exc)})
    nudges.after_log(assessment)
    return result  # type: ignore[no-any-return]


@router.put(
    "/assessments/{assessment_id}/measures/activities",
    operation_id="rehabit_api_progress_put_activities",
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
    operation_id="rehabit_api_progress_post_psfs",
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
    operation_id="rehabit_api_progress_post_bridge",
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
