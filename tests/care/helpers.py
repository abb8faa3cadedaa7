"""Builders for the care tests (and the URL-authorization registry)."""

from __future__ import annotations

from typing import Any

from rehabit.assessments.models import Assessment
from rehabit.assessments.services import record_assessment
from tests.support import answers_for, vignettes


def make_assessment(level: str = "self_care", *, owner: Any = None, answers: Any = None) -> Any:
    """A stored assessment from the first written vignette with this disposition."""
    assessment = record_assessment(answers if answers is not None else answers_for(level))
    if owner is not None:
        Assessment.objects.filter(pk=assessment.pk).update(owner=owner)
        assessment.refresh_from_db()
    return assessment


def suppressing_vignettes() -> list[dict[str, Any]]:
    """Every written vignette whose result is an emergency or urgent referral."""
    return [v for v in vignettes() if v["expected_disposition"] in ("emergency", "urgent")]


def session_data(program: Any, **overrides: Any) -> dict[str, Any]:
    """A valid session log for a program (its first exercise)."""
    data: dict[str, Any] = {
        "exercise_ids": [program.items[0].exercise.id],
        "pain_during": 2,
        "pain_after": 1,
        "difficulty": "about_right",
        "note": "",
    }
    data.update(overrides)
    return data


def logged_session_url(ctx: Any) -> str:
    """For the URL registry: the API URL of one session logged in ctx.assessment's log."""
    from rehabit.care.programs import program_for
    from rehabit.care.services import log_session

    session, _ = log_session(ctx.assessment, session_data(program_for(ctx.assessment)))
    return f"/api/v1/assessments/{ctx.assessment.pk}/sessions/{session.pk}"
