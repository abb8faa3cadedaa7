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
