"""Reads of stored assessments."""

from uuid import UUID

from rehabit.assessments.models import Assessment


def find_assessment(assessment_id: UUID | str) -> Assessment | None:
    try:
        return Assessment.objects.get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError):
        return None
