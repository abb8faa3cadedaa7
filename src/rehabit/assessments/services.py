"""Actions on assessments: the only place that writes them."""

from collections.abc import Mapping

from django.db import transaction

from rehabit.assessments.models import Assessment
from rehabit.clinical import assess


@transaction.atomic
def record_assessment(answers: Mapping[str, object]) -> Assessment:
    """Run the clinical core on the answers and store answers and result together.

    Raises ``rehabit.clinical.AnswerErrors`` (nothing stored) when the answers are invalid.
    """
    result = assess(answers).to_dict()
    return Assessment.objects.create(
        questionnaire_version=result["questionnaire_version"],
        answers=dict(answers),
        result=result,
        disposition=result["disposition"]["level"],
    )
