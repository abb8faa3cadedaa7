"""Builders for the progress tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.care.helpers import make_assessment


def assessment_days_ago(days: int, *, owner: Any = None, level: str = "self_care") -> Any:
    """A stored assessment made ``days`` days ago (so a week of diary days fits)."""
    assessment = make_assessment(level, owner=owner)
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    assessment.refresh_from_db()
    return assessment


def diary_form(day: Any, now: int, worst: int, **extra: Any) -> dict[str, Any]:
    return {
        "entry_date": day.isoformat(),
        "pain_now": str(now),
        "pain_worst": str(worst),
        "activity": "",
        **extra,
    }
