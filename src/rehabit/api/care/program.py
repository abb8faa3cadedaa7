"""The home exercise program as the plan endpoint sends it: each exercise family at the
level the person has reached, a clinician's clearance after a red flag, and the exercises
taken out of use."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from rehabit.api.care.exercises import DosageOut


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
