"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rehabit.audit.models import STAFF_RECORD_ACTIONS, AuditAction, AuditEntry

SECURITY_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
    AuditAction.LOGOUT,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.PASSWORD_RESET,
    AuditAction.EMAIL_CHANGED,
    AuditAction.MFA_ADDED,
    AuditAction.MFA_REMOVED,
    AuditAction.MFA_RESET,
    AuditAction.MFA_FAILED,
)


def record_access_by_others(user_id: int) -> QuerySet[AuditEntry]:
    """Staff reads and changes of this person's record ("who viewed my record")."""
    return (
        AuditEntry.objects.filter(subject_id=user_id, action__in=STAFF_RECORD_ACTIONS)
        .exclude(actor_id=user_id)
        .order_by("-event_time")
    )


def security_events(user_id: int) -> QuerySet[AuditEntry]:
    """Sign-ins, failures and security changes on this person's account."""
    return AuditEntry.objects.filter(subject_id=user_id, action__in=SECURITY_ACTIONS).order_by(
        "-event_time"
    )


def entries_about(user_id: int) -> QuerySet[AuditEntry]:
    """Everything the log holds about or by this person (for their data export)."""
    return AuditEntry.objects.filter(Q(subject_id=user_id) | Q(actor_id=user_id)).order_by(
        "event_time", "id"
    )
