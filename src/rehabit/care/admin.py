"""Read-only admin for the exercise log. Opening an entry of someone's log is a read of
their record: audited and refused by the same rule as the rest of the record."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from rehabit.accounts.admin import AuditedChangeViewMixin
from rehabit.care.models import ExerciseSession, MedicationAnswers, ProgramLevel, ProgressionStep
from rehabit.core.admin import ReadOnlyAdmin


class ReadOnlyAudited(AuditedChangeViewMixin, ReadOnlyAdmin):
    def patient_of(self, obj: Any) -> Any:
        return obj.assessment.owner


@admin.register(ExerciseSession)
class ExerciseSessionAdmin(ReadOnlyAudited):
    list_display = ("id", "logged_at", "assessment_id", "checked_in_at")
    date_hierarchy = "logged_at"


@admin.register(ProgramLevel)
class ProgramLevelAdmin(ReadOnlyAudited):
    list_display = ("assessment_id", "family", "level", "updated_at")


@admin.register(ProgressionStep)
class ProgressionStepAdmin(ReadOnlyAudited):
    list_display = ("assessment_id", "family", "action", "from_level", "to_level", "decided_at")


@admin.register(MedicationAnswers)
class MedicationAnswersAdmin(ReadOnlyAudited):
    list_display = ("assessment_id", "updated_at")
