"""Actions on assessments: the only place that writes them."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from rehabit.assessments.models import Assessment
from rehabit.clinical import assess


def record_assessment(
    answers: Mapping[str, object],
    *,
    owner: Any = None,
    admit: Callable[[], None] | None = None,
) -> Assessment:
    """Run the clinical core on the answers and store answers and result together.

    ``owner`` is the signed-in person, or None: what a person creates while signed in is
    theirs from the first write (never readable by link, always in their export and
    erased with them). Raises ``rehabit.clinical.AnswerErrors`` (nothing stored) when the
    answers are invalid.

    The result is computed (and put in its stored form) before the row is written: SQLite
    lets one writer in at a time, and a writer that finds the lock taken sleeps a
    millisecond or more, so the lock is held for the insert alone (issue 10).

    ``admit`` (a rate limit: ``rehabit.core.rate_limits.count_assessment``) is called once
    the answers are found valid, in one transaction with the insert (one commit for both);
    what it raises is raised, nothing stored and nothing counted.
    """
    result = assess(answers).to_dict()
    assessment = Assessment(
        questionnaire_version=result["questionnaire_version"],
        answers=dict(answers),
        result=result,
        disposition=result["disposition"]["level"],
        owner=owner if owner is not None and owner.is_authenticated else None,
    )
    if admit is None:
        assessment.insert()
        return assessment
    with transaction.atomic():
        admit()
        assessment.insert()
    return assessment
