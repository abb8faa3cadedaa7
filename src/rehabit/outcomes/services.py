"""Writes of the pain diary and the outcome measures: the only place that stores them.

Pages and the API call the same functions, so both accept exactly the same input and give
the same field-level messages (``FieldErrors``, as the exercise log does). Nothing is
half-stored: every write checks all its fields first and then runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.assessments.models import Assessment
from rehabit.care.services import FieldErrors, Refused
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.outcomes import bridge_symmetry, load_outcomes, score_psfs
from rehabit.core.inputs import InputRefused, parse_date, whole_number
from rehabit.core.timefmt import format_day
from rehabit.outcomes.models import (
    ACTIVITY_MAX_LENGTH,
    DiaryEntry,
    FunctionActivity,
    Measure,
    MeasureRecord,
    Morning,
)

PAIN_FIELDS = ("pain_now", "pain_worst", "pain_during_exercise", "pain_after_exercise")

__all__ = ["FieldErrors", "Refused", "record_bridge", "record_psfs", "save_diary_entry"]


def _rating(value: object, high: int = 10) -> int | None:
    """A whole number 0..high from a form (text) or JSON (a number); None if it is not."""
    return whole_number(value, 0, high)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _yes_no(value: object) -> bool | None | str:
    """True/False, None when not answered, or "bad"."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        found = {"yes": True, "no": False, "true": True, "false": False}.get(value.strip().lower())
        if found is not None:
            return found
    return "bad"


def _day(
    value: object, *, first_day: date, today: date, errors: dict[str, list[str]], child: bool
) -> date:
    if _blank(value):
        return today
    try:
        day = value if isinstance(value, date) else parse_date(str(value))
    except (InputRefused, ValueError):
        errors["entry_date"] = [_("Enter the day as year-month-day, for example 2027-01-31.")]
        return today
    if not first_day <= day <= today:
        message = (
            _("Choose a day from the day of your child's check (%(first)s) to today (%(today)s).")
            if child
            else _("Choose a day from the day of your check (%(first)s) to today (%(today)s).")
        )
        errors["entry_date"] = [
            message % {"first": format_day(first_day), "today": format_day(today)}
        ]
    return day


def clean_diary(
    data: Mapping[str, Any], *, first_day: date, today: date, child: bool = False
) -> dict[str, Any]:
    """Check a diary entry; return the clean values or raise FieldErrors naming every
    field with a problem (``child``: a parent answers about their child, and the messages
    say "your child's pain")."""
    errors: dict[str, list[str]] = {}
    day = _day(data.get("entry_date"), first_day=first_day, today=today, errors=errors, child=child)
    clean: dict[str, Any] = {"entry_date": day}
    required = (
        {
            "pain_now": _("Choose how bad your child's pain is now, from 0 to 10."),
            "pain_worst": _(
                "Choose how bad your child's pain was at its worst in the last 24 hours, 0 to 10."
            ),
        }
        if child
        else {
            "pain_now": _("Choose how bad the pain is now, from 0 to 10."),
            "pain_worst": _(
                "Choose how bad the pain was at its worst in the last 24 hours, 0 to 10."
            ),
        }
    )
    for key in PAIN_FIELDS:
        raw = data.get(key)
        if key not in required and _blank(raw):
            clean[key] = None
            continue
        score = _rating(raw)
        if score is None:
            errors[key] = [
                required.get(key) or _("Choose a number from 0 to 10, or leave it empty.")
            ]
        clean[key] = score
    now_, worst = clean.get("pain_now"), clean.get("pain_worst")
    if now_ is not None and worst is not None and worst < now_:
        errors["pain_worst"] = [
            _("Your child's worst pain in the last 24 hours cannot be lower than their pain now.")
            if child
            else _("The worst pain in the last 24 hours cannot be lower than the pain now.")
        ]
    morning = data.get("next_morning")
    if _blank(morning):
        clean["next_morning"] = ""
    elif morning in Morning.values:
        clean["next_morning"] = str(morning)
    else:
        errors["next_morning"] = [_("Choose better, about the same or worse, or leave it empty.")]
    sleep = _yes_no(data.get("sleep_disturbed"))
    if sleep == "bad":
        errors["sleep_disturbed"] = [_("Answer yes or no, or leave it empty.")]
    clean["sleep_disturbed"] = sleep if sleep != "bad" else None
    activity = data.get("activity") or ""
    if not isinstance(activity, str):
        errors["activity"] = [
            _("Describe what your child did in words.")
            if child
            else _("Describe what you did in words.")
        ]
        activity = ""
    activity = activity.strip()
    if len(activity) > ACTIVITY_MAX_LENGTH:
        errors["activity"] = [
            _("Keep it to %(max)s characters or fewer (it has %(n)s).")
            % {"max": ACTIVITY_MAX_LENGTH, "n": len(activity)}
        ]
    clean["activity"] = activity
    if errors:
        raise FieldErrors(errors)
    return clean


