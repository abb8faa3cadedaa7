"""Administrators take an exercise out of use, and bring it back: the only code that writes
``care.ExerciseWithdrawal``.

An exercise's text, pictures and dosage are reviewed clinical data
(``clinical/data/exercises.yaml``), changed through review with their citations. What an
administrator can do at once, without a release, is stop using one: after a safety report,
a complaint, a picture that misleads. A withdrawn exercise is

* no longer in the library or the API's list; its own page says it is not in use and why,
  without the instructions;
* left out when a program is built (``open_library``: the rules choose from the rest, so a
  family's ladder stops below it or starts above it, and a family with nothing left is not
  in the program), and not offered to a therapist prescribing;
* a prescription of it is paused: its family goes back to what the rules choose without it
  (or leaves the program, when they choose nothing), and the patient and the therapist are
  told why (``CareProgram.paused``); it comes back as it was when the exercise does;
* named, with the reason, on the program and player pages of anyone whose program had it;
  each therapist whose prescription of it is paused gets an alert (``exercise_withdrawn``,
  heard by the clinic app) and an e-mail naming nobody.

Withdrawing and bringing back are audited (the exercise id only) and kept: a row is never
deleted or changed except to record that the exercise was brought back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.care.models import WITHDRAWAL_REASON_MAX, ExerciseWithdrawal
from rehabit.care.signals import exercise_withdrawn
from rehabit.clinical.exercises import Exercise, get_exercise, load_exercises
from rehabit.mail.words import their_words


class WithdrawalError(ValueError):
    """A withdrawal that cannot be made as asked: ``field`` names the part ("" for none)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Withdrawn:
    """What a patient or a therapist is told about an exercise out of use."""

    exercise_id: str
    name: str
    reason: str
    since: datetime
    # A therapist prescribed it for this person: that prescription is paused.
    prescribed: bool = False


def standing() -> dict[str, ExerciseWithdrawal]:
    """The withdrawals in force, by exercise id (one indexed query)."""
    rows = ExerciseWithdrawal.objects.filter(restored_at__isnull=True)
    return {row.exercise_id: row for row in rows}


def open_library(withdrawn: frozenset[str] | None = None) -> tuple[Exercise, ...]:
    """The library without the exercises out of use (``withdrawn``: their ids, when the
    caller has read them already)."""
    out = frozenset(standing()) if withdrawn is None else withdrawn
    return tuple(e for e in load_exercises() if e.id not in out)


def told(rows: Sequence[ExerciseWithdrawal]) -> list[Withdrawn]:
    """The withdrawals as patients and therapists are told them (library order)."""
    known = {e.id: e for e in load_exercises()}
    return [
        Withdrawn(row.exercise_id, known[row.exercise_id].name, row.reason, row.withdrawn_at)
        for row in sorted(rows, key=lambda r: r.exercise_id)
        if row.exercise_id in known
    ]


def clean_reason(value: object) -> str:
    """The reason as patients will read it (``rehabit.mail.words.their_words``: no control
    characters, no invisible format characters, such as direction controls that turn the
    text around or blank letters that hide it); raises WithdrawalError."""
    text, problem = their_words(
        value,
        limit=WITHDRAWAL_REASON_MAX,
        required=True,
        what=_("reason"),
        missing=_("Say why, in words a patient understands: it is shown to them."),
    )
    if problem:
        raise WithdrawalError("reason", problem)
    return text


def _exercise(exercise_id: object) -> Exercise:
    try:
        return get_exercise(str(exercise_id or ""))
    except KeyError:
        raise WithdrawalError("exercise", _("There is no such exercise in the library.")) from None


def withdraw(exercise_id: object, reason: object, *, request: HttpRequest) -> ExerciseWithdrawal:
    """Take the exercise out of use now; raises WithdrawalError."""
    exercise = _exercise(exercise_id)
    text = clean_reason(reason)
    try:
        with transaction.atomic():
            row = ExerciseWithdrawal.objects.create(
                exercise_id=exercise.id, reason=text, withdrawn_by=request.user
            )
            # The therapists whose prescription of it is now paused are told (the clinic).
            exercise_withdrawn.send(sender=ExerciseWithdrawal, withdrawal=row)
    except IntegrityError:
        raise WithdrawalError("", _("This exercise is already out of use.")) from None
    record(
        AuditAction.EXERCISE_WITHDRAWN,
        request=request,
        target_type="exercise",
        target_id=exercise.id,
    )
    return row


def restore(exercise_id: object, *, request: HttpRequest) -> bool:
    """Bring the exercise back into use; False when it was not out of use."""
    exercise = _exercise(exercise_id)
    with transaction.atomic():
        changed = ExerciseWithdrawal.objects.filter(
            exercise_id=exercise.id, restored_at__isnull=True
        ).update(restored_at=timezone.now(), restored_by=request.user)
    if changed:
        record(
            AuditAction.EXERCISE_RESTORED,
            request=request,
            target_type="exercise",
            target_id=exercise.id,
        )
    return bool(changed)
