from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "rehabit.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from rehabit.assessments.retention import erase_unclaimed
        from rehabit.core.retention import register

        # Unclaimed assessments unused for REHABIT_UNCLAIMED_ASSESSMENT_DAYS.
        register("assessments", erase_unclaimed)
