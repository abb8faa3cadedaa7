from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rehabit.core"
    label = "core"

    def ready(self) -> None:
        from rehabit.core import checks  # noqa: F401  (registers the deployment checks)
