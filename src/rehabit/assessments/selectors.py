"""Reads of stored assessments: every page and API endpoint goes through here."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest

from rehabit.assessments.access import may_read
from rehabit.assessments.models import Assessment


def find_assessment(assessment_id: UUID | str) -> Assessment | None:
    """The assessment with this id, with no access check (for internal use)."""
    try:
        return Assessment.objects.select_related("owner").get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError):
        return None


def readable_assessment(request: HttpRequest, assessment_id: UUID | str) -> Assessment | None:
    """The assessment if this request may read it, else None (callers answer 404, so an
    owned assessment's existence is not revealed).

    An assessment nobody owns is readable by its unguessable link; an owned one only by its
    owner, or by staff through the audited record rule (``rehabit.assessments.access``;
    staff without two-factor authentication in this session get ``MFARequired``, a 403).
    """
    assessment = find_assessment(assessment_id)
    if assessment is None or not may_read(request, assessment):
        return None
    return assessment
