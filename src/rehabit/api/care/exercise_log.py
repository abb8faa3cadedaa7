"""The exercise log of an assessment: sessions logged, this week's sessions against the
plan, and the next-morning check-in that moves each exercise family up, holds it or moves
it down."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from pydantic import Field

from rehabit.api.care.access import find_assessment, find_writable_assessment
from rehabit.api.schemas import (
    MessageOut,
    NotFoundOut,
    RateLimitedOut,
    ValidationErrorOut,
    validation_error_body,
)
from rehabit.assessments.models import Assessment
from rehabit.care import presenters
from rehabit.care.adherence import weekly_adherence
from rehabit.care.advice import advice_for
from rehabit.care.models import NOTE_MAX_LENGTH, ExerciseSession
from rehabit.care.programs import program_for
from rehabit.care.selectors import sessions_of
from rehabit.care.services import IDEMPOTENCY_KEY_MAX, FieldErrors, Refused, check_in, log_session
from rehabit.core.rate_limits import count_care_write

router = Router(tags=["self-care and exercises"])


class SessionIn(Schema):
    exercise_ids: list[str] = Field(
        min_length=1, max_length=30, description="Ids of the program's exercises done."
    )
    pain_during: int = Field(ge=0, le=10, description="Worst pain during the exercises, 0-10.")
    pain_after: int = Field(ge=0, le=10, description="Pain just after, 0-10.")
    difficulty: Literal["too_easy", "about_right", "hard", "too_hard"]
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class SessionExerciseOut(Schema):
    exercise_id: str
    family: str
    level: int


class SessionOut(Schema):
    id: UUID
    logged_at: str = Field(description="ISO 8601, UTC")
    exercises: list[SessionExerciseOut]
    pain_during: int
    pain_after: int
    difficulty: str
    note: str
    next_morning: str | None = Field(description="better | same | worse, once checked in")
    settled_within_24h: bool | None
    checked_in_at: str | None


class AdherenceOut(Schema):
    done: int = Field(description="Sessions logged this week.")
    planned: int = Field(description="Sessions the program plans for a week.")
    per_day: int
    days_per_week: int
    week_start: date = Field(description="Monday of this week in time_zone.")
    week_end: date
    time_zone: str


class SessionListOut(Schema):
    sessions: list[SessionOut]
    adherence: AdherenceOut


class CheckInIn(Schema):
    next_morning: Literal["better", "same", "worse"] = Field(
        description="Pain the morning after, compared with before the session."
    )
    settled_within_24h: bool = Field(description="Had pain from the session settled in a day?")
    signs: list[str] = Field(
        default_factory=list,
        max_length=30,
        description="Ids of the plan's warning signs noticed since the session (its "
        "watch_for list); each raises an alert to the therapists the person shares with.",
    )


class AdviceOut(Schema):
    kind: str = Field(description="sign (a warning sign reported) | book (see a physio)")
    id: str | None = None
    level: str | None = Field(None, description="emergency | urgent | soon (signs)")
    sign: str | None = None
    action: str | None = Field(None, description="What to do now, for a sign.")
    family: str | None = None
    text: str | None = Field(None, description="The progression's advice to book.")


class ProgressionOut(Schema):
    family: str
    action: str = Field(description="step_up | hold | step_down | book_pt")
    from_level: int
    to_level: int
    zone: str
    reason: str
    explanation: str


class CheckInOut(Schema):
    session: SessionOut
    progression: list[ProgressionOut]
    advice: list[AdviceOut] = Field(
        description="What to do at once: each warning sign's action, and booking advice "
        "after pain worse two sessions in a row. Empty when nothing needs doing now."
    )


def _adherence(assessment: Assessment, sessions: list[ExerciseSession]) -> dict[str, Any]:
    care = program_for(assessment)
    adherence = weekly_adherence(
        [s.logged_at for s in sessions],
        care.dosages(),
        now=timezone.now(),
        zone=timezone.get_current_timezone(),
        began=assessment.created_at,
    )
    return {
        "done": adherence.done,
        "planned": adherence.planned,
        "per_day": adherence.per_day,
        "days_per_week": adherence.days_per_week,
        "week_start": adherence.week_start,
        "week_end": adherence.week_end,
        "time_zone": timezone.get_current_timezone_name(),
    }


@router.get(
    "/assessments/{assessment_id}/sessions",
    response={200: SessionListOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="The exercise log of an assessment",
    operation_id="rehabit_api_care_list_sessions",
)
def list_sessions(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """Logged sessions, newest first, and this week's sessions against the plan (the week
    in the signed-in person's time zone, else UTC)."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    sessions = list(sessions_of(assessment))
    return Status(
        200,
        {
            "sessions": [presenters.session_out(s) for s in sessions],
            "adherence": _adherence(assessment, sessions),
        },
    )