def save_diary_entry(
    assessment: Assessment,
    data: Mapping[str, Any],
    *,
    first_day: date,
    today: date,
    now: datetime | None = None,
) -> tuple[DiaryEntry, bool]:
    """Store the day's entry (a second save of the same day updates it). Returns (entry,
    created). A child's entry (a parent answers) is checked with a parent's messages."""
    child = is_child(assessment.answers.get("age"))
    clean = clean_diary(data, first_day=first_day, today=today, child=child)
    now = now or timezone.now()
    day = clean.pop("entry_date")
    fields = {**clean, "updated_at": now}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                entry, created = DiaryEntry.objects.select_for_update().get_or_create(
                    assessment=assessment, entry_date=day, defaults={**fields, "logged_at": now}
                )
                if not created:
                    for key, value in fields.items():
                        setattr(entry, key, value)
                    entry.save(update_fields=list(fields))
                return entry, created
        except IntegrityError:
            continue  # the same day saved twice at once: the second updates the first
    raise Refused(_("Your entry could not be saved. Please try again."))


# --- The activities you find hard (PSFS) -----------------------------------------------------


def activities_of(assessment: Assessment) -> list[FunctionActivity]:
    return list(FunctionActivity.objects.filter(assessment=assessment).order_by("position"))


def set_activities(assessment: Assessment, names: list[Any]) -> list[FunctionActivity]:
    """Store the 3-5 activities the person chose. They stay the same once rated, so every
    score compares like with like."""
    rules = load_outcomes()
    fewest, most = rules.psfs_activities
    longest = rules.activity_max_length
    given = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    errors: dict[str, list[str]] = {}
    if any(not isinstance(n, str) for n in names):
        errors["activities"] = [_("Write each activity in words.")]
    elif not fewest <= len(given) <= most:
        errors["activities"] = [
            _("Name from %(fewest)s to %(most)s activities (you named %(n)s).")
            % {"fewest": fewest, "most": most, "n": len(given)}
        ]
    too_long = [n for n in given if len(n) > longest]
    if too_long:
        errors["activities"] = [
            _("Keep each activity to %(max)s characters or fewer.") % {"max": longest}
        ]
    if len({n.casefold() for n in given}) != len(given):
        errors["activities"] = [_("Name each activity only once.")]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if MeasureRecord.objects.filter(assessment=assessment, measure=Measure.PSFS).exists():
            raise Refused(
                _(
                    "You have already rated these activities. They stay the same, so that "
                    "each score compares like with like."
                )
            )
        FunctionActivity.objects.filter(assessment=assessment).delete()
        return [
            FunctionActivity.objects.create(assessment=assessment, position=n, name=name)
            for n, name in enumerate(given, start=1)
        ]


def _store(assessment: Assessment, measure: str, day: date, values: dict[str, Any],
           score: float) -> tuple[MeasureRecord, bool]:  # fmt: skip
    with transaction.atomic():
        record, created = MeasureRecord.objects.select_for_update().update_or_create(
            assessment=assessment,
            measure=measure,
            taken_on=day,
            defaults={"values": values, "score": score, "recorded_at": timezone.now()},
        )
    return record, created


