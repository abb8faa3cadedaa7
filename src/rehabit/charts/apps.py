from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartsConfig(AppConfig):
    name = "rehabit.charts"
    label = "charts"
    verbose_name = _("Patient charts and clinical notes")

    def ready(self) -> None:
        from rehabit.charts import receivers  # noqa: F401  (erasure of a patient's notes)

        try:  # the therapist's navigation (rehabit.booking.workspace_nav), when present
            from rehabit.booking.workspace_nav import add_item
        except ImportError:
            return
        add_item(("charts:patients",), _("Patients"), order=40)
