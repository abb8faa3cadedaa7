"""The two note templates: a first video assessment and a follow-up.

A template fills the subjective part from what the patient already told Rehabit (the
intake summary for a first assessment; adherence, check-ins and the patient's notes since
the last signed note for a follow-up) for the therapist to confirm on the call, chooses
the tele-examination sections (``exam.sections_for``) and gives each SOAP part a hint.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from rehabit.care.models import ExerciseSession
from rehabit.charts.models import ClinicalNote, NoteKind, NoteStatus
from rehabit.core.timefmt import format_day

RECENT = 5


def hints(kind: str) -> dict[str, str]:
    if kind == NoteKind.FIRST_ASSESSMENT:
        return {
            "subjective": _(
                "History taken on the call: confirm the intake, onset and mechanism, "
                "24-hour pattern, function, goals, red flags asked again."
            ),
            "objective": _("What was seen on video; the structured tele-examination is below."),
            "assessment": _(
                "Clinical impression and reasoning, differential, irritability, what the "
                "video examination could not assess."
            ),
            "plan": _(
                "Education, home program and dosage, referral or imaging if needed, "
                "safety-netting, next session."
            ),
        }
    return {
        "subjective": _("Since the last session: symptoms, function, adherence, concerns."),
        "objective": _("Re-test of the signs that matter; the tele-examination is below."),
        "assessment": _("Progress against the goals and the reasoning for any change."),
        "plan": _("Changes to the program, education, next session, when to seek help."),
    }


def _first_assessment(intake: dict[str, Any] | None, assessment: Any) -> str:
    if intake is None or assessment is None:
        return _("No online assessment on record.") + "\n\n" + _("On the call:") + " "
    when = format_day(assessment.created_at)
    head = _("Online intake (%(date)s, questionnaire %(version)s):") % {
        "date": when,
        "version": intake["questionnaire_version"],
    }
    return "\n".join([head, *intake["narrative"], "", _("On the call:") + " "])


def _follow_up(patient: Any, assessment: Any, adherence: Any) -> str:
    lines = []
    last = (
        ClinicalNote.objects.filter(patient=patient, status=NoteStatus.SIGNED)
        .order_by("-signed_at")
        .first()
    )
    since = last.signed_at if last is not None else None
    if last is not None:
        lines.append(_("Since the note of %(date)s:") % {"date": format_day(since)})
    if adherence:
        week = adherence[0]
        lines.append(
            _("Home exercise this week: %(done)s of %(planned)s sessions.")
            % {"done": week.done, "planned": week.planned}
        )
    if assessment is not None:
        sessions = ExerciseSession.objects.filter(assessment=assessment)
        if since is not None:
            sessions = sessions.filter(logged_at__gte=since)
        for s in sessions.order_by("-logged_at")[:RECENT]:
            day = format_day(s.logged_at)
            line = _("%(day)s: pain %(during)s/10 during, %(after)s/10 after") % {
                "day": day,
                "during": s.pain_during,
                "after": s.pain_after,
            }
            if s.next_morning:
                line += "; " + _("next morning: %(answer)s") % {
                    "answer": s.get_next_morning_display().lower()
                }
            if s.note:
                line += "; " + _("patient's note: \u201c%(note)s\u201d") % {"note": s.note}
            lines.append(line)
    lines += ["", _("On the call:") + " "]
    return "\n".join(lines)


def prefill(kind: str, chart: dict[str, Any]) -> dict[str, str]:
    """The SOAP text a new note of ``kind`` starts with, from the chart's context."""
    assessment = chart.get("assessment")
    if kind == NoteKind.FIRST_ASSESSMENT:
        return {"subjective": _first_assessment(chart.get("intake"), assessment)}
    return {"subjective": _follow_up(chart["patient"], assessment, chart.get("adherence") or [])}
