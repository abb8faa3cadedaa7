"""Slowing down password guessing without letting anyone lock an account.

Two counters, each a row of ``LoginLockout`` in the database (so every worker process and
node sees them), keyed by keyed hashes (no e-mail or IP address in clear):

- **per account and client network** (an IPv4 address, an IPv6 /64): after
  ``REHABIT_LOCKOUT_FAILURES`` failures, each further try from there waits
  ``REHABIT_LOCKOUT_DELAY_SECONDS``, twice as long after each further failure, at most
  ``REHABIT_LOCKOUT_SECONDS``. Someone guessing from their own address slows only
  themselves; the owner elsewhere is not affected.
- **per account, across all addresses**: past ``REHABIT_LOCKOUT_ACCOUNT_FAILURES`` (a
  distributed attack) tries from unfamiliar addresses wait the same way. An address the
  account completed a sign-in from (after the second factor, where it has one) in the last
  ``REHABIT_LOCKOUT_USUAL_ADDRESS_DAYS`` days is never slowed by it, so the owner is not
  locked out by it.

Counts start again ``REHABIT_LOCKOUT_WINDOW_SECONDS`` after the first failure. A completed
sign-in or a password reset clears the account's counter and the counter of the network it
came from, and only for the account's own *verified* addresses: adding someone's address
to your account, unverified, clears nothing.

Why a table of our own rather than django-axes or allauth's per-key rate limit: both count
per account across all addresses (the lock-anyone weapon), axes keeps addresses and IPs in
clear outside our erasure and audit design, and allauth's limits live in the cache, where
a flood of other keys can evict them. This plugs into allauth's adapter hooks
(``pre_authenticate`` / ``authentication_failed`` / ``login``).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rehabit.accounts.models import LoginLockout

ADDRESS = "address"
ACCOUNT = "account"


def _normal(login: str) -> str:
    return login.strip().lower()


def _network(ip: str) -> str:
    """The client's network: the IPv4 address, or the IPv6 /64 (one household or phone;
    privacy addresses rotate inside it)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def account_key(login: str) -> str:
    return salted_hmac("rehabit.lockout", _normal(login), algorithm="sha256").hexdigest()[:32]


def address_key(login: str, ip: str) -> str:
    """Starts with the account's key, so erasure can find every row of an account."""
    pair = f"{_normal(login)}|{_network(ip)}"
    suffix = salted_hmac("rehabit.lockout.address", pair, algorithm="sha256").hexdigest()[:32]
    return account_key(login) + suffix


def delay(failures: int, free: int) -> timedelta:
    """How long the next try waits after ``failures`` failures, ``free`` of them free."""
    if failures < free:
        return timedelta(0)
    first = settings.REHABIT_LOCKOUT_DELAY_SECONDS
    longest = settings.REHABIT_LOCKOUT_SECONDS
    return timedelta(seconds=min(first * 2 ** min(failures - free, 30), longest))


def _verified_owner_id(login: str) -> int | None:
    from allauth.account.models import EmailAddress

    return (
        EmailAddress.objects.filter(email__iexact=_normal(login), verified=True)
        .values_list("user_id", flat=True)
        .first()
    )


def is_usual_address(login: str, ip: str, now: datetime | None = None) -> bool:
    """True when the account behind ``login`` completed a sign-in from ``ip`` lately (the
    audit log's sign-in entries keep a keyed hash of the full address)."""
    from rehabit.audit.models import AuditAction, AuditEntry
    from rehabit.audit.services import ip_fields

    ip_hash = ip_fields(ip)["ip_hash"]
    owner = _verified_owner_id(login) if ip_hash else None
    if owner is None:
        return False
    since = (now or timezone.now()) - timedelta(days=settings.REHABIT_LOCKOUT_USUAL_ADDRESS_DAYS)
    return AuditEntry.objects.filter(
        action=AuditAction.LOGIN, subject_id=owner, ip_hash=ip_hash, event_time__gte=since
    ).exists()


def wait_until(login: str, ip: str, now: datetime | None = None) -> datetime | None:
    """When the next try for ``login`` from ``ip`` may be made; None when it may now."""
    if not login:
        return None
    now = now or timezone.now()
    pair, account = address_key(login, ip), account_key(login)
    waits = dict(
        LoginLockout.objects.filter(key__in=[pair, account], locked_until__gt=now).values_list(
            "key", "locked_until"
        )
    )
    if account in waits and is_usual_address(login, ip, now):
        del waits[account]
    return max(waits.values(), default=None)


def register_failure(login: str, ip: str, now: datetime | None = None) -> list[str]:
    """Count one failed try; returns the scopes (``ADDRESS``, ``ACCOUNT``) whose waits this
    failure started, for the audit log."""
    if not login:
        return []
    now = now or timezone.now()
    window = timedelta(seconds=settings.REHABIT_LOCKOUT_WINDOW_SECONDS)
    started = []
    counters = (
        (address_key(login, ip), settings.REHABIT_LOCKOUT_FAILURES, ADDRESS),
        (account_key(login), settings.REHABIT_LOCKOUT_ACCOUNT_FAILURES, ACCOUNT),
    )
    with transaction.atomic():
        for key, free, scope in counters:  # always in this order: no deadlock
            row, _ = LoginLockout.objects.select_for_update().get_or_create(
                key=key, defaults={"window_started_at": now}
            )
            if row.window_started_at <= now - window:
                row.failures, row.window_started_at, row.locked_until = 0, now, None
            row.failures += 1
            wait = delay(row.failures, free)
            if wait:
                row.locked_until = now + wait
            if row.failures == free:
                started.append(scope)
            row.save()
    return started


def verified_logins(user: Any) -> list[str]:
    return list(user.emailaddress_set.filter(verified=True).values_list("email", flat=True))


def clear_after_sign_in(user: Any, ip: str) -> None:
    """A completed sign-in or password reset from ``ip``: forget the account's counter and
    this network's, for the account's verified addresses only."""
    keys: list[str] = []
    for login in verified_logins(user):
        keys += [account_key(login), address_key(login, ip)]
    if keys:
        LoginLockout.objects.filter(key__in=keys).delete()


def clear(*logins: str) -> None:
    """Forget every counter of these logins, from every address (account erasure)."""
    match = Q()
    for login in logins:
        if login:
            match |= Q(key__startswith=account_key(login))
    if match:
        LoginLockout.objects.filter(match).delete()


def forget_stale(now: datetime | None = None) -> int:
    """Remove counters whose window and wait are over (run daily by the worker)."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.REHABIT_LOCKOUT_WINDOW_SECONDS)
    deleted, _ = (
        LoginLockout.objects.filter(window_started_at__lte=now - window)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .delete()
    )
    return deleted
