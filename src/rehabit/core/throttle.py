"""Rate limits counted in the database, so every process and node sees the same count
(never in a process's memory, and not in a cache that a flood of other keys can evict).

Each limit is "at most ``limit`` actions in ``window`` seconds" for one subject, kept as
the generic cell rate algorithm (GCRA) in one row: a burst of ``limit`` is allowed, after
which one more action is allowed every ``window / limit`` seconds. A refused action is not
counted, and the answer says exactly how long to wait.

``count`` is what a caller uses: one action of a request counted against several limits at
once (the person's and the client network's, from ``request_limits``), refused as a whole
with ``RateLimited`` (the sentence to show, the seconds to wait) and then counted in none.
The limits themselves are in ``rehabit.core.rate_limits`` and ``rehabit.booking.limits``.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from rehabit.core.models import ThrottleBucket

STALE = timedelta(days=1)


@lru_cache(maxsize=1024)  # parsed once per address while it is busy (the hot paths)
def network(ip: str) -> str:
    """A client's network: the IPv4 address, or the IPv6 /64 (one household or phone)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@lru_cache(maxsize=1024)  # the same for a subject while the process runs: hashed once
def bucket_key(scope: str, subject: str) -> str:
    return salted_hmac("rehabit.throttle", f"{scope}|{subject}", algorithm="sha256").hexdigest()


# (scope, subject, at most this many actions in the window); a limit of 0 or less is off.
Limit = tuple[str, str, int]


class RateLimited(Exception):
    """An action refused by a rate limit: the sentence a person reads (it says how long to
    wait) and that wait in whole seconds (``Retry-After``). Nothing was counted or done."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def wait_words(seconds: int) -> str:
    """A wait in words: seconds under two minutes, whole minutes (rounded up) above."""
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@dataclass(frozen=True)
class _Statements:
    """The two statements of a counted action (built once per database, as the ORM would
    write them: building them each time cost as much as running them, issue 10)."""

    select: str  # the bucket's id and allowed_from by its key, locked where supported
    update: str  # a bucket's new allowed_from, by id
    field: Any  # ThrottleBucket.allowed_from
    column: Any  # that field as a column, for its converters
    converters: list[Any]  # the database's value of allowed_from -> an aware datetime


@cache
def _statements(alias: str) -> _Statements:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = ThrottleBucket._meta
    table, field = quote(meta.db_table), meta.get_field("allowed_from")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    column = field.get_col(meta.db_table)
    pk, key, allowed_from = (quote(c) for c in (meta.pk.column, "key", field.column))
    return _Statements(  # names from the model, values as parameters
        select=f"SELECT {pk}, {allowed_from} FROM {table} WHERE {key} = %s{lock}",  # noqa: S608
        update=f"UPDATE {table} SET {allowed_from} = %s WHERE {pk} = %s",  # noqa: S608
        field=field,
        column=column,
        converters=connection.ops.get_db_converters(column) + field.get_db_converters(connection),
    )


def _new_bucket(key: str, now: datetime) -> tuple[int, datetime]:
    """An empty bucket for ``key`` (or the one a concurrent request just made): its id and
    allowed_from."""
    # Rows are only ever added here, so clearing the stale ones before each new row keeps
    # the table to the subjects of the last day (a stale row counts as an empty bucket).
    ThrottleBucket.objects.filter(allowed_from__lt=now - STALE).delete()
    try:
        with transaction.atomic():
            created = ThrottleBucket.objects.create(key=key, allowed_from=now)
    except IntegrityError:  # created meanwhile by a concurrent request
        created = ThrottleBucket.objects.select_for_update().get(key=key)
    return created.pk, created.allowed_from


def hit(scope: str, subject: str, *, limit: int, window: int, now: datetime | None = None) -> int:
    """Count one action of ``subject``; 0 when it is allowed, otherwise the whole seconds
    to wait before it would be (and it is not counted)."""
    return hit_all([(scope, subject, limit)], window=window, now=now)


def hit_all(limits: Sequence[Limit], *, window: int, now: datetime | None = None) -> int:
    """Count one action against every limit together, in one transaction (joined, without
    a savepoint, when the caller has one open: the action's own write can then share its
    commit). 0 when every limit allows it, and it is counted in each; otherwise the
    longest wait in whole seconds, and it is counted in none."""
    counted = [(scope, subject, most) for scope, subject, most in limits if most > 0]
    if not counted:
        return 0
    now = now or timezone.now()
    span = timedelta(seconds=window)
    wait = 0
    alias = router.db_for_write(ThrottleBucket)
    connection = connections[alias]
    statements = _statements(alias)
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        moves = []
        for scope, subject, most in counted:
            key = bucket_key(scope, subject)
            cursor.execute(statements.select, [key])  # locked where the database can
            row = cursor.fetchone()
            if row is None:
                pk, allowed_from = _new_bucket(key, now)
            else:
                pk, allowed_from = row
                for convert in statements.converters:
                    allowed_from = convert(allowed_from, statements.column, connection)
            if allowed_from > now + span:
                # Further ahead than a full bucket can be: the clock went back (or the
                # window was shortened). Start again rather than refuse for that long.
                allowed_from = now
            after = max(allowed_from, now) + timedelta(seconds=window / most)
            over = after - now - span
            if over > timedelta(0):
                wait = max(wait, math.ceil(over.total_seconds()), 1)
            moves.append((pk, after))
        if not wait:
            for pk, after in moves:
                value = statements.field.get_db_prep_save(after, connection)
                cursor.execute(statements.update, [value, pk])
    return wait


def request_limits(request: Any, scope: str, *, per_user: int, per_network: int) -> list[Limit]:
    """The two usual limits of a request's action: the signed-in person's (``scope.user``,
    none for an anonymous caller) and the client network's (``scope.address``: the IPv4
    address or the IPv6 /64, behind ``REHABIT_TRUSTED_PROXY_COUNT`` proxies)."""
    from rehabit.core.client import client_ip

    limits = [(f"{scope}.address", network(client_ip(request)), int(per_network))]
    if request.user.is_authenticated:
        limits.insert(0, (f"{scope}.user", str(request.user.pk), int(per_user)))
    return limits


def count(limits: Sequence[Limit], *, window: int, refusal: Any) -> None:
    """Count one action against ``limits`` (see ``hit_all``); ``RateLimited`` when one is
    reached, with ``refusal`` (a translatable sentence with ``%(wait)s``, lazily translated
    so that an allowed action never looks it up) said with the wait."""
    wait = hit_all(limits, window=int(window))
    if wait:
        raise RateLimited(str(refusal) % {"wait": wait_words(wait)}, wait)
