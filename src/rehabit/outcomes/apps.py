from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "rehabit.outcomes"
    label = "outcomes"
    verbose_name = "Progress and outcome measures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rehabit.accounts.data_rights import Part, register_part
        from rehabit.outcomes.exports import export_outcomes, import_outcomes

        # The pain diary and outcome measures, with the diary CSV and the PDF report.
        register_part(
            Part(
                "outcomes",
                20,
                export_outcomes,
                lambda user, section: import_outcomes(section or {}),
            )
        )
        # Writing in the diary or taking a measure keeps an unclaimed assessment.
        from rehabit.assessments.retention import register_use
        from rehabit.outcomes.models import DiaryEntry, FunctionActivity, MeasureRecord

        register_use(DiaryEntry, "updated_at")
        register_use(FunctionActivity, "created_at")
        register_use(MeasureRecord, "recorded_at")
