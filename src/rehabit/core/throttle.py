"""Rate limits counted in the database, so every process and node sees the same count
(never in a process's memory, and not in a cache that a flood of other keys can evict).

Each limit is "at most ``limit`` actions in ``window`` seconds" for one subject, kept as
the generic cell rate algorithm (GCRA) in one row: a burst of ``limit`` is allowed, after
which one more action is allowed every ``window / limit`` seconds. A refused action is not
counted, and the answer says exactly how long to wait.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rehabit.core.models import ThrottleBucket

STALE = timedelta(days=1)


def network(ip: str) -> str:
    """A client's network: the IPv4 address, or the IPv6 /64 (one household or phone)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def bucket_key(scope: str, subject: str) -> str:
    return salted_hmac("rehabit.throttle", f"{scope}|{subject}", algorithm="sha256").hexdigest()


def _locked_bucket(key: str, now: datetime) -> ThrottleBucket:
    found = ThrottleBucket.objects.select_for_update().filter(key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ThrottleBucket.objects.create(key=key, allowed_from=now)
    except IntegrityError:  # created meanwhile by a concurrent request
        return ThrottleBucket.objects.select_for_update().get(key=key)


def hit(scope: str, subject: str, *, limit: int, window: int, now: datetime | None = None) -> int:
    """Count one action of ``subject``; 0 when it is allowed, otherwise the whole seconds
    to wait before it would be (and it is not counted)."""
    if limit <= 0:
        return 0
    now = now or timezone.now()
    interval = timedelta(seconds=window / limit)
    with transaction.atomic():
        ThrottleBucket.objects.filter(allowed_from__lt=now - STALE).delete()
        bucket = _locked_bucket(bucket_key(scope, subject), now)
        after = max(bucket.allowed_from, now) + interval
        over = after - now - timedelta(seconds=window)
        if over > timedelta(0):
            return max(1, math.ceil(over.total_seconds()))
        bucket.allowed_from = after
        bucket.save(update_fields=["allowed_from"])
    return 0
