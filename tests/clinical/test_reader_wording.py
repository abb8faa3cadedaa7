"""Who reads a child's plan and program, said by the caller (``build_plan`` and
``build_program``'s ``child``): the parent who answered reads "your child" (the default,
as the patient's side reads it); anyone else (the treating therapist, an admin) reads the
patient's own words, worded by the core from the reviewed data rather than mapped back
from the parent's text afterwards. Wording only: what is advised and chosen is the same
whoever reads, and an adult's plan and program do not change at all.

Built from every written vignette, as a child of 12 and as written.
"""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.clinical import assess
from rehabit.clinical.program import build_program
from rehabit.clinical.program_rules import load_program_rules
from rehabit.clinical.selfcare import build_plan
from rehabit.clinical.selfcare_file import load_selfcare
from tests.clinical.answers import vignettes
from tests.support import completed

VIGNETTES = vignettes()
# The plan's texts that only ever have a parent's words: the result's own sentences (the
# booking's headline, the urgent advice), a child's paracetamol advice and a child's own
# warning signs (``ages: child``).
CHILD_ONLY_SIGNS = frozenset(w.id for w in load_selfcare().watch_for if w.ages == "child")


def _as_child(answers: dict[str, Any]) -> dict[str, Any]:
    return completed({**answers, "age": 12})


def _built(answers: dict[str, Any], child: bool | None) -> tuple[dict[str, Any], dict[str, Any]]:
    result = assess(answers).to_dict()
    plan = build_plan(result, answers, days_since_onset=None, medication=None, child=child)
    program = build_program(result, answers, days_since_onset=None, pain_now=None, child=child)
    return plan.to_dict(), program.to_dict()


def _what_is_advised(plan: dict[str, Any], program: dict[str, Any]) -> object:
    """The plan and program with their wording left out."""
    medication = plan["medication"] or {}
    return (
        plan["disposition"],
        plan["suppressed"],
        plan["phase"],
        plan["causes"],
        [i["id"] for i in plan["items"]],
        [w["id"] for w in plan["watch_for"]],
        (plan["recheck"] or {}).get("id"),
        (plan["booking"] or {}).get("id"),
        medication.get("status"),
        [c["id"] for c in medication.get("cautions") or ()],
        medication.get("unanswered"),
        [i["id"] for i in medication.get("items") or ()],
        program["suppressed"],
        program["phase"],
        program["gentle"],
        [
            (i["exercise_id"], i["level"], i["levels"], i["dosage"], i["max_pain"])
            for i in program["items"]  # type: ignore[union-attr]
        ],
        len(program["notes"]),  # type: ignore[arg-type]
    )


def _own_texts(plan: dict[str, Any], program: dict[str, Any]) -> list[str]:
    """Every text of the plan and program that has the patient's own wording."""
    medication = plan["medication"] or {}
    items = [*plan["items"], plan["recheck"] or {}, *(medication.get("items") or ())]
    texts = [str(i.get(k) or "") for i in items if i.get("id") != "paracetamol_first_child"
             for k in ("title", "text")]  # fmt: skip
    texts += [str(plan["notice"] or ""), str((plan["stage"] or {}).get("title") or "")]
    texts += [str((plan["stage"] or {}).get("reason") or "")]
    texts += [c["reason"] for c in medication.get("cautions") or ()]
    texts += [q["text"] for q in medication.get("questions") or ()]
    texts += [f"{w['sign']} {w['action']}" for w in plan["watch_for"]
              if w["id"] not in CHILD_ONLY_SIGNS]  # fmt: skip
    texts += [str(n) for n in program["notes"]]
    for item in program["items"]:
        texts += [str(item["why"]), *map(str, item["take_care"])]
    return texts


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_a_child_s_plan_and_program_read_by_staff_advise_the_same(case: dict[str, Any]) -> None:
    answers = _as_child(case["answers"])
    parent_s = _built(answers, None)
    own = _built(answers, False)
    assert _what_is_advised(*own) == _what_is_advised(*parent_s)
    assert _built(answers, True) == parent_s  # the parent reads, said or not


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_a_child_s_plan_and_program_read_by_staff_say_you(case: dict[str, Any]) -> None:
    plan, program = _built(_as_child(case["answers"]), False)
    said = [t for t in _own_texts(plan, program) if "your child" in t.lower()]
    assert not said


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_an_adult_s_plan_and_program_are_the_same_whoever_reads(case: dict[str, Any]) -> None:
    answers = completed(case["answers"])
    if isinstance(answers.get("age"), int) and answers["age"] < 16:
        pytest.skip("a child's check")
    assert _built(answers, False) == _built(answers, None) == _built(answers, True)


def test_a_child_s_program_note_in_the_patient_s_own_words() -> None:
    """The rules' own note, as an adult reads it, not the parent's."""
    case = next(v for v in VIGNETTES if v["id"] == "pht_marathoner")
    rules = load_program_rules()
    _, program = _built(_as_child({**case["answers"], "days_since_onset": 10}), False)
    assert program["notes"] == [rules.notes["start_low"]]
    _, program = _built(_as_child({**case["answers"], "days_since_onset": 10}), None)
    assert program["notes"] == [rules.child_notes["start_low"]]
