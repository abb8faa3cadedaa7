"""The questions' clinical labels (rehabit.clinical.intake_labels)."""

from __future__ import annotations

from rehabit.clinical import load_questionnaire
from rehabit.clinical.intake_labels import LABELS


def test_every_question_has_a_clinical_label() -> None:
    q = load_questionnaire()
    missing = [qid for qid in q.questions if qid not in LABELS]
    assert not missing, f"questions without a clinical label: {missing}"
