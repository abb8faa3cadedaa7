"""Records made without an account are erased once they have gone unused for a while.

A visitor without an account can keep a check, a plan, an exercise log or prevention
sessions in their browser; those records hold health information and are reached by an
address or a session alone. Each app that keeps such records registers how to erase its
own (``register``: a function of the current time that returns how many it erased), so
the worker needs to know none of them: it calls ``erase_unclaimed`` once a day.
The period is ``REHABIT_UNCLAIMED_ASSESSMENT_DAYS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

logger = logging.getLogger(__name__)

Eraser = Callable[[datetime], int]
_erasers: dict[str, Eraser] = {}


def register(name: str, erase: Eraser) -> None:
    """``erase(now)`` erases the app's unclaimed records unused for the set period."""
    _erasers[name] = erase


def erase_unclaimed(now: datetime | None = None) -> dict[str, int]:
    """Run every registered eraser; how many records each erased. One that fails is
    logged and the others still run (the next day's round tries it again)."""
    now = now or timezone.now()
    erased: dict[str, int] = {}
    for name, erase in sorted(_erasers.items()):
        try:
            erased[name] = erase(now)
        except Exception:  # noqa: BLE001 - one app's failure must not keep the rest
            logger.exception("Erasing unclaimed %s failed; tried again tomorrow.", name)
    return erased
