"""Warning signs speak to a parent about their child (red_flags.yaml 2026.12.9, 2026.12.11).

A parent answers for a child aged 5 to 15. A flag that can fire for a child and says
"you" carries ``for_a_child`` wording ("Your child has a fever or seems unwell, and their
leg or foot is getting weaker."; "Take your child to the emergency department now ..."),
and so does each such case of its rule; the engine picks it when the age is under 16;
the loader refuses a flag that lacks it (redflags_file.check_child_wording). Since 2026.12.11 the
same holds for a label about "a child" or "the child" ("A child has a fever ..."), and for
an advice about "the child": a parent reads "Your child has a fever ...".
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.redflags import RedFlagError, screen_as_told
from rehabit.clinical.redflags_file import load_red_flags, parse_red_flags
from rehabit.clinical.result_codes import build_texts
from tests.clinical.answers import person

QUESTIONNAIRE = load_questionnaire()
FLAGS = load_red_flags(QUESTIONNAIRE)
BY_ID = {f.id: f for f in FLAGS}
RAW = load_yaml("red_flags.yaml")


def _flag(data: Any, flag_id: str) -> Any:
    return next(f for f in data["red_flags"] if f["id"] == flag_id)


def _case(data: Any, flag_id: str, path: list[tuple[str, int]]) -> Any:
    node = _flag(data, flag_id)["rule"]
    for op, index in path:
        node = node[op][index]
    return node


def _parse(data: Any) -> Any:
    conditions = load_conditions()
    serious = {cid for cid, c in conditions.items() if c.serious}
    return parse_red_flags(data, QUESTIONNAIRE, conditions, serious)


def test_the_data_file_is_version_2026_12_11_or_later() -> None:
    # 2026.12.9 gave a child's wording; 2026.12.10 a child's fever with a leg they will not
    # stand or walk on covers their limp with a fever; 2026.12.11 the child-only flags say
    # "your child", not "a child" (2026.12.12: a child kept off their feet is not asked to
    # walk).
    assert tuple(int(p) for p in RAW["version"].split(".")) >= (2026, 12, 11)


def test_the_brief_s_example_is_worded_for_a_child() -> None:
    case = next(b for b in BY_ID["fever_with_nerve_signs"].branches if b.id == "getting_weaker")
    assert case.label == "You have a fever or feel unwell, and your leg or foot is getting weaker."
    assert case.child_label == (
        "Your child has a fever or seems unwell, and their leg or foot is getting weaker."
    )
    assert BY_ID["ces_saddle_numbness"].child_advice is not None
    assert BY_ID["ces_saddle_numbness"].child_advice.startswith(
        "Take your child to the emergency department now."
    )


def test_child_wording_never_speaks_to_the_patient() -> None:
    """Every child text is about the child: its "you" is the parent ("You are not sure
    whether your child ..."), never the patient."""
    seen = 0
    for flag in FLAGS:
        texts = [flag.child_label, flag.child_label_unsure, flag.child_advice]
        texts += [t for b in flag.branches for t in (b.child_label, b.child_label_unsure)]
        for text in filter(None, texts):
            seen += 1
            assert not speaks_to_the_patient(text), (flag.id, text)
            assert text.endswith("."), (flag.id, text)
    assert seen > 100


def test_a_flag_that_cannot_fire_for_a_child_has_no_child_wording() -> None:
    hidden = QUESTIONNAIRE.never_for_a_child
    assert {"sexual_function_change", "foot_sore"} <= hidden
    older = BY_ID["older_fall_on_blood_thinner"]  # age 65 or more
    assert older.child_label is None and older.child_advice is None
    # A case needing 65 or older keeps the adult's words only.
    age_65 = next(b for b in BY_ID["fracture_risk_after_fall"].branches if b.id == "age_65")
    assert age_65.child_label is None
    # Sex is never asked of a child.
    assert BY_ID["ces_sexual_function"].child_label is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: _flag(d, "ces_saddle_numbness").pop("for_a_child"),
            r"'ces_saddle_numbness': its label speaks to \"you\", and it can fire for a child",
        ),
        (
            lambda d: _flag(d, "ces_saddle_numbness")["for_a_child"].pop("advice"),
            r"'ces_saddle_numbness': its advice speaks to \"you\".*for_a_child\.advice",
        ),
        (
            lambda d: _case(d, "fever_with_nerve_signs", [("all", 1), ("any", 0)]).pop(
                "for_a_child"
            ),
            r"'fever_with_nerve_signs'\.rule\.all\[1\]\.any\[0\]: its label speaks to \"you\"",
        ),
        (
            lambda d: _case(d, "fever_with_nerve_signs", [("all", 1), ("any", 0)])[
                "for_a_child"
            ].pop("label_unsure"),
            r"any\[0\]: its label_unsure speaks to \"you\"",
        ),
        (  # 65 or older: never a child's
            lambda d: _flag(d, "older_fall_on_blood_thinner").update(
                for_a_child={"label": "Your child is 65 or older."}
            ),
            "can never fire for a child",
        ),
        (  # a question a child is never asked
            lambda d: _flag(d, "ces_sexual_function").update(
                for_a_child={"label": "Your child has noticed a change."}
            ),
            "can never fire for a child",
        ),
        (  # about "a child", not the parent's own (2026.12.11)
            lambda d: _flag(d, "child_back_pain").pop("for_a_child"),
            r"'child_back_pain': its label speaks of \"A child\", and it can fire for a "
            r"child: give for_a_child\.label",
        ),
        (
            lambda d: _flag(d, "child_fever_cannot_stand")["for_a_child"].pop("label_unsure"),
            r"'child_fever_cannot_stand': its label_unsure speaks of \"A child\"",
        ),
        (  # its advice says "the child"
            lambda d: _flag(d, "child_fever_cannot_stand")["for_a_child"].pop("advice"),
            r"'child_fever_cannot_stand': its advice speaks of \"the child\".*for_a_child\.advice",
        ),
        (  # the phone walk's case
            lambda d: _case(d, "child_fever_cannot_stand", [("all", 2), ("any", 1)]).pop(
                "for_a_child"
            ),
            r"'child_fever_cannot_stand'\.rule\.all\[2\]\.any\[1\]: its label speaks of "
            r"\"A child\"",
        ),
        (  # "You are not sure whether a child can walk ..."
            lambda d: _case(d, "child_limp_without_injury", [("all", 4), ("any", 0)])[
                "for_a_child"
            ].pop("label_unsure"),
            r"any\[0\]: its label_unsure speaks of \"a child\"",
        ),
        (  # a child's wording about "a child" is no better
            lambda d: _flag(d, "child_night_pain")["for_a_child"].update(
                label="A child's pain is there all the time."
            ),
            r"'child_night_pain': for_a_child\.label speaks of \"a child\" or \"the child\"",
        ),
        (  # neither "you" nor a child: nothing to reword
            lambda d: _flag(d, "fever").update(
                for_a_child={**_flag(d, "fever")["for_a_child"], "advice": "Your child: x."}
            ),
            'its advice does not speak to "you" or of a child',
        ),
        (
            lambda d: _flag(d, "sudden_severe_weakness")["for_a_child"].update(
                label_unsure="Not sure."
            ),
            "label_unsure has no label_unsure of the flag's own",
        ),
        (
            lambda d: _flag(d, "sudden_severe_weakness").update(for_a_child={"text": "x"}),
            "a mapping with label, label_unsure, advice",
        ),
        (
            lambda d: _flag(d, "sudden_severe_weakness").update(for_a_child={"label": ""}),
            "label must be non-empty text",
        ),
    ],
)
def test_the_loader_refuses_a_flag_without_a_child_s_wording(change: Any, message: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(RedFlagError, match=message):
        _parse(data)


def test_a_flag_that_needs_child_wording_is_named_with_what_to_give() -> None:
    data = copy.deepcopy(RAW)
    data["red_flags"].append(
        {
            "id": "new_sign",
            "label": "Your knee locks.",
            "disposition": "soon",
            "advice": "See a doctor in the next week or two.",
            "rule": {"q": "bear_weight", "in": ["no"]},
            "condition": None,
            "source": "[38]",
        }
    )
    with pytest.raises(RedFlagError, match=r"'new_sign': its label .*for_a_child\.label"):
        _parse(data)
    # Ruled out under 16: no child wording needed.
    data["red_flags"][-1]["rule"] = {
        "all": [{"q": "age", "gte": 16}, data["red_flags"][-1]["rule"]]
    }
    assert any(f.id == "new_sign" for f in _parse(data))


# The flags that fire only for a child or a young person, and speak of "a child".
CHILD_ONLY = (
    "child_under_5",
    "child_fever_cannot_stand",
    "child_limp_with_fever",
    "child_limp_without_injury",
    "child_night_pain",
    "child_hip_limp",
    "child_lasting_pain",
    "child_back_pain",
    "growing_lump_young",
)
A_CHILD = re.compile(r"\b(?:a|the) child\b", re.IGNORECASE)


def test_no_label_a_parent_reads_speaks_of_a_child_not_theirs() -> None:
    """Every label (and each case's) as a parent is told it, for every flag that can fire
    for a child, is about their child: never "A child has ..." or "the child"."""
    told = 0
    for flag in FLAGS:
        if not QUESTIONNAIRE.can_apply_to_a_child(_flag(RAW, flag.id)["rule"]):
            continue
        texts = [flag.child_label or flag.label, flag.child_advice or flag.advice]
        if flag.label_unsure is not None:
            texts.append(flag.child_label_unsure or flag.label_unsure)
        for case in flag.branches:
            texts.append(case.told(unsure=False, child=True))
            if case.label_unsure is not None:
                texts.append(case.told(unsure=True, child=True))
        for text in texts:
            told += 1
            assert not A_CHILD.search(text) or text in (flag.advice, flag.child_advice), text
            assert "the child" not in text.lower(), (flag.id, text)
    assert told > 150


@pytest.mark.parametrize("flag_id", CHILD_ONLY)
def test_every_child_only_flag_says_your_child_to_a_9_year_old_s_parent(flag_id: str) -> None:
    flag = BY_ID[flag_id]
    assert flag.child_label is not None
    assert (flag.child_label_unsure is None) == (flag.label_unsure is None)
    texts = [flag.child_label, flag.child_label_unsure]
    for case in flag.branches:
        texts.append(case.told(unsure=False, child=True))
        if case.label_unsure is not None:
            texts.append(case.told(unsure=True, child=True))
    for text in filter(None, texts):
        assert "your child" in text.lower(), (flag_id, text)
        assert not A_CHILD.search(text), (flag_id, text)
    # The flag's own words (the therapist's intake, the API) stay as they were.
    assert A_CHILD.search(flag.label), flag.label
    # Its advice speaks to the parent about their child.
    advice = flag.child_advice or flag.advice
    assert "your child" in advice.lower() and "the child" not in advice.lower(), advice


def _nine(**answers: Any) -> dict[str, Any]:
    """A 9-year-old's answers, given by a parent (thigh and knee pain for two days, no
    injury), with ``answers`` over them."""
    base = {
        "age": 9, "sex": "male", "location": ["front_thigh_knee"], "side": "right",
        "days_since_onset": 2, "onset": "no_clear_reason", "pain_now": 5,
    }  # fmt: skip
    return person(**{**base, **answers})


@pytest.mark.parametrize(
    ("answers", "flag_id", "label"),
    [
        (  # the phone walk
            _nine(fever="yes", bear_weight="yes", walk_test="could_not"),
            "child_fever_cannot_stand",
            "Your child has a fever or seems unwell, and could not walk 10 steps.",
        ),
        (
            _nine(fever="not_sure", bear_weight="yes", walk_test="could_not"),
            "child_fever_cannot_stand",
            "Your child may have a fever or seem unwell (you are not sure), and could not walk "
            "10 steps.",
        ),
        (
            _nine(fever="yes", bear_weight="no"),
            "child_fever_cannot_stand",
            "Your child has a fever or seems unwell, and cannot stand on the leg and take a few "
            "steps.",
        ),
        (
            _nine(fever="yes", bear_weight="limping", walk_test="limp"),
            "child_limp_with_fever",
            "Your child cannot walk normally on the leg, and has a fever or seems unwell.",
        ),
        (
            _nine(fever="not_sure", bear_weight="yes", walk_test="limp"),
            "child_limp_with_fever",
            "Your child limped when walking 10 steps, and you are not sure whether they have a "
            "fever or seem unwell.",
        ),
        (
            _nine(bear_weight="yes", walk_test="limp"),
            "child_limp_without_injury",
            "Your child could not walk 10 steps normally, with pain that began in the last four "
            "weeks without an injury to explain it.",
        ),
        (
            _nine(bear_weight="not_sure"),
            "child_limp_without_injury",
            "You are not sure whether your child can walk normally on the leg, with pain that "
            "began in the last four weeks without an injury to explain it.",
        ),
        (
            _nine(location=["lower_back"]),
            "child_back_pain",
            "Your child has back pain without an injury.",
        ),
        (
            _nine(days_since_onset=20),
            "child_lasting_pain",
            "Your child has had pain without an injury for more than two weeks.",
        ),
    ],
)
def test_a_9_year_old_s_parent_reads_your_child_in_the_result(
    answers: dict[str, Any], flag_id: str, label: str
) -> None:
    told = {f.id: f for f in screen_as_told(FLAGS, answers)}
    assert told[flag_id].label == label
    assert label in assess(answers).disposition.reasons
    # The same answers at 40 never fire a child's flag.
    assert flag_id not in {f.id for f in screen_as_told(FLAGS, {**answers, "age": 40})}


CHILD_FEVER = person(
    age=9, sex="female", location=["front_thigh_knee"], side="left", days_since_onset=2,
    onset="no_clear_reason", fever="yes", bear_weight="no", pain_now=6,
)  # fmt: skip


@pytest.mark.parametrize("age", [9, 40])
def test_the_engine_picks_the_child_s_words_when_the_answers_say_a_child(age: int) -> None:
    answers = {**CHILD_FEVER, "age": age, "leg_weakness": "slowly"}
    answers.pop("weakness", None)  # asked only when the leg is not weak
    told = {f.id: f for f in screen_as_told(FLAGS, answers)}
    flag = told["fever_with_nerve_signs"]
    if age < 16:
        assert flag.label == (
            "Your child has a fever or seems unwell, and their leg or foot is getting weaker."
        )
        assert flag.advice == BY_ID["fever_with_nerve_signs"].advice  # says no "you"
        assert told["cannot_bear_weight"].label == "Your child cannot stand on the painful leg."
        assert told["cannot_bear_weight"].advice.startswith("Have your child seen by a doctor")
    else:
        assert (
            flag.label == "You have a fever or feel unwell, and your leg or foot is getting weaker."
        )
        assert told["cannot_bear_weight"].label == "You cannot stand on the painful leg."
        assert told["cannot_bear_weight"].advice == BY_ID["cannot_bear_weight"].advice
    result = assess(answers)
    assert flag.label in result.disposition.reasons


def test_a_child_s_not_sure_is_told_as_not_sure_about_the_child() -> None:
    answers = {**CHILD_FEVER, "age": 14, "fever": "no", "saddle_numbness": "not_sure"}
    flag = next(f for f in screen_as_told(FLAGS, answers) if f.id == "ces_saddle_numbness")
    assert flag.unsure
    assert flag.label == (
        "You are not sure whether your child has numbness or pins and needles between their "
        "legs or around their bottom."
    )
    assert flag.advice.startswith("Take your child to the emergency department now.")
    original = BY_ID["ces_saddle_numbness"]
    assert original.is_unsure_label(flag.label)
    assert not original.is_unsure_label(str(original.child_label))


def test_a_child_s_case_label_names_its_case() -> None:
    answers = {**CHILD_FEVER, "age": 12, "fever": "not_sure", "leg_weakness": "slowly"}
    answers.pop("weakness", None)
    flag = next(f for f in screen_as_told(FLAGS, answers) if f.id == "fever_with_nerve_signs")
    original = BY_ID["fever_with_nerve_signs"]
    case = original.told_by(flag.label)
    assert case is not None and case.id == "getting_weaker"
    assert flag.unsure and flag.label == case.child_label_unsure
    assert original.is_unsure_label(flag.label)


def test_every_child_text_has_a_code_for_stored_results_and_translators() -> None:
    texts = build_texts()
    for flag in FLAGS:
        if flag.child_label is not None:
            assert texts[f"flag:{flag.id}:child"] == flag.child_label
        if flag.child_label_unsure is not None:
            assert texts[f"flag:{flag.id}:child:unsure"] == flag.child_label_unsure
        if flag.child_advice is not None:
            assert texts[f"flag:{flag.id}:child:advice"] == flag.child_advice
        for case in flag.branches:
            key = f"flag:{flag.id}:case:{case.id}:child"
            assert texts.get(key) == case.child_label
            assert texts.get(f"{key}:unsure") == case.child_label_unsure
