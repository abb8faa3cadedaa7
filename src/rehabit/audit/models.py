"""The append-only audit log: who did what to whose record, when, from where.

Rows hold pseudonymous integer ids (no foreign keys, so erasing an account keeps its
audit trail), never names, e-mail addresses or health content. IP addresses are kept
only as a truncated network and a keyed hash (engineering.md section 4.3).

Entries are never changed. They are removed only after ``REHABIT_AUDIT_RETENTION_DAYS``
by ``rehabit.audit.retention.purge_expired`` (run daily by ``rehabit worker``), which
writes an entry of its own; the database refuses every other UPDATE, DELETE and TRUNCATE
(triggers of migration 0003, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """The audit log is append-only: entries are never changed, and deleted only by the
    retention purge (``rehabit.audit.retention``)."""


class AuditAction(models.TextChoices):
    # Authentication
    SIGNUP = "account.created", _("Account created")
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    LOCKOUT = "auth.lockout", _("Sign-in slowed after repeated failures")
    LOGOUT = "auth.logout", _("Signed out")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET = "auth.password_reset", _("Password reset")
    EMAIL_CHANGED = "account.email_changed", _("E-mail address changed")
    MFA_ADDED = "mfa.added", _("Two-factor authentication added")
    MFA_REMOVED = "mfa.removed", _("Two-factor authentication removed")
    MFA_RESET = "mfa.reset", _("Recovery codes regenerated")
    MFA_FAILED = "mfa.failed", _("Wrong two-factor code")
    ROLE_CHANGED = "account.role_changed", _("Role changed")
    # Staff acting on someone else's sign-in (rehabit.accounts.staff_actions)
    ACCOUNT_CHANGED_BY_STAFF = "account.changed_by_staff", _("Account changed by staff")
    PASSWORD_RESET_SENT = "auth.password_reset_sent", _("Password reset link sent by staff")
    MFA_REMOVED_BY_STAFF = "mfa.removed_by_staff", _("Two-factor authentication removed by staff")
    # The person's own data
    PROFILE_UPDATED = "profile.updated", _("Profile updated")
    CONSENT_GRANTED = "consent.granted", _("Consent given")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Consent withdrawn")
    # Staff access to a patient's record
    RECORD_VIEWED = "record.viewed", _("Record viewed by staff")
    RECORD_CHANGED = "record.changed", _("Record changed by staff")
    ACCESS_DENIED = "record.access_denied", _("Access to a record refused")
    # Data rights
    DATA_EXPORTED = "data.exported", _("Data exported")
    DATA_IMPORTED = "data.imported", _("Data imported")
    ACCOUNT_DELETED = "account.deleted", _("Account and personal data erased")
    # The content (rehabit.care.withdrawals)
    EXERCISE_WITHDRAWN = "content.exercise_withdrawn", _("Exercise withdrawn from use")
    EXERCISE_RESTORED = "content.exercise_restored", _("Exercise brought back into use")
    # The log itself
    AUDIT_PURGED = "audit.purged", _("Audit entries past their retention period removed")


# What a patient sees under "who viewed my record".
STAFF_RECORD_ACTIONS = (
    AuditAction.RECORD_VIEWED,
    AuditAction.RECORD_CHANGED,
    AuditAction.ACCOUNT_CHANGED_BY_STAFF,
    AuditAction.PASSWORD_RESET_SENT,
    AuditAction.MFA_REMOVED_BY_STAFF,
)


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_time = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    actor_id = models.BigIntegerField(
        _("who (user id)"), null=True, blank=True, help_text=_("Empty for anonymous visitors.")
    )
    actor_role = models.CharField(_("role"), max_length=16)
    subject_id = models.BigIntegerField(
        _("whose (user id)"),
        null=True,
        blank=True,
        help_text=_("The person whose account or record this concerns."),
    )
    target_type = models.CharField(_("object type"), max_length=40, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_network = models.CharField(
        _("network"), max_length=64, blank=True, help_text=_("IP address truncated to /24 or /48.")
    )
    ip_hash = models.CharField(
        _("address hash"), max_length=64, blank=True, help_text=_("Keyed hash of the full address.")
    )
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-event_time"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["subject_id", "event_time"], name="audit_subject_time"),
            models.Index(fields=["actor_id", "event_time"], name="audit_actor_time"),
            models.Index(fields=["action", "event_time"], name="audit_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_time:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")
