"""Prevention sessions logged without an account are erased after the set period.

A visitor logs prevention sessions unowned, their ids kept in the browser's session
(``care.prevention``); signing in makes them the person's. One nobody has claimed is
erased once ``REHABIT_UNCLAIMED_ASSESSMENT_DAYS`` have passed since it was logged (a
session is never changed after it is logged), by the worker's daily round
(``core.retention``), like an unclaimed assessment.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from rehabit.care.models import PreventionSession

logger = logging.getLogger(__name__)


def erase_unclaimed_prevention(now: datetime, *, batch: int = 500) -> int:
    """Erase the unowned prevention sessions logged before the cutoff, a batch at a time;
    how many were erased."""
    days = int(settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS)
    cutoff = now - timedelta(days=days)
    stale = PreventionSession.objects.filter(owner__isnull=True, logged_at__lt=cutoff)
    erased = 0
    while True:
        with transaction.atomic():
            ids = list(stale.order_by("logged_at").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            # Asked again in the delete: one claimed since the batch was read stays.
            count, _by_model = stale.filter(pk__in=ids).delete()
        erased += count
    if erased:
        logger.info("Erased %d unclaimed prevention session(s) logged %d days ago.", erased, days)
    return erased
