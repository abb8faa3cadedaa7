"""Reads for the care pages and API, with the access rule of the assessment they belong to.

An assessment nobody owns is reachable by anyone holding its unguessable id; an owned one
only by its owner, or by staff through the audited record rule
(``rehabit.accounts.records.authorize_assessment_read``). Only the owner (or, for an
anonymous assessment, whoever holds the link) may add to its log: staff read, never write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from rehabit.assessments.models import Assessment
from rehabit.care.models import ExerciseSession


def can_write(request: HttpRequest, assessment: Assessment) -> bool:
    if assessment.owner_id is None:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.pk == assessment.owner_id)


def sessions_of(assessment: Assessment) -> QuerySet[ExerciseSession]:
    return ExerciseSession.objects.filter(assessment=assessment).order_by("-logged_at")


def latest_assessment_of(user: Any) -> Assessment | None:
    """The signed-in person's most recent assessment (for "your program" links)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Assessment.objects.filter(owner=user).order_by("-created_at").first()
