"""The progress report as a PDF: an HTML template rendered by WeasyPrint.

Assessment summary, self-care plan, exercise programme with levels, adherence, the pain
diary, the outcome measures with their charts and "is this real improvement?", for the
person to download or share with a clinician; downloaded by the clinician, it is about the
person (``patient_name``). Times and days in the viewer's zone. The content depends only on
the data, the day and who reads it, so the same data gives the same text.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from rehabit.care.adherence import weekly_adherence
from rehabit.care.models import ExerciseSession
from rehabit.care.presenters import dosage_lines, phase_label
from rehabit.care.programs import plan_for, program_for
from rehabit.care.selectors import read_by_a_parent
from rehabit.clinical.differential import shown_first
from rehabit.core.emergency import current_number
from rehabit.core.reviewed_text import tr
from rehabit.core.timefmt import current_zone_name
from rehabit.outcomes import presenters
from rehabit.outcomes.models import Measure
from rehabit.outcomes.progress import entries_of, records_of, summary_for, trend_for
from rehabit.outcomes.services import activities_of

# WeasyPrint logs every step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def report_context(assessment: Any, *, patient_name: str = "") -> dict[str, Any]:
    """What the report shows. ``patient_name``: downloaded by someone other than the
    patient (a therapist, an admin; ``care.selectors.patient_named``), so it is titled with
    the patient's name and speaks of them in the third person; what Rehabit told the
    patient is quoted as theirs. Without it, the report is written to the patient, or for
    a child's check (a parent answers: ``for_child``) to the parent about their child."""
    about_patient = bool(patient_name)
    for_child = read_by_a_parent(assessment, patient_name)
    result = assessment.result
    care = program_for(assessment, child=for_child)  # in the patient's words for staff
    sessions = list(ExerciseSession.objects.filter(assessment=assessment).order_by("logged_at"))
    adherence = weekly_adherence(
        [s.logged_at for s in sessions],
        care.dosages(),
        now=timezone.now(),
        zone=timezone.get_current_timezone(),
        began=assessment.created_at,
    )
    plan = plan_for(assessment, child=for_child)
    trend = trend_for(assessment)
    return {
        "assessment": assessment,
        "about_patient": about_patient,
        "for_child": for_child,
        "patient_name": patient_name,
        "today": timezone.localdate(),
        "zone_name": current_zone_name(),
        "emergency_number": current_number(),  # the reader's zone's country
        "disposition": result["disposition"],
        "causes": [
            {"name": tr(c["name"]), "percent": round(100 * float(c["probability"]))}
            for c in shown_first(result["causes"])
        ],
        "plan": {
            "stage": tr((plan.get("stage") or {}).get("title")),
            "suppressed": plan.get("suppressed"),
            "items": [tr(i["title"]) for i in plan.get("items") or []],
        },
        "program": {
            "phase": phase_label(care.phase),
            "suppressed": care.suppressed,
            "items": [
                {
                    "name": tr(item.exercise.name),
                    "level": item.level,
                    "top": max(item.levels),
                    # One line each, as the program page shows them: joined with commas,
                    # a line that is a sentence ("Slow and controlled both ways.") read ".,".
                    "dosage": dosage_lines(item.dosage),
                    "max_pain": item.max_pain,
                }
                for item in care.items
            ],
        },
        "adherence": adherence,
        "sessions_total": len(sessions),
        "summary": presenters.summary_context(
            summary_for(assessment), for_therapist=about_patient, for_child=for_child
        ),
        "charts": presenters.chart_blocks(
            trend,
            id_prefix="report",
            labelled=False,
            for_therapist=about_patient,
            for_child=for_child,
        ),
        "events": presenters.event_rows(trend),
        "entries": entries_of(assessment),
        "activities": activities_of(assessment),
        "psfs": [
            {
                "taken_on": r.taken_on,
                "ratings": r.values.get("ratings") or [],
                "score": presenters.score_text(r.score),
            }
            for r in records_of(assessment, Measure.PSFS)
        ],
        "bridges": records_of(assessment, Measure.BRIDGE),
    }


def report_html(assessment: Any, *, patient_name: str = "") -> str:
    context = report_context(assessment, patient_name=patient_name)
    return render_to_string("outcomes/report.html", context)


def build_report_pdf(assessment: Any, *, patient_name: str = "") -> bytes:
    """The report as PDF bytes (WeasyPrint; fonts from the system, nothing fetched)."""
    from weasyprint import HTML

    html = report_html(assessment, patient_name=patient_name)
    return bytes(HTML(string=html, base_url=None).write_pdf())


def report_response(assessment: Any, *, patient_name: str = "") -> HttpResponse:
    pdf = build_report_pdf(assessment, patient_name=patient_name)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"rehabit-progress-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
