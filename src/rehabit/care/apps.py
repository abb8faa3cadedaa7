from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "rehabit.care"
    label = "care"
    verbose_name = _("Self-care and home exercises")
