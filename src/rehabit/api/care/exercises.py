"""The exercise library: every exercise in use, and one exercise's instructions (410, with
the reason, once an administrator has taken it out of use)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.care import presenters
from rehabit.care.withdrawals import open_library, standing
from rehabit.clinical.exercises import Exercise, get_exercise
from rehabit.clinical.program import dosage_dict
from rehabit.core.reviewed_text import tr

router = Router(tags=["self-care and exercises"])


class DosageOut(Schema):
    kind: str = Field(description="hold | reps | duration")
    sides: str = Field(description="both | affected | none")
    per_day: int
    days_per_week: int
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    rest_seconds: int | None = None
    tempo: str | None = None


class ExerciseOut(Schema):
    id: str
    name: str
    summary: str
    family: str = Field(description="Exercises of one family are levels of one progression.")
    level: int
    conditions: list[str] = Field(description="Condition ids the exercise suits.")
    phases: list[str] = Field(description="early | middle | loading")
    dosage: DosageOut
    illustration_url: str
    alt: str = Field(description="Text alternative of the illustration.")


class AvoidOut(Schema):
    reason: str
    condition: str | None = None
    phase: str | None = None
    caution: str | None = None


class ExerciseDetailOut(ExerciseOut):
    steps: list[str]
    should_feel: str
    should_not_feel: str
    max_pain: int = Field(description="Pain ceiling during the exercise, 0-10.")
    avoid_when: list[AvoidOut]
    source: str


class ExerciseNotInUseOut(Schema):
    detail: str
    reason: str = Field(description="Why it is out of use, in the administrator's words.")
    since: datetime


def absolute_illustration_url(request: HttpRequest, exercise: Exercise) -> str:
    return request.build_absolute_uri(presenters.illustration_url(exercise))


def _exercise_out(request: HttpRequest, exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": tr(exercise.name),
        "summary": tr(exercise.summary),
        "family": exercise.family,
        "level": exercise.level,
        "conditions": list(exercise.conditions),
        "phases": list(exercise.phases),
        "dosage": dosage_dict(exercise),
        "illustration_url": absolute_illustration_url(request, exercise),
        "alt": tr(exercise.alt),
    }


@router.get(
    "/exercises",
    response=list[ExerciseOut],
    summary="The exercise library",
    operation_id="rehabit_api_care_list_exercises",
)
def list_exercises(request: HttpRequest) -> list[dict[str, Any]]:
    """Every exercise the programs choose from, with its dosage and illustration (not
    those an administrator has taken out of use)."""
    return [_exercise_out(request, e) for e in open_library()]


@router.get(
    "/exercises/{exercise_id}",
    response={
        200: ExerciseDetailOut,
        404: NotFoundOut,
        410: ExerciseNotInUseOut,
        422: ValidationErrorOut,
    },
    summary="One exercise",
    operation_id="rehabit_api_care_get_exercise_detail",
)
def get_exercise_detail(request: HttpRequest, exercise_id: str) -> Status[Any]:
    """Steps, dosage, what it should and should not feel like, and when not to do it.
    410 for an exercise an administrator has taken out of use (why, and since when; not
    the instructions)."""
    try:
        exercise = get_exercise(exercise_id)
    except KeyError:
        return Status(404, {"detail": _("No exercise with this id.")})
    out = standing().get(exercise.id)
    if out is not None:
        return Status(
            410,
            {
                "detail": _("This exercise is out of use at the moment. Do not do it."),
                "reason": out.reason,
                "since": out.withdrawn_at,
            },
        )
    return Status(
        200,
        {
            **_exercise_out(request, exercise),
            "steps": [tr(step) for step in exercise.steps],
            "should_feel": tr(exercise.should_feel),
            "should_not_feel": tr(exercise.should_not_feel),
            "max_pain": exercise.max_pain,
            "avoid_when": [
                {
                    "reason": tr(a.reason),
                    "condition": a.condition,
                    "phase": a.phase,
                    "caution": a.caution,
                }
                for a in exercise.avoid_when
            ],
            "source": exercise.source,
        },
    )
