"""Free times kept for a few seconds, and forgotten as soon as the bookings change (issue 10).

The search page and the slots API compute every listed therapist's free times from their
rules and appointments: the same answer for everyone who asks in the same few seconds.
Those answers (the bytes sent) are kept in the site's shared cache (``CACHES``: the
database or Redis, so every node sees the same) under a key that names everything the
answer depends on, for at most ``KEEP_SECONDS``.

Every write that can change a free time (an appointment booked, moved or cancelled; a
therapist's hours, days off, leave, session types, specialties or languages) bumps one
**generation** number, after it commits; a kept answer made under another generation is
not used. Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) are
covered by the time limit. A kept answer is never wrong for long, and never trusted for
a booking: the booking action checks the time again in its own transaction.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)

KEEP_SECONDS = 15
GENERATION = "rehabit:booking:generation"


def key(*parts: object) -> str:
    """A cache key for an answer that depends on ``parts`` (any text: hashed) and on the
    minute it is asked in (free times depend on the clock: minimum notice, the horizon)."""
    minute = timezone.now().replace(second=0, microsecond=0).isoformat()
    text = "\x1f".join(map(str, (*parts, minute)))
    return f"rehabit:booking:kept:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def lookup(name: str) -> tuple[bytes | None, int | None]:
    """(the kept bytes if they are of the current generation, the current generation):
    one round trip to the cache. When the cache cannot be reached: (None, None), and the
    answer is made as if nothing were kept."""
    try:
        found = cache.get_many([GENERATION, name])
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        logger.warning("The cache is unreachable: free times are computed afresh.")
        return None, None
    generation = int(found.get(GENERATION) or 0)
    entry = found.get(name)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
        return entry[1], generation
    return None, generation


def keep(name: str, generation: int | None, body: bytes) -> None:
    """Keep ``body`` as made under ``generation`` (read before it was made: a write that
    commits meanwhile bumps the generation, so the answer is not used)."""
    if generation is None:
        return
    try:
        cache.set(name, (generation, body), KEEP_SECONDS)
    except Exception:  # noqa: BLE001 - not kept, nothing else lost
        logger.warning("The cache is unreachable: a search answer was not kept.")


def bump() -> None:
    """A free time may have changed: answers kept so far are not used again."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not there yet (or evicted): start it
        if not cache.add(GENERATION, 1, None):
            cache.incr(GENERATION)


def _in_database() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    return isinstance(caches["default"], DatabaseCache)


def _changed(**kwargs: Any) -> None:
    # After the write commits: an answer made from the data before it is then not used.
    # Outside the database the bump is cheap, so it is also made at once (a write that is
    # rolled back only costs a recomputation); in the database it would hold a row lock
    # for the rest of the writer's transaction, so it waits for the commit.
    if not _in_database():
        bump()
    transaction.on_commit(bump, robust=True)


def _connect() -> None:
    from rehabit.booking import models

    for model in (
        models.Appointment,
        models.Therapist,
        models.WorkingHours,
        models.DateOverride,
        models.TimeOff,
        models.SessionType,
        models.TherapistSpecialty,
        models.TherapistLanguage,
    ):
        uid = f"rehabit.booking.freshness.{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete")


_connect()
