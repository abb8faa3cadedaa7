"""The API's assessment answer written directly as JSON text (``result_json``, issue 10) is
character for character what encoding ``result_out``'s dictionary gave."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from rehabit.assessments.presenters import result_json, result_out
from rehabit.clinical import assess
from tests.support import vignettes


def _row(result: dict[str, Any]) -> Any:
    """What ``result_out`` reads of an assessment: its id, its time and its result."""
    return SimpleNamespace(
        id=uuid.uuid4(), created_at=datetime(2026, 12, 5, 10, 4, 50, 123456, UTC), result=result
    )


def _expected(row: Any, result: Any = None) -> str:
    return json.dumps(result_out(row, result), cls=NinjaJSONEncoder)


def test_every_vignette_s_answer_is_the_encoded_dictionary() -> None:
    with translation.override("en"):
        for case in vignettes():
            result = assess(case["answers"]).to_dict()
            row = _row(result)
            for _ in range(2):  # the second time from the remembered fragments
                assert result_json(row) == _expected(row), case.get("id")
                assert result_json(row, result) == _expected(row, result)


def _odd_result() -> dict[str, Any]:
    """A result the clinical core does not make, with every part in an unusual shape."""
    result = assess(vignettes()[0]["answers"]).to_dict()
    result["questionnaire_version"] = "2026.12.1 «é»"
    result["disposition"]["reasons"] = ['He said "ouch"\n', "Zażółć \u2028 \x00", "", "😀"]
    result["red_flags"] = [
        {"id": "flag", "label": "L\\ab", "disposition": "urgent", "advice": "Call"},
        {"id": 7, "label": None, "disposition": ["x"], "advice": "Call"},
    ]
    cause = dict(result["causes"][0])
    result["causes"] = [
        {**cause, "probability": 1, "red_flag": 1},
        {**cause, "probability": float("nan"), "why_for": ("a", "b"), "why_against": []},
        {**cause, "probability": float("inf"), "why_for": [], "why_against": [], "red_flag": 0},
        {**cause, "probability": -float("inf"), "why_for": [], "why_against": []},
        {**cause, "id": 3, "probability": 0.1, "why_for": [], "why_against": []},
        {**cause, "name": "Naïve", "probability": 1e-300, "why_for": [], "why_against": []},
        {**cause, "name": "Naïve", "probability": 5e-324, "why_for": [], "why_against": []},
        {**cause, "probability": True, "why_for": ["x"], "why_against": ["y", "z"]},
    ]
    result["confidence"] = {"level": 2, "score": 1, "explanation": "Sure é"}
    result["unanswered"] = ("q1", 2, "q\u00e9")
    return result


@pytest.mark.parametrize("language", ["en", "de", ""])
def test_an_unusual_result_is_encoded_as_the_dictionary_was(language: str) -> None:
    row = _row(_odd_result())
    with translation.override(language or None):
        for _ in range(2):
            assert result_json(row) == _expected(row)


def test_what_the_dictionary_could_not_encode_is_refused_too() -> None:
    result = _odd_result()
    result["causes"][0]["why_for"] = None
    with pytest.raises(TypeError):
        result_out(_row(result))
    with pytest.raises(TypeError):
        result_json(_row(result))