@router.post(
    "/assessments/{assessment_id}/sessions",
    response={
        200: SessionOut,
        201: SessionOut,
        400: MessageOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },
    summary="Log an exercise session",
    operation_id="rehabit_api_care_log_exercise_session",
)
def log_exercise_session(
    request: HttpRequest,
    response: HttpResponse,
    assessment_id: UUID,
    payload: SessionIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=IDEMPOTENCY_KEY_MAX,
        description="Optional. A retry with the same key returns the session stored the "
        "first time (200) instead of logging it twice.",
    ),
) -> Status[Any]:
    """201 with the stored session. Every field is checked (422 names each one); 409 when
    the assessment has no exercise program (red flags, or a cause a clinician must see)."""
    status, assessment = find_writable_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    count_care_write(request, assessment)  # 429 past the limit (the API's handler)
    try:
        session, created = log_session(
            assessment, payload.model_dump(), idempotency_key=idempotency_key or ""
        )
    except Refused as exc:
        return Status(409, {"detail": str(exc)})
    except FieldErrors as exc:
        return Status(422, validation_error_body(exc.errors, ["body", "payload"]))
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, presenters.session_out(session))


def _session_or_404(assessment: Assessment, session_id: UUID) -> ExerciseSession | None:
    return ExerciseSession.objects.filter(assessment=assessment, pk=session_id).first()


@router.get(
    "/assessments/{assessment_id}/sessions/{session_id}",
    response={200: SessionOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="One logged session",
    operation_id="rehabit_api_care_get_session",
)
def get_session(request: HttpRequest, assessment_id: UUID, session_id: UUID) -> Status[Any]:
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    session = _session_or_404(assessment, session_id)
    if session is None:
        return Status(404, {"detail": _("No session with this id in this log.")})
    return Status(200, presenters.session_out(session))


@router.patch(
    "/assessments/{assessment_id}/sessions/{session_id}",
    response={
        200: CheckInOut,
        400: MessageOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },
    summary="Record the next-morning check-in of a session",
    operation_id="rehabit_api_care_check_in_session",
)
def check_in_session(
    request: HttpRequest, assessment_id: UUID, session_id: UUID, payload: CheckInIn
) -> Status[Any]:
    """How the pain was the next morning. The pain-monitoring rule then moves each exercise
    family done in the session one level up, holds it, or one level down, and explains
    why. 409 when it is too early (the check-in opens 8 hours after the session) or the
    session was already checked in."""
    status, assessment = find_writable_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    if _session_or_404(assessment, session_id) is None:
        return Status(404, {"detail": _("No session with this id in this log.")})
    count_care_write(request, assessment)  # 429 past the limit (the API's handler)
    try:
        steps = check_in(assessment, session_id, payload.model_dump())
    except Refused as exc:
        return Status(409, {"detail": str(exc)})
    except FieldErrors as exc:
        return Status(422, validation_error_body(exc.errors, ["body", "payload"]))
    session = ExerciseSession.objects.get(pk=session_id)
    return Status(
        200,
        {
            "session": presenters.session_out(session),
            "advice": advice_for(session, steps),
            "progression": [
                {
                    "family": s.family,
                    "action": s.action,
                    "from_level": s.from_level,
                    "to_level": s.to_level,
                    "zone": s.zone,
                    "reason": s.reason,
                    "explanation": presenters.explain_step(s),
                }
                for s in steps
            ],
        },
    )
