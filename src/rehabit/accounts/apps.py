from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rehabit.accounts"
    label = "accounts"
    verbose_name = _("Accounts, consent and data rights")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from rehabit.accounts import receivers  # noqa: F401  (connects the signal receivers)
        from rehabit.accounts.erasure import enable_secure_delete
        from rehabit.accounts.records import authorize_assessment_read
        from rehabit.accounts.roles import role_of
        from rehabit.assessments.access import register_read_rule
        from rehabit.audit.services import register_role_source

        # Erased rows must not linger in free pages of an SQLite file (finding 10).
        connection_created.connect(enable_secure_delete, dispatch_uid="rehabit.secure_delete")
        # The audit log names each actor's role without importing accounts.
        register_role_source(role_of)
        # Staff read an owned assessment only through the audited record rule.
        register_read_rule(authorize_assessment_read)
