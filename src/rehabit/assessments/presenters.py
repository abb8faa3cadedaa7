"""Turn the clinical core's objects and stored results into what pages and the API show."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.clinical import load_questionnaire
from rehabit.education.content import load_condition_pages

TOP_CAUSES = 3


@cache
def questionnaire_as_dict() -> dict[str, Any]:
    return load_questionnaire().to_dict()


def result_context(assessment: Any) -> dict[str, Any]:
    result = assessment.result
    pages = load_condition_pages()
    causes = [{**cause, "page": cause["id"] in pages} for cause in result["causes"]]
    questions = load_questionnaire().questions
    return {
        "assessment": assessment,
        "result": result,
        "created_at": assessment.created_at,
        "zone_name": timezone.get_current_timezone_name(),
        "top_causes": causes[:TOP_CAUSES],
        "other_causes": causes[TOP_CAUSES:],
        "unanswered": [questions[q].text for q in result["unanswered"] if q in questions],
    }


def answer_rows(answers: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each answered question with the answer in words, in questionnaire order."""
    rows = []
    for section in load_questionnaire().sections:
        for question in section.questions:
            if question.id not in answers:
                continue
            value = answers[question.id]
            labels = {o.value: o.label for o in question.options}
            if isinstance(value, list):
                text = ", ".join(_(labels.get(v, v)) for v in value)
            elif question.options:
                text = _(labels.get(str(value), str(value)))
            else:
                text = f"{value} {_(question.unit)}" if question.unit else str(value)
            rows.append({"question": question.text, "answer": text})
    return rows
