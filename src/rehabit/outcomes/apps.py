from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "rehabit.outcomes"
    label = "outcomes"
    verbose_name = "Progress and outcome measures"
    default_auto_field = "django.db.models.BigAutoField"
