"""The self-care plan and home program of an assessment, as of today, in the reader's
language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.care.access import find_assessment
from rehabit.api.care.exercises import absolute_illustration_url
from rehabit.api.care.program import ProgramOut
from rehabit.api.schemas import MessageOut, NotFoundOut, ValidationErrorOut
from rehabit.care import presenters
from rehabit.care.programs import days_since_onset, plan_for, program_for
from rehabit.care.selectors import patient_named, read_by_a_parent, sessions_of
from rehabit.core.reviewed_text import tr

router = Router(tags=["self-care and exercises"])


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


class PlanOut(Schema):
    assessment_id: UUID
    days_since_onset: int | None
    plan: SelfCarePlanOut
    program: ProgramOut


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


@router.get(
    "/assessments/{assessment_id}/plan",
    response={200: PlanOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="Self-care plan and home program of an assessment",
    operation_id="rehabit_api_care_get_plan",
)
def get_plan(request: HttpRequest, assessment_id: UUID) -> Status[Any]:
    """As of today: the stage by the days since the pain began, the medicine advice after
    the safety screen, and each exercise family at the level the person has reached. After
    a red flag the plan is suppressed (urgent advice first) and the program is empty, until
    a clinician's clearance is recorded (``program.clearance``) and the therapist sets
    exercises."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    # A child's plan and program speak of "your child" to the parent who answered; anyone
    # else (the treating therapist, an admin) reads the patient's own words, as on the
    # pages (``care.selectors.read_by_a_parent``): the core words them for that reader.
    child = read_by_a_parent(assessment, patient_named(request, assessment))
    care = program_for(assessment, child=child)
    program = care.to_dict()
    sessions = list(sessions_of(assessment))
    for out, item in zip(program["items"], care.items, strict=True):
        out["illustration_url"] = absolute_illustration_url(request, item.exercise)
        out["progress"] = presenters.explain_item(item, sessions)
    return Status(
        200,
        {
            "assessment_id": assessment.pk,
            "days_since_onset": days_since_onset(assessment),
            "plan": _in_reader_language(plan_for(assessment, child=child)),
            "program": _in_reader_language(program),
        },
    )