def record_psfs(
    assessment: Assessment, data: Mapping[str, Any], *, today: date
) -> tuple[MeasureRecord, bool]:
    """Today's ratings of the chosen activities, each 0 (unable) to 10 (as before). A
    child's (a parent answers) are checked with a parent's messages."""
    child = is_child(assessment.answers.get("age"))
    activities = activities_of(assessment)
    if not activities:
        raise Refused(
            _("First name the activities your child finds hard, then rate them.")
            if child
            else _("First name the activities you find hard, then rate them.")
        )
    raw = data.get("ratings")
    if not isinstance(raw, list | tuple):
        raw = [data.get(f"rating_{a.position}") for a in activities]
    errors: dict[str, list[str]] = {}
    ratings: list[int] = []
    if len(raw) != len(activities):
        rate_each = (
            _("Rate each of your child's %(n)s activities.")
            if child
            else _("Rate each of your %(n)s activities.")
        )
        errors["ratings"] = [rate_each % {"n": len(activities)}]
    else:
        for activity, value in zip(activities, raw, strict=True):
            rating = _rating(value)
            if rating is None:
                errors[f"rating_{activity.position}"] = [
                    _("Choose a number from 0 (my child cannot do it) to 10 (as well as before).")
                    if child
                    else _("Choose a number from 0 (I cannot do it) to 10 (as well as before).")
                ]
            else:
                ratings.append(rating)
    if errors:
        raise FieldErrors(errors)
    values = {"ratings": ratings, "activities": [a.name for a in activities]}
    return _store(assessment, Measure.PSFS, today, values, score_psfs(ratings))


def record_bridge(
    assessment: Assessment, data: Mapping[str, Any], *, today: date, phase: str | None
) -> tuple[MeasureRecord, bool]:
    """Today's single-leg bridge test: repetitions on the sore leg and, if tested, the
    other leg; whether pain stopped it. A child's (a parent counts) is checked with a
    parent's messages."""
    child = is_child(assessment.answers.get("age"))
    rules = load_outcomes()
    if phase is None or phase in rules.bridge.not_in_phases:
        raise Refused(
            _(
                "The bridge test is not for now: it loads the back of the thigh hard, so it "
                "waits until the first days after the injury are over and your child has "
                "exercises."
            )
            if child
            else _(
                "The bridge test is not for now: it loads the back of the thigh hard, so it "
                "waits until the first days after the injury are over and you have exercises."
            )
        )
    high = rules.measures["bridge"].high
    errors: dict[str, list[str]] = {}
    sore = _rating(data.get("sore_side"), high)
    if sore is None:
        sore_message = (
            _("Enter how many full repetitions your child did on their sore leg (0 to %(n)s).")
            if child
            else _("Enter how many full repetitions you did on your sore leg (0 to %(n)s).")
        )
        errors["sore_side"] = [sore_message % {"n": high}]
    other = None
    if not _blank(data.get("other_side")):
        other = _rating(data.get("other_side"), high)
        if other is None:
            other_message = (
                _(
                    "Enter the repetitions on your child's other leg (0 to %(n)s), or leave it "
                    "empty."
                )
                if child
                else _("Enter the repetitions on your other leg (0 to %(n)s), or leave it empty.")
            )
            errors["other_side"] = [other_message % {"n": high}]
    stopped = _yes_no(data.get("stopped_for_pain"))
    if stopped == "bad":
        errors["stopped_for_pain"] = [_("Answer yes or no.")]
    if errors:
        raise FieldErrors(errors)
    values = {
        "sore": sore,
        "other": other,
        "stopped_for_pain": bool(stopped),
        "symmetry_percent": bridge_symmetry(sore, other) if other is not None else None,
    }
    return _store(assessment, Measure.BRIDGE, today, values, float(sore or 0))
