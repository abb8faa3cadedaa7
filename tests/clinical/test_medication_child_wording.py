"""The medicine screen's load check: a question, help, caution or advice a child's parent
can read says "your child" (for_a_child) wherever the adult's says "you" (phone walk: a
parent was asked "Do you have kidney disease ...?" on their 9-year-old's plan)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.medication_file import MedicationDataError, parse_medication_data


def _raw() -> dict[str, Any]:
    return copy.deepcopy(load_yaml("medication_safety.yaml"))


def _item(raw: dict[str, Any], item_id: str) -> dict[str, Any]:
    (item,) = [i for i in raw["screening"] if i["id"] == item_id]
    return item


def test_the_packaged_screen_loads() -> None:
    data = parse_medication_data(_raw())
    assert data.version == "2026.12.5"
    assert data.child_advice["nsaid_caution"].text.startswith("Do not give your child")
    assert "aspirin included" not in data.child_advice["nsaid_caution"].text
    assert "a low-dose aspirin included" in data.advice["nsaid_caution"].text


@pytest.mark.parametrize("key", ["text", "reason"])
def test_a_question_a_child_s_parent_is_asked_needs_its_child_wording(key: str) -> None:
    raw = _raw()
    del _item(raw, "liver")["for_a_child"][key]
    with pytest.raises(MedicationDataError, match=f"for_a_child.{key}"):
        parse_medication_data(raw)


def test_a_help_a_child_s_parent_is_shown_needs_its_child_wording() -> None:
    raw = _raw()
    del _item(raw, "other_bleeding_medicines")["for_a_child"]["help"]
    with pytest.raises(MedicationDataError, match="for_a_child.help"):
        parse_medication_data(raw)


def test_a_help_if_help_that_says_you_is_refused() -> None:
    raw = _raw()
    _item(raw, "other_bleeding_medicines")["help_if"][0]["help"] = "You told us about steroids."
    with pytest.raises(MedicationDataError, match="help_if"):
        parse_medication_data(raw)


def test_a_question_every_child_is_answered_no_needs_no_child_wording() -> None:
    raw = _raw()
    assert "for_a_child" not in _item(raw, "age_65_plus")  # "Are you 65 or older?"
    parse_medication_data(raw)
    _item(raw, "age_65_plus")["for_a_child"] = {"text": "Is your child 65 or older?"}
    with pytest.raises(MedicationDataError, match="never asked"):
        parse_medication_data(raw)


def test_pregnancy_is_asked_of_a_teenager_s_parent_so_it_needs_child_wording() -> None:
    raw = _raw()
    del _item(raw, "pregnant")["for_a_child"]
    with pytest.raises(MedicationDataError, match="for_a_child.text"):
        parse_medication_data(raw)


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        ("nsaid_caution", None, "for_a_child.text"),
        ("until_seen", {"text": "The doctor who sees your child ..."}, "for_a_child.title"),
        ("nsaid_clear", {"text": "If your child ..."}, "never reads it"),
        ("paracetamol_child", {"text": "x"}, "never reads it"),
        ("nsaid_early", {"steps": ["x"]}, "no steps of its own"),
    ],
)
def test_advice_a_child_s_parent_reads_needs_its_child_wording(
    key: str, change: dict[str, Any] | None, message: str
) -> None:
    raw = _raw()
    advice = raw["advice"][key]
    if change is None:
        del advice["for_a_child"]
    else:
        advice["for_a_child"] = change
    with pytest.raises(MedicationDataError, match=message):
        parse_medication_data(raw)
