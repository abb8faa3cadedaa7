from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rehabit.accounts"
    label = "accounts"
    verbose_name = _("Accounts, consent and data rights")

    def ready(self) -> None:
        from rehabit.accounts import receivers  # noqa: F401  (connects the signal receivers)
