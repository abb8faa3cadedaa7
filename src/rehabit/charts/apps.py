from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartsConfig(AppConfig):
    """The patient list (charts:patients) is linked from the therapist's navigation by
    rehabit.booking.workspace_nav."""

    name = "rehabit.charts"
    label = "charts"
    verbose_name = _("Patient charts and clinical notes")

    def ready(self) -> None:
        from rehabit.charts import receivers  # noqa: F401  (erasure of a patient's notes)
