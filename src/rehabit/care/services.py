"""Writes of the exercise log: the only place that creates sessions, records check-ins,
moves program levels and stores the medicine safety answers.

The web pages and the API call the same functions, so both accept exactly the same input
and give the same field-level messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.assessments.models import Assessment
from rehabit.care.models import (
    NOTE_MAX_LENGTH,
    Difficulty,
    ExerciseSession,
    MedicationAnswers,
    NextMorning,
    ProgramLevel,
    ProgressionStep,
)
from rehabit.care.programs import CareProgram, medication_questions, program_for, watch_items
from rehabit.care.signals import check_in_recorded
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.medication import SCREEN_ANSWERS, validate_medication_answers
from rehabit.clinical.progression import SessionOutcome, next_step
from rehabit.clinical.selfcare_signs import WatchItem
from rehabit.core.inputs import whole_number

# The check-in asks how the pain was "the next morning": it opens this long after the
# session (expert choice: an evening session, then a night's sleep).
CHECK_IN_AFTER = timedelta(hours=8)
IDEMPOTENCY_KEY_MAX = 64


class FieldErrors(ValueError):
    """Input with problems, as field id -> messages (shown beside each field)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class Refused(ValueError):
    """A valid request that cannot be done now (e.g. no program, already answered)."""


# --- Logging a session -------------------------------------------------------------------


def _score(value: object) -> int | None:
    """A 0-10 rating from a form (text) or JSON (a whole number); None if it is neither."""
    return whole_number(value, 0, 10)


def clean_session_log(
    data: Mapping[str, Any], program: CareProgram, *, child: bool = False
) -> dict[str, Any]:
    """Check a session log; return the clean values or raise FieldErrors for every field
    with a problem (nothing is half-stored). ``child``: a parent logs their child's
    session, and the messages speak of the child."""
    errors: dict[str, list[str]] = {}
    allowed = program.allowed_exercises()
    raw_ids = data.get("exercise_ids")
    ids: list[str] = []
    if isinstance(raw_ids, str):
        raw_ids = [raw_ids]
    if not isinstance(raw_ids, list | tuple) or not raw_ids:
        errors["exercise_ids"] = [
            _("Choose at least one exercise your child did.")
            if child
            else _("Choose at least one exercise you did.")
        ]
    else:
        unknown = [str(i) for i in raw_ids if not isinstance(i, str) or i not in allowed]
        if unknown:
            not_in_program = (
                _("Not an exercise in your child's program: %(ids)s.")
                if child
                else _("Not an exercise in your program: %(ids)s.")
            )
            errors["exercise_ids"] = [not_in_program % {"ids": ", ".join(unknown)}]
        ids = list(dict.fromkeys(i for i in raw_ids if isinstance(i, str) and i in allowed))
    clean: dict[str, Any] = {}
    labels = (
        {
            "pain_during": _(
                "Choose the worst pain your child felt during the exercises, from 0 to 10."
            ),
            "pain_after": _(
                "Choose the pain your child feels now, after the exercises, from 0 to 10."
            ),
        }
        if child
        else {
            "pain_during": _("Choose the worst pain you felt during the exercises, from 0 to 10."),
            "pain_after": _("Choose the pain you feel now, after the exercises, from 0 to 10."),
        }
    )
    for key, message in labels.items():
        score = _score(data.get(key))
        if score is None:
            errors[key] = [message]
        clean[key] = score
    difficulty = data.get("difficulty")
    if difficulty not in Difficulty.values:
        errors["difficulty"] = [
            _("Choose how hard the session felt for your child.")
            if child
            else _("Choose how hard the session felt.")
        ]
    note = data.get("note") or ""
    if not isinstance(note, str):
        errors["note"] = [_("The note must be text.")]
        note = ""
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [
            _("Keep the note to %(max)s characters or fewer (it has %(n)s).")
            % {"max": NOTE_MAX_LENGTH, "n": len(note)}
        ]
    if errors:
        raise FieldErrors(errors)
    order = {ex_id: n for n, ex_id in enumerate(allowed)}
    done = sorted(ids, key=lambda i: order[i])
    clean["exercises"] = [
        {
            "exercise_id": ex_id,
            "family": allowed[ex_id].family,
            "level": next(lv for lv, e in allowed[ex_id].ladder.items() if e == ex_id),
        }
        for ex_id in done
    ]
    clean["difficulty"] = difficulty
    clean["note"] = note
    return clean


