"""The pain diary: each day's pain, the worst in 24 hours, pain with exercise, the next
morning, sleep and what was done; the streak and what the schedule asks today."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from rehabit.api.care.access import find_assessment, find_writable_assessment
from rehabit.api.progress.common import READ, TAGS, WRITE, field_errors
from rehabit.core.rate_limits import count_care_write
from rehabit.outcomes import nudges, services
from rehabit.outcomes.models import ACTIVITY_MAX_LENGTH, DiaryEntry
from rehabit.outcomes.progress import entries_of, first_day, summary_for

router = Router(tags=TAGS)


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

    @field_validator(*services.PAIN_FIELDS, mode="before")
    @classmethod
    def _not_true_or_false(cls, value: object) -> object:
        """A pain score sent as true or false was read as 1 or 0 and stored; the pages
        refuse it (``services.clean_diary``), so the API does too, saying why."""
        if isinstance(value, bool):
            raise PydanticCustomError(
                "not_a_score",
                _("Give the pain as a whole number from 0 to 10, not true or false."),
            )
        return value


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


@router.get(
    "/assessments/{assessment_id}/diary", response={**READ, 200: DiaryOut},
    operation_id="rehabit_api_progress_get_diary",
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
    operation_id="rehabit_api_progress_save_diary",
    response={200: DiaryEntryOut, 201: DiaryEntryOut, **WRITE},
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
        return field_errors(exc)
    except services.Refused as exc:
        return Status(409, {"detail": str(exc)})
    nudges.after_log(assessment)
    return Status(201 if created else 200, _entry_out(entry))
