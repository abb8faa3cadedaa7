"""Idempotency keys (engineering.md §2.3, IETF draft-ietf-httpapi-idempotency-key-header).

A request carrying a key is run at most once per (user, key):

* the key is claimed by an INSERT in its own savepoint, inside the same transaction as
  the work and its stored response, so a crash leaves no half state and a concurrent
  twin waits on the unique index until the first commits;
* the same key with the same request → the stored response is replayed;
* the same key with a different request → 422; a key still in progress → 409.

Refusals (409 taken, 422 bad time) are stored and replayed like successes: a retry gets
the answer the first attempt got. Keys are purged after ``RETENTION``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.booking.models import IdempotencyKey, IdempotencyStatus

RETENTION = timedelta(hours=48)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


class KeyMisuse(Exception):
    """The key was reused for another request (422) or is still in progress (409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def run(user: Any, key: str, request_hash: str, work: Callable[[], Outcome]) -> Outcome:
    """Run ``work`` once for (user, key); replay its stored outcome afterwards."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    request_hash=request_hash,
                    status=IdempotencyStatus.IN_PROGRESS,
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.get(user=user, key=key)
            if existing.request_hash != request_hash:
                raise KeyMisuse(
                    422,
                    _(
                        "This Idempotency-Key was already used for a different request. "
                        "Use a new key for a new request."
                    ),
                ) from None
            if existing.status != IdempotencyStatus.COMPLETED or existing.response_status is None:
                raise KeyMisuse(
                    409, _("A request with this Idempotency-Key is still being processed.")
                ) from None
            return Outcome(existing.response_status, existing.response_body or {}, replayed=True)
        outcome = work()
        row.status = IdempotencyStatus.COMPLETED
        row.response_status = outcome.status
        row.response_body = outcome.body
        row.save(update_fields=["status", "response_status", "response_body"])
        return outcome


def purge(now: Any = None) -> int:
    """Delete keys older than the retention period."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
