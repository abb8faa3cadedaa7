from django.contrib import admin

from rehabit.assessments.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "created_at", "disposition", "questionnaire_version")
    list_filter = ("disposition", "questionnaire_version")
    readonly_fields = (
        "id",
        "created_at",
        "questionnaire_version",
        "answers",
        "result",
        "disposition",
    )
