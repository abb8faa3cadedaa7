from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartsConfig(AppConfig):
    """The patient list (charts:patients) is linked from the therapist's navigation by
    rehabit.booking.workspace_nav."""

    name = "rehabit.charts"
    label = "charts"
    verbose_name = _("Patient charts and clinical notes")

    def ready(self) -> None:
        from rehabit.accounts.data_rights import Part, register_part
        from rehabit.booking.patient_summary import register_patient_summary
        from rehabit.charts import receivers  # noqa: F401  (erasure of a patient's notes)
        from rehabit.charts.appointment_summary import summary_for
        from rehabit.charts.personal_data import export_notes

        # Signed clinical notes about the person, with addenda (read-only: not imported).
        register_part(Part("clinical_notes", 50, export_notes))
        # The patient's summary on an appointment's page, for its therapist.
        register_patient_summary(summary_for)
