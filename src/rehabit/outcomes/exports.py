"""The diary as CSV, and the progress data in a person's data export (and back on import).

For ``rehabit.accounts.data_rights``: ``export_outcomes(user)`` gives everything this app
holds about the person's assessments, plus the two documents they can download (the diary
CSV as text and the PDF report as base64) so the export holds them too;
``import_outcomes(section)`` recreates the rows (the documents are made again from them).
Erasure needs nothing here: every row belongs to an assessment and goes with it.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_time
from django.utils.translation import gettext_lazy as _

from rehabit.core.exported import day as _day
from rehabit.core.exported import iso as _iso
from rehabit.core.exported import when as _when
from rehabit.outcomes.models import DiaryEntry, DiaryReminder, FunctionActivity, MeasureRecord
from rehabit.outcomes.nudges import schedule

# Each column: its key (what the cell holds, the name the data export's rows use) and its
# heading in the file, in the reader's language (a person opens the download in a
# spreadsheet; the machine-readable copy of the same entries is the data export's
# ``diary_entries``).
CSV_COLUMNS = (
    ("day", _("Day")),
    ("pain_now", _("Pain now (0 to 10)")),
    ("pain_worst_24h", _("Worst pain in 24 hours (0 to 10)")),
    ("pain_during_exercise", _("Pain during exercise (0 to 10)")),
    ("pain_after_exercise", _("Pain after exercise (0 to 10)")),
    ("this_morning", _("This morning, compared with the morning before")),
    ("sleep_disturbed", _("Sleep disturbed by pain")),
    ("activity", _("Activity")),
    ("saved_at_utc", _("Saved at (UTC)")),
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def diary_csv(assessment: Any) -> str:
    """Every diary entry, oldest first, one row a day, headed and worded for a person (in
    the active language): "Better than the morning before", not "better"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(heading) for _key, heading in CSV_COLUMNS])
    for e in DiaryEntry.objects.filter(assessment=assessment).order_by("entry_date"):
        writer.writerow(
            [
                _cell(e.entry_date.isoformat()),
                _cell(e.pain_now),
                _cell(e.pain_worst),
                _cell(e.pain_during_exercise),
                _cell(e.pain_after_exercise),
                _cell(e.get_next_morning_display() if e.next_morning else None),
                _cell(e.sleep_disturbed),
                _cell(e.activity),
                _cell(e.updated_at.astimezone(UTC).isoformat()),
            ]
        )
    return out.getvalue()


def export_outcomes(user: Any, *, documents: bool = True) -> dict[str, list[dict[str, Any]]]:
    mine = {"assessment__owner": user}
    section: dict[str, list[dict[str, Any]]] = {
        "diary_entries": [
            {
                "id": str(e.id),
                "assessment_id": str(e.assessment_id),
                "entry_date": _iso(e.entry_date),
                "logged_at": _iso(e.logged_at),
                "updated_at": _iso(e.updated_at),
                "pain_now": e.pain_now,
                "pain_worst": e.pain_worst,
                "pain_during_exercise": e.pain_during_exercise,
                "pain_after_exercise": e.pain_after_exercise,
                "next_morning": e.next_morning,
                "sleep_disturbed": e.sleep_disturbed,
                "activity": e.activity,
            }
            for e in DiaryEntry.objects.filter(**mine).order_by("assessment_id", "entry_date")
        ],
        "function_activities": [
            {
                "assessment_id": str(a.assessment_id),
                "position": a.position,
                "name": a.name,
                "created_at": _iso(a.created_at),
            }
            for a in FunctionActivity.objects.filter(**mine).order_by("assessment_id", "position")
        ],
        "measures": [
            {
                "id": str(r.id),
                "assessment_id": str(r.assessment_id),
                "measure": r.measure,
                "taken_on": _iso(r.taken_on),
                "recorded_at": _iso(r.recorded_at),
                "values": r.values,
                "score": r.score,
            }
            for r in MeasureRecord.objects.filter(**mine).order_by("assessment_id", "taken_on")
        ],
        "reminders": [
            {
                "assessment_id": str(r.assessment_id),
                "enabled": r.enabled,
                "local_time": r.local_time.isoformat(timespec="minutes"),
                "time_zone": r.time_zone,
                "last_sent_on": _iso(r.last_sent_on),
                "stopped_on": _iso(r.stopped_on),
            }
            for r in DiaryReminder.objects.filter(**mine).order_by("assessment_id")
        ],
    }
    if documents:
        section["documents"] = _documents(user)
    return section


def _documents(user: Any) -> list[dict[str, Any]]:
    """The diary CSV and the PDF report of each assessment that has a diary or measures."""
    from rehabit.assessments.models import Assessment
    from rehabit.outcomes.report import build_report_pdf

    found = []
    for assessment in Assessment.objects.filter(owner=user).order_by("created_at", "id"):
        has_data = (
            DiaryEntry.objects.filter(assessment=assessment).exists()
            or MeasureRecord.objects.filter(assessment=assessment).exists()
        )
        if not has_data:
            continue
        found.append(
            {
                "assessment_id": str(assessment.pk),
                "name": f"pain-diary-{assessment.pk}.csv",
                "media_type": "text/csv",
                "text": diary_csv(assessment),
            }
        )
        found.append(
            {
                "assessment_id": str(assessment.pk),
                "name": f"progress-report-{assessment.pk}.pdf",
                "media_type": "application/pdf",
                "base64": base64.b64encode(build_report_pdf(assessment)).decode("ascii"),
            }
        )
    return found


@transaction.atomic
def import_outcomes(section: Mapping[str, Any]) -> None:
    """Recreate an exported progress section (the assessments must exist already). The
    documents are not imported: they are made again from the rows."""
    for e in section.get("diary_entries") or []:
        DiaryEntry.objects.create(
            id=e["id"],
            assessment_id=e["assessment_id"],
            entry_date=_day(e["entry_date"]),
            logged_at=_when(e["logged_at"]),
            updated_at=_when(e["updated_at"]),
            pain_now=e["pain_now"],
            pain_worst=e["pain_worst"],
            pain_during_exercise=e.get("pain_during_exercise"),
            pain_after_exercise=e.get("pain_after_exercise"),
            next_morning=e.get("next_morning") or "",
            sleep_disturbed=e.get("sleep_disturbed"),
            activity=e.get("activity") or "",
        )
    for a in section.get("function_activities") or []:
        FunctionActivity.objects.create(
            assessment_id=a["assessment_id"],
            position=a["position"],
            name=a["name"],
            created_at=_when(a["created_at"]),
        )
    for r in section.get("measures") or []:
        MeasureRecord.objects.create(
            id=r["id"],
            assessment_id=r["assessment_id"],
            measure=r["measure"],
            taken_on=_day(r["taken_on"]),
            recorded_at=_when(r["recorded_at"]),
            values=r["values"],
            score=r["score"],
        )
    for r in section.get("reminders") or []:
        at = parse_time(str(r["local_time"]))
        if at is None:
            raise ValueError(f"Not a time of day: {r['local_time']!r}")
        item = DiaryReminder.objects.create(
            assessment_id=r["assessment_id"],
            enabled=bool(r.get("enabled")),
            local_time=at,
            time_zone=r["time_zone"],
            last_sent_on=_day(r.get("last_sent_on")),
            stopped_on=_day(r.get("stopped_on")),
        )
        schedule(item)  # queued again here (none when off or stopped)
