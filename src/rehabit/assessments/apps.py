from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "rehabit.assessments"
    label = "assessments"
    verbose_name = "Assessments"
