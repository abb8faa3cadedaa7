from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "rehabit.education"
    label = "education"
