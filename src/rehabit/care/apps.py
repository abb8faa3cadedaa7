from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "rehabit.care"
    label = "care"
    verbose_name = _("Self-care and home exercises")

    def ready(self) -> None:
        # Connects the sign-in receiver that attaches a visitor's prevention sessions.
        from rehabit.care import prevention  # noqa: F401
