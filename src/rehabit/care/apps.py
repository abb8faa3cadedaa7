from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "rehabit.care"
    label = "care"
    verbose_name = _("Self-care and home exercises")

    def ready(self) -> None:
        # Registers prevention sessions with accounts.earlier (attached or asked about at sign-in).
        from rehabit.accounts.data_rights import Part, register_part
        from rehabit.care import prevention  # noqa: F401
        from rehabit.care.personal_data import export_care, import_care

        # The exercise log, levels, check-ins, prescriptions, clearances, medicine answers.
        register_part(
            Part("care", 10, export_care, lambda user, section: import_care(section or {}, user))
        )
        # Logging exercises or answering about medicines keeps an unclaimed assessment.
        from rehabit.assessments.retention import register_use
        from rehabit.care.models import (
            ExerciseSession,
            MedicationAnswers,
            ProgramLevel,
            ProgressionStep,
        )

        register_use(ExerciseSession, "logged_at")
        register_use(ExerciseSession, "checked_in_at")
        register_use(ProgramLevel, "updated_at")
        register_use(ProgressionStep, "decided_at")
        register_use(MedicationAnswers, "updated_at")
        # Prevention sessions logged without an account go after the same period.
        from rehabit.care.retention import erase_unclaimed_prevention
        from rehabit.core.retention import register

        register("prevention sessions", erase_unclaimed_prevention)
