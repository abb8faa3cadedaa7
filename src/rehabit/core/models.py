"""Rows shared by every app: rate-limit counters (``rehabit.core.throttle``)."""

from __future__ import annotations

from django.db import models


class ThrottleBucket(models.Model):
    """One rate-limited subject (a person, a client network) for one kind of action.

    ``key`` is a keyed hash of the scope and the subject, so no address or account id is
    stored in clear. ``allowed_from`` is the generic cell rate algorithm's theoretical
    arrival time: the bucket is empty once it is in the past."""

    key = models.CharField(max_length=64, unique=True)
    allowed_from = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
