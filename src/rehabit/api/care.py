"""Exercise library, self-care plan and program, and the exercise log of an assessment.

The same services as the pages (``rehabit.care``). Access follows the assessment: one
nobody owns is reachable by its unguessable id; an owned one only by its owner (staff read
through the audited record rule, never write). Writes to an owned assessment's log are
authenticated by the session cookie, so they must carry the CSRF token (``X-CSRFToken``).
Instants are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Header, Router, Schema, Status
from ninja.utils import check_csrf
from pydantic import Field

from rehabit.api.schemas import (
    MessageOut,
    NotFoundOut,
    RateLimitedOut,
    ValidationErrorOut,
    validation_error_body,
)
from rehabit.assessments.models import Assessment
from rehabit.assessments.selectors import readable_assessment
from rehabit.care import presenters
from rehabit.care.adherence import weekly_adherence
from rehabit.care.advice import advice_for
from rehabit.care.models import NOTE_MAX_LENGTH, ExerciseSession
from rehabit.care.programs import days_since_onset, plan_for, program_for
from rehabit.care.selectors import can_write, sessions_of
from rehabit.care.services import IDEMPOTENCY_KEY_MAX, FieldErrors, Refused, check_in, log_session
from rehabit.care.withdrawals import open_library, standing
from rehabit.clinical.exercises import Exercise, get_exercise
from rehabit.clinical.program import dosage_dict
from rehabit.core.rate_limits import count_care_write
from rehabit.core.reviewed_text import tr

router = Router(tags=["self-care and exercises"])

NOT_FOUND = gettext_noop("No assessment with this id.")


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


class PlanItemOut(Schema):
    id: str
    title: str
    text: str
    steps: list[str]
    phase: str
    kind: str
    reasons: list[str] = Field(default_factory=list)
    reasons_unsure: list[str] = Field(
        default_factory=list,
        description="Cautions the person answered 'Not sure' to: the advice plays safe.",
    )
    source: str | None = None
    expert: str | None = None


class BookingAdviceOut(PlanItemOut):
    headline: str


class StageOut(Schema):
    phase: str | None
    framing: str | None
    title: str | None
    reason: str | None
    days_since_onset: int | None


class CautionOut(Schema):
    id: str
    reason: str
    answer: str


class ScreenQuestionOut(Schema):
    id: str
    text: str
    type: str
    help: str | None = Field(None, description="Why it is asked, in plain words, if said")


class MedicationOut(Schema):
    status: str = Field(description="clear | caution | unanswered")
    cautions: list[CautionOut]
    unanswered: list[str]
    questions: list[ScreenQuestionOut]
    items: list[PlanItemOut]


class WatchOut(Schema):
    id: str
    sign: str
    action: str
    level: str
    source: str | None = None
    expert: str | None = None


class SelfCarePlanOut(Schema):
    version: str
    disposition: str
    suppressed: bool = Field(
        description="True after a red flag or an emergency/urgent result: the urgent advice "
        "comes first and the plan is for after that care. Its items, stage and recheck are "
        "then empty; ``medication`` still holds the painkiller safety until the person is "
        "seen (the cautions and the questions left open), and suggests no painkiller; after "
        "an emergency result it is null (no medicine questions before emergency care)."
    )
    urgent_first: list[str]
    notice: str | None
    phase: str | None
    stage: StageOut | None
    causes: list[str]
    booking: BookingAdviceOut | None
    items: list[PlanItemOut]
    medication: MedicationOut | None
    watch_for: list[WatchOut]
    recheck: PlanItemOut | None


class LadderStepOut(Schema):
    level: int
    exercise_id: str


class ProgramItemOut(Schema):
    exercise_id: str
    name: str
    family: str
    level: int = Field(description="The level the person has reached in this family.")
    start_level: int
    levels: list[int]
    ladder: list[LadderStepOut]
    dosage: DosageOut
    max_pain: int
    why: str
    for_causes: list[str]
    take_care: list[str]
    illustration_url: str
    progress: str = Field(description="The latest progression decision, explained.")


class ClearanceOut(Schema):
    checked_by: str = Field(description="Who examined the person (as the therapist wrote it).")
    checked_on: date = Field(description="The day of the examination.")
    finding: str = Field(description="What the clinician found, in the therapist's words.")
    recorded_by: str = Field(description="The therapist who recorded it.")
    recorded_at: datetime


class NotInUseOut(Schema):
    exercise_id: str
    name: str
    reason: str = Field(description="Why it is out of use, in the administrator's words.")
    since: datetime


class ExerciseNotInUseOut(Schema):
    detail: str
    reason: str = Field(description="Why it is out of use, in the administrator's words.")
    since: datetime


class ProgramOut(Schema):
    version: str
    suppressed: bool
    phase: str | None
    gentle: bool
    causes: list[str]
    items: list[ProgramItemOut]
    notes: list[str]
    clearance: ClearanceOut | None = Field(
        description="Set when the program was withheld for safety and a therapist recorded "
        "that a clinician has examined the person and found exercise safe: the therapist "
        "then sets the exercises."
    )
    not_in_use: list[NotInUseOut] = Field(
        description="Exercises this program had (by the rules or prescribed) that an "
        "administrator has taken out of use: left out of ``items`` (a prescription of one is "
        "paused), each with the reason the person is told."
    )


class PlanOut(Schema):
    assessment_id: UUID
    days_since_onset: int | None
    plan: SelfCarePlanOut
    program: ProgramOut


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


# The keys of the plan's and the program's dictionaries whose text comes from the reviewed
# data files (selfcare.yaml, programs.yaml, exercises.yaml, red_flags.yaml): sent in the
# reader's language, as the pages show them.
_DATA_TEXT = frozenset(
    {
        "title",
        "text",
        "help",
        "reason",
        "sign",
        "action",
        "name",
        "why",
        "take_care",
        "notes",
        "tempo",
    }
)


def _in_reader_language(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _in_reader_language(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_reader_language(v, key) for v in value]
    if isinstance(value, str) and key in _DATA_TEXT:
        return tr(value)
    return value


def _illustration(request: HttpRequest, exercise: Exercise) -> str:
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
        "illustration_url": _illustration(request, exercise),
        "alt": tr(exercise.alt),
    }


def _find(request: HttpRequest, assessment_id: UUID) -> tuple[int, Any]:
    """(200, assessment) or an error status with its body."""
    try:
        assessment = readable_assessment(request, assessment_id)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or _("Not allowed.")}
    if assessment is None:
        return 404, {"detail": _(NOT_FOUND)}
    return 200, assessment


def _find_writable(request: HttpRequest, assessment_id: UUID) -> tuple[int, Any]:
    status, found = _find(request, assessment_id)
    if status != 200:
        return status, found
    if not can_write(request, found):
        return 403, {"detail": _("Only the person this assessment belongs to can add to its log.")}
    if found.owner_id is not None and check_csrf(request) is not None:
        return 403, {"detail": _("CSRF check failed: send the X-CSRFToken header.")}
    return 200, found


@router.get("/exercises", response=list[ExerciseOut], summary="The exercise library")
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


@router.get(
    "/assessments/{assessment_id}/plan",
    response={200: PlanOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="Self-care plan and home program of an assessment",
)
def get_plan(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """As of today: the stage by the days since the pain began, the medicine advice after
    the safety screen, and each exercise family at the level the person has reached. After
    a red flag the plan is suppressed (urgent advice first) and the program is empty, until
    a clinician's clearance is recorded (``program.clearance``) and the therapist sets
    exercises."""
    status, assessment = _find(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    care = program_for(assessment)
    program = care.to_dict()
    sessions = list(sessions_of(assessment))
    for out, item in zip(program["items"], care.items, strict=True):
        out["illustration_url"] = _illustration(request, item.exercise)
        out["progress"] = presenters.explain_item(item, sessions)
    return Status(
        200,
        {
            "assessment_id": assessment.pk,
            "days_since_onset": days_since_onset(assessment),
            "plan": _in_reader_language(plan_for(assessment)),
            "program": _in_reader_language(program),
        },
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
)
def list_sessions(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """Logged sessions, newest first, and this week's sessions against the plan (the week
    in the signed-in person's time zone, else UTC)."""
    status, assessment = _find(request, assessment_id)
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
    status, assessment = _find_writable(request, assessment_id)
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
)
def get_session(request: HttpRequest, assessment_id: UUID, session_id: UUID) -> Status[Any]:
    status, assessment = _find(request, assessment_id)
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
)
def check_in_session(
    request: HttpRequest, assessment_id: UUID, session_id: UUID, payload: CheckInIn
) -> Status[Any]:
    """How the pain was the next morning. The pain-monitoring rule then moves each exercise
    family done in the session one level up, holds it, or one level down, and explains
    why. 409 when it is too early (the check-in opens 8 hours after the session) or the
    session was already checked in."""
    status, assessment = _find_writable(request, assessment_id)
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
