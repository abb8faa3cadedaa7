"""The answers as clinical findings (rehabit.clinical.intake_findings)."""

from __future__ import annotations

from rehabit.clinical import load_questionnaire
from rehabit.clinical.intake_findings import VALUES, YES_NO


def test_every_option_has_clinical_words() -> None:
    q = load_questionnaire()
    for qid, question in q.questions.items():
        if question.type in ("integer", "scale"):
            continue
        own = VALUES.get(qid, {})
        for value in question.option_values:
            assert value in own or (question.type == "yes_no" and value in YES_NO), (
                qid,
                value,
            )
