from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rehabit.api"
    label = "api"
