"""A patient's chart for their therapist, assembled from what each app keeps.

The intake summary of the chosen assessment (the latest by default), the self-care plan,
the home program with exercise names and levels (and the therapist's prescription), this
week's adherence and the weeks before, the exercise log with the patient's own notes, the
next-morning check-ins, outcome trends (when ``rehabit.outcomes`` is installed), the
sessions with this therapist and the clinical notes. The caller has opened the chart
through ``access.open_chart`` (audited); nothing here decides access.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rehabit.assessments.models import Assessment
from rehabit.care import presenters as care
from rehabit.care.adherence import weekly_adherence
from rehabit.care.models import ExerciseSession
from rehabit.care.programs import plan_for, program_for, watch_items
from rehabit.care.selectors import sessions_of
from rehabit.charts import notes as clinical_notes
from rehabit.charts.presenters import intake_context
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.intake import intake_summary

LOG_LENGTH = 30
ADHERENCE_WEEKS = 4


def assessments_of(patient: Any) -> list[Assessment]:
    return list(Assessment.objects.filter(owner=patient).order_by("-created_at"))


def chosen_assessment(patient: Any, assessment_id: object = None) -> Assessment | None:
    """The assessment the chart shows: the one asked for (if the patient's), else the
    latest."""
    found = assessments_of(patient)
    for assessment in found:
        if assessment_id and str(assessment.pk) == str(assessment_id):
            return assessment
    return found[0] if found else None


def intake_of(assessment: Assessment) -> dict[str, Any]:
    summary = intake_summary(
        version=assessment.questionnaire_version,
        answers=assessment.answers,
        result=assessment.result,
        assessed_on=timezone.localdate(assessment.created_at),
    )
    return intake_context(summary)


def _exercise_name(exercise_id: object) -> str:
    try:
        return care.tr(get_exercise(str(exercise_id)).name)
    except KeyError:
        return str(exercise_id)


def log_rows(sessions: list[ExerciseSession], signs: dict[str, str]) -> list[dict[str, Any]]:
    """The exercise log: when, each exercise by name and level, pain, difficulty, the
    patient's note, and the next-morning check-in with any warning signs reported."""
    return [
        {
            "session": s,
            "exercises": [
                {"name": _exercise_name(item.get("exercise_id")), "level": item.get("level")}
                for item in s.exercises
            ],
            "note": s.note,
            "signs": [signs.get(str(sign), str(sign)) for sign in s.warning_signs or []],
        }
        for s in sessions
    ]


def program_rows(assessment: Assessment) -> dict[str, Any]:
    """The home program as the patient sees it: each item explained with the sessions
    they logged, so the chart never says "no session is logged yet" above one. Worded as
    the patient's own (``child=False``): a therapist reads the chart, not a child's parent
    (``care.selectors.read_by_a_parent``)."""
    program = program_for(assessment, child=False)
    sessions = list(sessions_of(assessment))
    return {
        "program": program,
        "phase": care.phase_label(program.phase),
        "items": [
            {
                "name": care.tr(item.exercise.name),
                "family": item.family,
                "level": item.level,
                "top": max(item.levels),
                "dosage": care.dosage_lines(item.dosage),
                "max_pain": item.max_pain,
                "rule": item.rule,
                "prescription": item.prescription,
                "explanation": care.explain_item(item, sessions),
            }
            for item in program.items
        ],
        "stopped": [care.stopped_row(p) for p in program.stopped],
    }


def adherence_weeks(assessment: Assessment, dosages: list[dict[str, object]]) -> list[Any]:
    """This week and the ``ADHERENCE_WEEKS - 1`` before it (Monday to Sunday, the viewer's
    zone), each sessions done against planned."""
    logged = list(
        ExerciseSession.objects.filter(assessment=assessment).values_list("logged_at", flat=True)
    )
    now, zone = timezone.now(), timezone.get_current_timezone()
    return [
        weekly_adherence(
            logged, dosages, now=now - timedelta(weeks=n), zone=zone, began=assessment.created_at
        )
        for n in range(ADHERENCE_WEEKS)
    ]


def outcome_trends(assessment: Assessment) -> dict[str, Any] | None:
    """Outcome measures over time, from ``rehabit.outcomes`` (issue 12) when it is
    installed: the "is this real improvement?" summary, the charts with their tables and
    a link to the full progress page. None without it."""
    if not apps.is_installed("rehabit.outcomes"):
        return None
    from rehabit.outcomes import presenters as outcomes
    from rehabit.outcomes.progress import summary_for, trend_for

    trend = trend_for(assessment)
    try:
        url = reverse("outcomes:progress", args=[assessment.pk])
    except NoReverseMatch:
        url = ""
    return {
        "summary": outcomes.summary_context(summary_for(assessment)),
        "charts": outcomes.chart_blocks(
            trend, id_prefix="chart", labelled=True, for_therapist=True
        ),
        "url": url,
    }


def note_sessions(sessions: list[Any]) -> list[dict[str, Any]]:
    """The sessions a new note may be about: those that hold their time (never a
    cancelled or moved one), newest first, each saying whether it has started; the latest
    that has started is chosen."""
    now = timezone.now()
    rows = [
        {"appointment": a, "started": a.start <= now, "chosen": False}
        for a in sessions
        if a.is_active
    ]
    started = [row for row in rows if row["started"]]
    if started:
        started[0]["chosen"] = True
    return rows


def chart_context(
    therapist_user: Any, patient: Any, assessment: Assessment | None
) -> dict[str, Any]:
    """Everything the chart page (and the API's chart summary) shows."""
    from rehabit.booking.models import Appointment

    context: dict[str, Any] = {
        "patient": patient,
        "assessment": assessment,
        "assessments": assessments_of(patient),
        "sessions_with_me": list(
            Appointment.objects.filter(patient=patient, therapist__user=therapist_user)
            .select_related("session_type")
            .order_by("-start")[:10]
        ),
        "notes": list(clinical_notes.visible_notes(therapist_user, patient)),
    }
    context["note_sessions"] = note_sessions(context["sessions_with_me"])
    if assessment is None:
        return context
    sessions = list(
        ExerciseSession.objects.filter(assessment=assessment).order_by("-logged_at")[:LOG_LENGTH]
    )
    # The plan and the signs in the patient's own words, as on the care pages a therapist
    # opens from here: the chart is read by staff, never by a child's parent.
    signs = {w.id: care.tr(w.sign) for w in watch_items(assessment, child=False)}
    program = program_rows(assessment)
    context.update(
        {
            "intake": intake_of(assessment),
            "plan": plan_for(assessment, child=False),
            "care": program,
            "adherence": adherence_weeks(assessment, program["program"].dosages()),
            "log": log_rows(sessions, signs),
            "check_ins": [row for row in log_rows(sessions, signs) if row["session"].next_morning],
            "outcomes": outcome_trends(assessment),
        }
    )
    return context
