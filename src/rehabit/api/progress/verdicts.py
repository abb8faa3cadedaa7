"""Is this real improvement? The verdicts of the measures and the advice that follows,
as the measures and the trend carry them, in the words their reader is given."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from rehabit.care.selectors import patient_named, read_by_a_parent
from rehabit.outcomes import presenters
from rehabit.outcomes.progress import summary_for


class ChangeOut(Schema):
    measure: str
    label: str
    verdict: str = Field(description="better | no_change | worse | too_early")
    before: float | None
    now: float | None
    change: float | None = Field(description="Signed, positive when better.")
    needed: float | None = Field(description="The improvement that counts as real.")
    text: str


class AdviceOut(Schema):
    key: str = Field(description="step_back | book | warning_signs")
    text: str


class VerdictOut(Schema):
    verdict: str = Field(description="better | no_change | worse | too_early")
    label: str
    changes: list[ChangeOut]
    advice: list[AdviceOut]


def verdict_out(request: HttpRequest, assessment: Any) -> dict[str, Any]:
    """The verdicts and advice, in the words the reader is given, by the pages' rule
    (``care.selectors.read_by_a_parent``): a child's parent reads about their child; anyone
    else (a therapist, an admin) the patient's own words."""
    summary = summary_for(assessment)
    child = read_by_a_parent(assessment, patient_named(request, assessment))
    return {
        "verdict": summary.progress.verdict,
        "label": presenters.verdict_label(summary.progress.verdict),
        "changes": [
            {
                "measure": row["change"].measure,
                "label": row["label"],
                "verdict": row["change"].verdict,
                "before": row["change"].before,
                "now": row["change"].now,
                "change": row["change"].change,
                "needed": row["change"].needed,
                "text": presenters.change_text(row["change"], child=child),
            }
            for row in summary.rows
        ],
        "advice": [
            {"key": a.key, "text": presenters.advice_text(a, child=child)}
            for a in summary.progress.advice
        ],
    }
