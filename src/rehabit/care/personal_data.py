"""The exercise log in a person's data export, and back again on import.

For ``rehabit.accounts.data_rights``: ``export_care(user)`` gives everything this app holds
about the person's assessments, and their prevention log (JSON-ready);
``import_care(section, user)`` recreates it once the assessments themselves have been
imported (their ids are kept). Erasure needs nothing here: every row belongs to an
assessment, or (the prevention log) to the account, and is deleted with it (CASCADE).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from rehabit.care.models import (
    Clearance,
    ExerciseSession,
    MedicationAnswers,
    PrescribedExercise,
    PreventionSession,
    ProgramLevel,
    ProgressionStep,
)
from rehabit.core.exported import iso as _iso
from rehabit.core.exported import when as _when


def export_care(user: Any) -> dict[str, list[dict[str, Any]]]:
    mine = {"assessment__owner": user}
    return {
        "exercise_sessions": [
            {
                "id": str(s.id),
                "assessment_id": str(s.assessment_id),
                "logged_at": _iso(s.logged_at),
                "exercises": s.exercises,
                "pain_during": s.pain_during,
                "pain_after": s.pain_after,
                "difficulty": s.difficulty,
                "note": s.note,
                "next_morning": s.next_morning,
                "settled_within_24h": s.settled_within_24h,
                "checked_in_at": _iso(s.checked_in_at),
                "warning_signs": list(s.warning_signs or []),
            }
            for s in ExerciseSession.objects.filter(**mine).order_by("logged_at", "id")
        ],
        "program_levels": [
            {
                "assessment_id": str(p.assessment_id),
                "family": p.family,
                "level": p.level,
                "updated_at": _iso(p.updated_at),
            }
            for p in ProgramLevel.objects.filter(**mine).order_by("assessment_id", "family")
        ],
        "progression_steps": [
            {
                "session_id": str(p.session_id),
                "assessment_id": str(p.assessment_id),
                "family": p.family,
                "action": p.action,
                "from_level": p.from_level,
                "to_level": p.to_level,
                "zone": p.zone,
                "reason": p.reason,
                "template": p.template,
                "params": p.params,
                "decided_at": _iso(p.decided_at),
            }
            for p in ProgressionStep.objects.filter(**mine).order_by("decided_at", "id")
        ],
        "medication_answers": [
            {
                "assessment_id": str(m.assessment_id),
                "answers": m.answers,
                "updated_at": _iso(m.updated_at),
            }
            for m in MedicationAnswers.objects.filter(**mine).order_by("assessment_id")
        ],
        "prescriptions": [
            {
                "assessment_id": str(p.assessment_id),
                "family": p.family,
                "exercise_id": p.exercise_id,
                "dosage": p.dosage,
                "rule": p.rule,
                "note": p.note,
                "reason": p.reason,
                "prescribed_by": p.prescriber_name,
                "prescribed_at": _iso(p.prescribed_at),
            }
            for p in PrescribedExercise.objects.filter(**mine).order_by("prescribed_at", "id")
        ],
        "clearances": [
            {
                "assessment_id": str(c.assessment_id),
                "checked_by": c.checked_by,
                "checked_on": c.checked_on.isoformat(),
                "finding": c.finding,
                "recorded_by": c.recorder_name,
                "recorded_at": _iso(c.recorded_at),
                "withdrawn_at": _iso(c.withdrawn_at),
                "withdrawn_reason": c.withdrawn_reason,
            }
            for c in Clearance.objects.filter(**mine).order_by("recorded_at", "id")
        ],
        # The prevention programme's log: the person's own, not tied to an assessment.
        "prevention_sessions": [
            {
                "id": str(p.id),
                "routine": p.routine,
                "week": p.week,
                "logged_at": _iso(p.logged_at),
                "exercises": p.exercises,
                "pain_during": p.pain_during,
                "pain_after": p.pain_after,
                "difficulty": p.difficulty,
                "note": p.note,
            }
            for p in PreventionSession.objects.filter(owner=user).order_by("logged_at", "id")
        ],
    }


@transaction.atomic
def import_care(section: Mapping[str, Any], user: Any = None) -> None:
    """Recreate an exported care section (the assessments must exist already); the
    prevention log becomes ``user``'s."""
    for s in section.get("exercise_sessions") or []:
        ExerciseSession.objects.create(
            id=s["id"],
            assessment_id=s["assessment_id"],
            logged_at=_when(s["logged_at"]),
            exercises=s["exercises"],
            pain_during=s["pain_during"],
            pain_after=s["pain_after"],
            difficulty=s["difficulty"],
            note=s.get("note", ""),
            next_morning=s.get("next_morning", ""),
            settled_within_24h=s.get("settled_within_24h"),
            checked_in_at=_when(s.get("checked_in_at")),
            warning_signs=s.get("warning_signs") or [],
        )
    for p in section.get("program_levels") or []:
        ProgramLevel.objects.create(
            assessment_id=p["assessment_id"],
            family=p["family"],
            level=p["level"],
            updated_at=_when(p["updated_at"]),
        )
    for p in section.get("progression_steps") or []:
        ProgressionStep.objects.create(
            session_id=p["session_id"],
            assessment_id=p["assessment_id"],
            family=p["family"],
            action=p["action"],
            from_level=p["from_level"],
            to_level=p["to_level"],
            zone=p["zone"],
            reason=p["reason"],
            template=p["template"],
            params=p["params"],
            decided_at=_when(p["decided_at"]),
        )
    for m in section.get("medication_answers") or []:
        MedicationAnswers.objects.create(
            assessment_id=m["assessment_id"],
            answers=m["answers"],
            updated_at=_when(m["updated_at"]),
        )
    for p in section.get("prescriptions") or []:
        PrescribedExercise.objects.create(
            assessment_id=p["assessment_id"],
            family=p["family"],
            exercise_id=p.get("exercise_id") or "",
            dosage=p.get("dosage") or {},
            rule=p.get("rule") or "automatic",
            note=p.get("note", ""),
            reason=p.get("reason", ""),
            prescriber_name=p.get("prescribed_by", ""),
            prescribed_at=_when(p["prescribed_at"]),
        )
    for c in section.get("clearances") or []:
        Clearance.objects.create(
            assessment_id=c["assessment_id"],
            checked_by=c["checked_by"],
            checked_on=date.fromisoformat(c["checked_on"]),
            finding=c["finding"],
            recorder_name=c.get("recorded_by", ""),
            recorded_at=_when(c["recorded_at"]),
            withdrawn_at=_when(c.get("withdrawn_at")),
            withdrawn_reason=c.get("withdrawn_reason", ""),
        )
    for p in section.get("prevention_sessions") or []:
        PreventionSession.objects.create(
            id=p["id"],
            owner=user,
            routine=p["routine"],
            week=p.get("week"),
            logged_at=_when(p["logged_at"]),
            exercises=p["exercises"],
            pain_during=p["pain_during"],
            pain_after=p["pain_after"],
            difficulty=p["difficulty"],
            note=p.get("note", ""),
        )
