"""A warning sign's reason names only what the person told us (clinical/flag_branches.py).

A flag whose rule holds in several ways (an ``any``) is worded after the case that held,
never as every case joined with "or" (a phone walk: a person who chose a small bruise read
"You felt a pop, and you now have a large bruise, or pain high up near the sitting bone
..."). The property below checks it against the data itself: every answer a shown case
names holds in the answers, on a definite answer unless the reason says "not sure".
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.intake import intake_summary
from rehabit.clinical.redflags import RedFlagError
from rehabit.clinical.redflags_file import load_red_flags, parse_red_flags
from rehabit.clinical.result_codes import build_texts
from rehabit.clinical.rules import compile_rule
from tests.clinical.answers import PROPERTY, answer_sets, person

QUESTIONNAIRE = load_questionnaire()
FLAGS = load_red_flags(QUESTIONNAIRE)
BY_ID = {f.id: f for f in FLAGS}
RAW = load_yaml("red_flags.yaml")
RAW_BY_ID = {r["id"]: r for r in RAW["red_flags"]}
WORDING = {"id", "label", "label_unsure", "for_a_child"}

# The phone walk: a pop, a small bruise, pain at the sitting bone, worse when sitting.
THE_WALK = person(
    age=34, sex="male", location=["sitting_bone"], side="left", days_since_onset=3,
    onset="sprinting", pop="yes", bruising="small", worse=["sitting"], course="same",
    pain_now=5,
)  # fmt: skip


# --- An oracle read from the data file, apart from the engine --------------------------


def _choices(node: Any) -> Iterator[Mapping[str, Any]]:
    """Every ``any`` of two or more parts outside a ``not``."""
    if not isinstance(node, Mapping):
        return
    if len(node.get("any", ())) > 1:
        yield node
    for op in ("all", "any"):
        for part in node.get(op, ()):
            yield from _choices(part)


def _claims(node: Any, case_id: str, above: list[Any]) -> list[Any] | None:
    """The leaves a case says the person told us: the case's own, and those the rule
    needs beside it (the other parts of every ``all`` above it), outside any ``not``."""
    if not isinstance(node, Mapping):
        return None
    if node.get("id") == case_id:
        return above + _leaves(node)
    for part in node.get("any", ()):
        found = _claims(part, case_id, above)
        if found is not None:
            return found
    parts = node.get("all", ())
    for i, part in enumerate(parts):
        beside = [leaf for j, p in enumerate(parts) if j != i for leaf in _leaves(p)]
        found = _claims(part, case_id, above + beside)
        if found is not None:
            return found
    return None


def _leaves(node: Any) -> list[Any]:
    if "q" in node:
        return [{k: v for k, v in node.items() if k not in WORDING}]
    if len(node.get("any", ())) > 1:
        return []  # another case's business (only inside the case found, never beside it)
    return [leaf for op in ("all", "any") for part in node.get(op, ()) for leaf in _leaves(part)]


def _holds(leaf: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    return compile_rule(leaf, QUESTIONNAIRE.questions).holds(answers)


def _check_reasons(answers: dict[str, Any]) -> None:
    sure = {k: v for k, v in answers.items() if v != "not_sure"}
    result = assess(answers)
    for flag in result.red_flags:
        assert flag.label in result.disposition.reasons, flag.id
        original = BY_ID[flag.id]
        if not original.branches:
            continue
        case = original.told_by(flag.label)
        # Never the flag's own label, which joins the cases with "or".
        assert case is not None, (flag.id, flag.label)
        claims = _claims(RAW_BY_ID[flag.id]["rule"], case.id, [])
        assert claims, (flag.id, case.id)
        # In the person's words or, for a child, their parent's (for_a_child).
        unsure_words = {case.label_unsure, case.child_label_unsure} - {None}
        told_unsure = flag.label in unsure_words and flag.label not in (
            case.label,
            case.child_label,
        )
        for leaf in claims:
            # Every answer the reason names was given; a "Not sure" only in the unsure words.
            assert _holds(leaf, answers if told_unsure else sure), (flag.id, case.id, leaf)
        if flag.unsure and case.label_unsure is not None:
            assert told_unsure, (flag.id, case.id)
        if told_unsure:
            assert flag.unsure, (flag.id, case.id)
            assert "not sure" in flag.label.lower(), (flag.id, case.id)
            assert not all(_holds(leaf, sure) for leaf in claims), (flag.id, case.id)


# --- The phone walk ---------------------------------------------------------------------


def test_the_walks_small_bruise_is_not_told_back_as_a_large_one() -> None:
    assert THE_WALK["pop"] == "yes" and THE_WALK["bruising"] == "small"
    result = assess(THE_WALK)
    flag = next(f for f in result.red_flags if f.id == "suspected_avulsion")
    case = BY_ID[flag.id].told_by(flag.label)
    assert case is not None and case.id == "worse_sitting" and flag.label == case.label
    assert "large" not in flag.label and "bruise" not in flag.label
    assert "pop" in flag.label and "sitting bone" in flag.label and "sit." in flag.label
    assert " or " not in flag.label  # no other case joined with "or"
    assert flag.label in result.disposition.reasons
    assert BY_ID[flag.id].label not in result.disposition.reasons
    assert flag.disposition == "urgent" and not flag.unsure
    _check_reasons(THE_WALK)


def test_the_walk_not_sure_of_the_pop_is_told_not_sure() -> None:
    result = assess({**THE_WALK, "pop": "not_sure"})
    flag = next(f for f in result.red_flags if f.id == "suspected_avulsion")
    case = BY_ID[flag.id].told_by(flag.label)
    assert case is not None and case.id == "worse_sitting"
    assert flag.label == case.label_unsure and flag.unsure
    assert "not sure whether you felt a pop" in flag.label


def test_the_walk_with_a_large_bruise_names_the_bruise_first() -> None:
    result = assess({**THE_WALK, "bruising": "large"})
    flag = next(f for f in result.red_flags if f.id == "suspected_avulsion")
    assert "large bruise" in flag.label and "sit" not in flag.label


def test_the_therapists_intake_lists_the_answers_of_the_case_told() -> None:
    result = assess(THE_WALK).to_dict()
    summary = intake_summary(
        version=QUESTIONNAIRE.version, answers=THE_WALK, result=result,
        assessed_on=date(2026, 12, 1),
    )  # fmt: skip
    flag = next(f for f in summary.flags if f.id == "suspected_avulsion")
    text = flag.text.english().lower()
    assert "bruis" not in text and "sitting" in text, text


# --- Every reason shown, on random answers -----------------------------------------------


@PROPERTY
@given(answer_sets())
def test_every_reason_names_only_answers_the_person_gave(answers: dict[str, Any]) -> None:
    _check_reasons(answers)


# The high thigh, where most cases are (a torn-off tendon, a bruise, a weak leg).
HIGH_THIGH = {
    "location": st.sampled_from([["sitting_bone"], ["upper_thigh"], ["buttock", "sitting_bone"]]),
    "pop": st.sampled_from(["yes", "not_sure", "no"]),
    "onset": st.sampled_from(["sprinting", "stretch_kick_split", "jumping_landing", "lifting"]),
}


@settings(PROPERTY, max_examples=150)
@given(answer_sets(override=HIGH_THIGH))
def test_every_reason_names_only_answers_given_at_the_high_thigh(answers: dict[str, Any]) -> None:
    _check_reasons(answers)


# --- The shipped data -----------------------------------------------------------------


def test_every_flag_with_an_either_or_has_its_cases() -> None:
    for raw in RAW["red_flags"]:
        flag = BY_ID[raw["id"]]
        assert bool(list(_choices(raw["rule"]))) == bool(flag.branches), flag.id
        for case in flag.branches:
            assert case.label.endswith(".") and case.label != flag.label, (flag.id, case.id)
            if case.label_unsure is not None:
                assert case.label_unsure.endswith("."), (flag.id, case.id)
                assert "not sure" in case.label_unsure.lower(), (flag.id, case.id)
        labels = [c.label for c in flag.branches]
        assert len(set(labels)) == len(labels), flag.id


def test_every_case_has_a_code_in_the_result_texts() -> None:
    texts = build_texts()
    for flag in FLAGS:
        for case in flag.branches:
            assert texts[f"flag:{flag.id}:case:{case.id}"] == case.label
            if case.label_unsure is not None:
                assert texts[f"flag:{flag.id}:case:{case.id}:unsure"] == case.label_unsure


# --- Checked at load ------------------------------------------------------------------


def _parse(data: Any) -> None:
    conditions = load_conditions()
    serious = {cid for cid, c in conditions.items() if c.serious}
    parse_red_flags(data, QUESTIONNAIRE, conditions, serious)


def _flag(data: Any, flag_id: str) -> Any:
    return next(f for f in data["red_flags"] if f["id"] == flag_id)


def _unlabel(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _unlabel(v) for k, v in node.items() if k not in WORDING}
    if isinstance(node, list):
        return [_unlabel(v) for v in node]
    return node


def _two_side_by_side(data: Any) -> None:
    _flag(data, "vascular_claudication")["rule"]["all"].append(
        {
            "any": [
                {"id": "a", "label": "A.", "q": "age", "gte": 60},
                {"id": "b", "label": "B.", "q": "fever", "in": ["yes"]},
            ]
        }
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A new or-rule with one label: refused, naming the case without words.
        (
            lambda d: _flag(d, "fever").update(
                rule={"any": [{"q": "fever", "in": ["yes"]}, {"q": "very_unwell", "in": ["yes"]}]}
            ),
            r"'fever'\.rule\.any\[0\]: this case of an either-or needs its own label",
        ),
        (
            lambda d: _flag(d, "suspected_avulsion").update(
                rule=_unlabel(_flag(d, "suspected_avulsion")["rule"])
            ),
            r"'suspected_avulsion'\.rule\.all\[1\]\.any\[0\]: this case .* needs its own label",
        ),
        (
            lambda d: _flag(d, "dvt_signs")["rule"]["any"][1].pop("label"),
            "label must be non-empty",
        ),
        (
            lambda d: _flag(d, "dvt_signs")["rule"]["any"][1].pop("label_unsure"),
            r"'dvt_signs'\.rule\.any\[1\]: can hold on \"Not sure\", so it needs label_unsure",
        ),
        (lambda d: _flag(d, "dvt_signs")["rule"]["any"][1].pop("id"), "needs a snake_case id"),
        (
            lambda d: _flag(d, "dvt_signs")["rule"]["any"][1].update(id="swollen_leg"),
            "duplicate case id",
        ),
        (_two_side_by_side, "put one inside the other"),
        (
            lambda d: _flag(d, "fever")["rule"].update(id="x", label="You have a fever."),
            "a label belongs on a case of an either-or",
        ),
        (
            lambda d: _flag(d, "child_hip_limp")["rule"]["all"][2]["not"].update(
                id="x", label="No fever."
            ),
            "no label under 'not'",
        ),
        (
            lambda d: _flag(d, "adolescent_avulsion")["rule"]["all"][4]["any"][1].update(
                id="upper", label="You are 10 to 17 and it hurts high up."
            ),
            "a labelled case holds an either-or",
        ),
    ],
)
def test_a_flag_whose_reason_would_say_or_is_refused_at_load(change: Any, message: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(RedFlagError, match=message):
        _parse(data)


def test_an_either_or_under_not_needs_no_wording() -> None:
    data = copy.deepcopy(RAW)
    _flag(data, "fever")["rule"] = {
        "all": [
            {"q": "fever", "in": ["yes", "not_sure"]},
            {"not": {"any": [{"q": "age", "lte": 4}, {"q": "very_unwell", "in": ["yes"]}]}},
        ]
    }
    _parse(data)