def log_session(
    assessment: Assessment,
    data: Mapping[str, Any],
    *,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[ExerciseSession, bool]:
    """Store one session in the assessment's log. Returns (session, created): a retry with
    the same idempotency key returns the session stored the first time.

    Raises Refused when the assessment has no exercise program (red flags, or a cause that
    needs a clinician first), FieldErrors for invalid input.
    """
    key = (idempotency_key or "").strip()[:IDEMPOTENCY_KEY_MAX]
    if key:
        existing = ExerciseSession.objects.filter(assessment=assessment, idempotency_key=key)
        if (found := existing.first()) is not None:
            return found, False
    program = program_for(assessment, now=now)
    if program.suppressed or not program.items:
        raise Refused(_("There is no exercise program for this assessment to log against."))
    clean = clean_session_log(data, program, child=is_child(assessment.answers.get("age")))
    try:
        with transaction.atomic():
            session = ExerciseSession.objects.create(
                assessment=assessment,
                logged_at=now or timezone.now(),
                idempotency_key=key,
                **clean,
            )
    except IntegrityError:
        if not key:
            raise
        return ExerciseSession.objects.get(assessment=assessment, idempotency_key=key), False
    return session, True


# --- The next-morning check-in and progression ---------------------------------------------


def check_in_opens_at(session: ExerciseSession) -> datetime:
    return session.logged_at + CHECK_IN_AFTER


def clean_signs(data: Mapping[str, Any], watch: tuple[WatchItem, ...]) -> list[WatchItem]:
    """The warning signs ticked (ids of the plan's "signs to watch for"); none is fine."""
    getlist = getattr(data, "getlist", None)
    raw = getlist("signs") if getlist is not None else data.get("signs")
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [raw]
    known = {w.id: w for w in watch}
    if not isinstance(raw, list | tuple) or any(s not in known for s in raw):
        raise FieldErrors({"signs": [_("Tick only signs from the list.")]})
    return [known[s] for s in dict.fromkeys(raw)]


def clean_check_in(data: Mapping[str, Any]) -> tuple[str, bool]:
    errors: dict[str, list[str]] = {}
    morning = data.get("next_morning")
    if morning not in NextMorning.values:
        errors["next_morning"] = [
            _("Choose how the pain was this morning: better, about the same, or worse.")
        ]
    settled = data.get("settled_within_24h")
    if isinstance(settled, str):
        settled = {"yes": True, "no": False, "true": True, "false": False}.get(settled.lower())
    if not isinstance(settled, bool):
        errors["settled_within_24h"] = [_("Say whether any pain from the exercises has settled.")]
    if errors:
        raise FieldErrors(errors)
    return str(morning), bool(settled)


def _outcome(session: ExerciseSession) -> SessionOutcome:
    return SessionOutcome(
        pain_during=session.pain_during,
        next_morning=session.next_morning,  # type: ignore[arg-type]
        settled_within_24h=bool(session.settled_within_24h),
    )


def check_in(
    assessment: Assessment,
    session_id: Any,
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> list[ProgressionStep]:
    """Record how a session felt the next morning, then apply the pain-monitoring rule to
    each exercise family done in it: one step up, hold or one step down, explained.

    Warning signs ticked (``signs``: the plan's "signs to watch for") are stored with it.
    Listeners of ``check_in_recorded`` (the clinic's alerts) run in the same transaction.

    Raises FieldErrors, Refused (too early, already answered) or
    ExerciseSession.DoesNotExist.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        morning, settled = clean_check_in(data)
    except FieldErrors as exc:
        errors.update(exc.errors)
    try:
        signs = clean_signs(data, watch_items(assessment, now=now))
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        # One check-in at a time per assessment: levels move one step per decision.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        session = ExerciseSession.objects.select_for_update().get(
            pk=session_id, assessment=assessment
        )
        if session.checked_in_at is not None:
            raise Refused(_("You have already told us how this session felt."))
        if now < check_in_opens_at(session):
            raise Refused(
                _(
                    "It is too early to say how this session felt the next morning. "
                    "Come back after a night's sleep."
                )
            )
        session.next_morning = morning
        session.settled_within_24h = settled
        session.checked_in_at = now
        session.warning_signs = [s.id for s in signs]
        session.save(
            update_fields=["next_morning", "settled_within_24h", "checked_in_at", "warning_signs"]
        )
        steps = _progress(assessment, session, now)
        check_in_recorded.send(sender=ExerciseSession, session=session, steps=steps, signs=signs)
        return steps


def _progress(
    assessment: Assessment, session: ExerciseSession, now: datetime
) -> list[ProgressionStep]:
    program = program_for(assessment, now=now)
    earlier = list(
        ExerciseSession.objects.filter(
            assessment=assessment,
            checked_in_at__isnull=False,
            logged_at__lte=session.logged_at,
        )
        .exclude(pk=session.pk)
        .order_by("logged_at")
    )
    steps = []
    for family in session.families:
        item = program.item_for(family)
        if item is None:
            continue  # no longer part of the program at this stage
        history = [_outcome(s) for s in earlier if family in s.families] + [_outcome(session)]
        decision = next_step(
            history,
            item.level,
            item.levels,
            ceiling=item.max_pain,
            level_names=item.level_names,
            rule=item.rule,
        )
        ProgramLevel.objects.update_or_create(
            assessment=assessment,
            family=family,
            defaults={"level": decision.to_level, "updated_at": now},
        )
        params = {
            **dict(decision.params),
            "level_exercises": {str(lv): ex for lv, ex in item.ladder.items()},
        }
        steps.append(
            ProgressionStep.objects.create(
                session=session,
                assessment=assessment,
                family=family,
                action=decision.action,
                from_level=decision.from_level,
                to_level=decision.to_level,
                zone=decision.zone,
                reason=decision.reason,
                template=decision.template,
                params=params,
                decided_at=now,
            )
        )
    return steps


# --- Medicine safety answers ----------------------------------------------------------------


def save_medication_answers(assessment: Assessment, data: Mapping[str, Any]) -> dict[str, str]:
    """Store the answers to the questions the assessment left open. Every one needs an
    answer ("not sure" is an answer); raises FieldErrors naming each one that is missing."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for question in medication_questions(assessment):
        value = data.get(question.id)
        if value not in SCREEN_ANSWERS:
            errors[question.id] = [_("Choose yes, no or not sure.")]
        else:
            clean[question.id] = str(value)
    if errors:
        raise FieldErrors(errors)
    validate_medication_answers(clean)  # the core's own check: known ids, known values
    MedicationAnswers.objects.update_or_create(
        assessment=assessment, defaults={"answers": clean, "updated_at": timezone.now()}
    )
    return clean
