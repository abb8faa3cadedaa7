"""Builders for the progress tests."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.care.helpers import make_assessment
from tests.support import answers_for, completed


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


def check_days_ago(age: int, days: int) -> Any:
    """A self-care check by a person of ``age`` (under 16: answered by a parent for their
    child), made ``days`` days ago."""
    assessment = make_assessment(answers=completed({**answers_for("self_care"), "age": age}))
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    assessment.refresh_from_db()
    return assessment


def page_text(response: Any, status: int = 200) -> str:
    """A page's HTML with its entities read ("your child's", not "your child&#x27;s")."""
    assert response.status_code == status, response.content.decode()[:2000]
    return html.unescape(response.content.decode())
