"""Locking an account's sign-in after repeated failures.

Why a small table of our own rather than django-axes: allauth's ACCOUNT_RATE_LIMITS
already throttle bursts per IP and per address through the cache; what was missing is a
durable per-account lockout that every worker process sees. A row per account, keyed by a
keyed hash of the e-mail address, does that on SQLite and PostgreSQL alike, stores no
address or IP in clear (django-axes keeps both in plain text in its own tables, outside
our erasure and audit design), and plugs into allauth's adapter hooks
(``pre_authenticate`` / ``authentication_failed``) without wrapping allauth's views.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rehabit.accounts.models import LoginLockout


def lockout_key(login: str) -> str:
    return salted_hmac("rehabit.lockout", login.strip().lower(), algorithm="sha256").hexdigest()


def locked_until(login: str) -> datetime | None:
    """When the lock on this login ends, or None when sign-in is allowed."""
    if not login:
        return None
    until = (
        LoginLockout.objects.filter(key=lockout_key(login))
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None and until > timezone.now():
        return until
    return None


def register_failure(login: str) -> bool:
    """Count one failed attempt; True when this failure locked the account."""
    if not login:
        return False
    limit = settings.REHABIT_LOCKOUT_FAILURES
    window = timedelta(seconds=settings.REHABIT_LOCKOUT_WINDOW_SECONDS)
    duration = timedelta(seconds=settings.REHABIT_LOCKOUT_SECONDS)
    with transaction.atomic():
        row, _ = LoginLockout.objects.select_for_update().get_or_create(key=lockout_key(login))
        now = timezone.now()
        if row.window_started_at < now - window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        just_locked = row.failures >= limit
        if just_locked:
            # A fresh allowance of attempts once the lock ends.
            row.locked_until = now + duration
            row.failures, row.window_started_at = 0, now
        row.save()
    return just_locked


def clear(*logins: str) -> None:
    """Forget failures (after a successful sign-in or password reset)."""
    keys = [lockout_key(login) for login in logins if login]
    if keys:
        LoginLockout.objects.filter(key__in=keys).delete()
