from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "rehabit.clinic"
    label = "clinic"
    verbose_name = _("The therapist's workspace")

    def ready(self) -> None:
        from rehabit.accounts.data_rights import Part, register_part
        from rehabit.clinic import receivers  # noqa: F401  (connects the check-in hook)
        from rehabit.clinic.personal_data import export_clinic, import_clinic

        # Conversations and alerts (after the appointments they may name).
        register_part(
            Part(
                "clinic",
                40,
                export_clinic,
                lambda user, section: import_clinic(user, section or {}),
            )
        )

        try:  # the therapist home page's "needs attention" list, when the app has one
            from rehabit.booking.attention import register
        except ImportError:
            return
        from rehabit.clinic.attention import workspace_source

        register(workspace_source)
