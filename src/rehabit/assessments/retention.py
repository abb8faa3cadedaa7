"""Assessments nobody has claimed are erased after a while without use.

An assessment made without an account is reached by its address alone, and holds health
answers; the person may keep using it for weeks (the plan, the exercise log, the diary
all hang on it). So it is erased once ``REHABIT_UNCLAIMED_ASSESSMENT_DAYS`` have passed
since it was made *and* since anything was last written to it, with everything written
to it (the rows cascade). Other apps say what counts as use (``register_use``: a model
with a foreign key to the assessment and the time of the write), so this module imports
none of them. The worker runs ``erase_unclaimed`` once a day (registered with
``core.retention`` by this app).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from rehabit.assessments.models import Assessment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Use:
    model: type[models.Model]
    when: str  # the model's field holding the time of the write
    assessment: str = "assessment"  # its foreign key to the assessment


_uses: list[Use] = []


def register_use(model: type[models.Model], when: str, assessment: str = "assessment") -> None:
    """Writing a row of ``model`` counts as using its assessment at ``when``."""
    use = Use(model, when, assessment)
    if use not in _uses:
        _uses.append(use)


def unused_since(cutoff: datetime) -> models.QuerySet[Assessment]:
    """The assessments nobody owns, made before ``cutoff`` and not used since."""
    found = Assessment.objects.filter(owner__isnull=True, created_at__lt=cutoff)
    for use in _uses:
        recent = use.model._default_manager.filter(
            **{use.assessment: OuterRef("pk"), f"{use.when}__gte": cutoff}
        )
        found = found.exclude(Exists(recent))
    return found


def erase_unclaimed(now: datetime | None = None, *, batch: int = 500) -> int:
    """Erase the unclaimed assessments unused for the set number of days (a batch at a
    time, so a backlog never holds the write lock long); how many were erased."""
    days = int(settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    erased = 0
    while True:
        with transaction.atomic():
            ids = list(
                unused_since(cutoff).order_by("created_at").values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            # Asked again in the delete: one claimed or used since the batch was read stays.
            _total, by_model = unused_since(cutoff).filter(pk__in=ids).delete()
        erased += by_model.get(Assessment._meta.label, 0)
    if erased:
        logger.info("Erased %d unclaimed assessment(s) unused for %d days.", erased, days)
    return erased
