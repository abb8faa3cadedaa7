from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rehabit.core"
    label = "core"
