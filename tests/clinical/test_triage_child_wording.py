"""A child's result, in the words of the parent who answered: the headline, the action, the
severity reasons, the pain lines and every safety net and re-check triage gives.

Under 16 a parent or carer answers (``child_wording.is_child``). Triage gives the same
levels and advice in both voices; only the words change ("See a doctor today" / "Have your
child seen by a doctor today"), and each child text has its own result code (``:child``).
"""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.child_wording import speaks_to_you
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.result_codes import build_texts
from rehabit.clinical.triage import RankedCause, decide, severity, within_two_days
from rehabit.clinical.triage_words import (
    ADULT_WORDS,
    BEST_FIT,
    CHILD_WORDS,
    NOT_A_DIAGNOSIS,
    RULE_OUT,
    SEVERITY_REASONS,
    Words,
)

CONDITIONS = load_conditions()
FLAGS = {f.id: f for f in load_red_flags(load_questionnaire())}
STRAIN = [RankedCause(CONDITIONS["hamstring_strain"], 0.8)]
# Said to whoever answered: a parent's answers are their own.
TO_WHOEVER_ANSWERED = {BEST_FIT, RULE_OUT, NOT_A_DIAGNOSIS}


def _texts(words: Words) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in words._asdict().items():
        if isinstance(value, str):
            out[name] = value
        else:
            out.update({f"{name}:{key}": text for key, text in value.items()})
    return out


def test_every_adult_text_that_says_you_has_a_child_version_that_speaks_of_the_child() -> None:
    adult, child = _texts(ADULT_WORDS), _texts(CHILD_WORDS)
    assert adult.keys() == child.keys()
    for key, text in adult.items():
        if speaks_to_you(text):
            assert child[key] != text, key
        # A parent reads about their child: "you" in a child's text is the parent.
        assert "child" in child[key], key
    for key, text in SEVERITY_REASONS.items():
        if key.endswith(":child"):
            assert "child" in text and speaks_to_you(SEVERITY_REASONS[key[: -len(":child")]])
        else:
            assert f"{key}:child" in SEVERITY_REASONS, key
    # The only texts a child's result shares with an adult's say "your answers".
    for text in TO_WHOEVER_ANSWERED:
        assert "your answers" in text.lower()


def _own_lines(result: Any) -> list[str]:
    """What triage itself said: every line but a flag's own label and advice."""
    flag_texts = {f.label for f in FLAGS.values()} | {f.advice for f in FLAGS.values()}
    lines = [result.headline, *result.reasons, *result.advice]
    return [line for line in lines if line not in flag_texts]


def _speaks_to_the_child(line: str) -> bool:
    if line in TO_WHOEVER_ANSWERED or not speaks_to_you(line):
        return True
    return "child" in line or any(
        line == t.format(name=c.name) for t in (BEST_FIT, RULE_OUT) for c in CONDITIONS.values()
    )


CHILD = {"age": 9, "walk_test": "limp", "pain_now": 6, "onset": "sprinting", "days_since_onset": 2}


@pytest.mark.parametrize(
    ("flags", "level", "headline"),
    [
        (["ces_saddle_numbness"], "emergency", CHILD_WORDS.headlines["emergency"]),
        (["dvt_signs"], "urgent", "Have your child seen by a doctor today"),
        (["suspected_avulsion"], "urgent", "Have your child seen by a doctor today or tomorrow"),
        (["child_night_pain"], "soon", CHILD_WORDS.soon_doctor_days),
        (["growing_lump"], "soon", CHILD_WORDS.soon_doctor),
        ([], "soon", CHILD_WORDS.headlines["soon"]),
    ],
)
@pytest.mark.parametrize("age", [9, 14])
def test_a_child_result_speaks_of_the_child_at_every_level(
    flags: list[str], level: str, headline: str, age: int
) -> None:
    answers = {**CHILD, "age": age}
    result = decide([FLAGS[f] for f in flags], STRAIN, answers)
    adult = decide([FLAGS[f] for f in flags], STRAIN, {**answers, "age": 30})
    assert (result.level, result.headline) == (level, headline)
    assert adult.level == level and len(adult.advice) == len(result.advice)
    assert all(_speaks_to_the_child(line) for line in _own_lines(result)), _own_lines(result)
    if level == "urgent":
        assert within_two_days(result.to_dict()) is within_two_days(adult.to_dict())


def test_a_child_self_care_result_and_its_pain_lines() -> None:
    mild = {"age": 12, "pain_now": 2, "walk_test": "normal", "weakness": "no",
            "leg_weakness": "no", "bear_weight": "yes", "onset": "gradual",
            "days_since_onset": 30}  # fmt: skip
    result = decide([], STRAIN, mild)
    assert result.level == "self_care"
    assert result.headline == "Your child can start with self-care at home"
    assert all(_speaks_to_the_child(line) for line in _own_lines(result))
    assert CHILD_WORDS.safety_net_same_day in result.advice
    assert "you can no longer stand" not in " ".join(result.advice)
    assert severity({"age": 9, "walk_test": "limp", "pain_now": 6})[1] == [
        "Your child limps when they walk.",
        "Your child's pain is 6 out of 10.",
    ]
    assert severity({"age": 9, "pain_now": 2, "pain_worst": 8})[1] == [
        "Your child's pain reached 8 out of 10 in the last day."
    ]
    assert severity({"age": 16, "walk_test": "limp", "pain_now": 6})[1] == [
        "You limp when you walk.",
        "Your pain is 6 out of 10.",
    ]


def test_each_child_text_has_its_own_result_code() -> None:
    texts = build_texts()
    assert texts["headline:urgent:child"] == "Have your child seen by a doctor today"
    assert texts["headline:urgent"] == "See a doctor today"
    assert texts["action:emergency:child"] == CHILD_WORDS.actions["emergency"]
    assert texts["severity:limp:child"] == "Your child limps when they walk."
    assert texts["pain_now:6:child"] == "Your child's pain is 6 out of 10."
    assert texts["pain_worst:8:child"] == "Your child's pain reached 8 out of 10 in the last day."
    for key, text in _texts(CHILD_WORDS).items():
        assert text in texts.values(), key


def test_the_emergency_action_names_no_other_country_s_number() -> None:
    """The page's banner and call button give the local number (core.emergency); the
    action beside them named 999, 112 and 911, read in Paris beside "Call 15"."""
    for words in (ADULT_WORDS, CHILD_WORDS):
        action = words.actions["emergency"]
        assert "your emergency number" in action
        assert not any(n in action for n in ("999", "112", "911"))


def test_the_therapist_s_summary_reads_a_child_s_headline_as_the_adult_one() -> None:
    """The intake summary names the disposition from the stored headline: a child's "Book
    an appointment with your child's doctor ..." is the same "see a doctor" level."""
    from rehabit.clinical.intake_answers import disposition_of

    for adult, child in (
        (ADULT_WORDS.soon_doctor, CHILD_WORDS.soon_doctor),
        (ADULT_WORDS.soon_doctor_days, CHILD_WORDS.soon_doctor_days),
    ):
        assert disposition_of({"disposition": {"level": "soon", "headline": child}}) == (
            disposition_of({"disposition": {"level": "soon", "headline": adult}})
        )
    urgent = {"level": "urgent", "headline": CHILD_WORDS.urgent_days}
    assert within_two_days(urgent)
    assert disposition_of({"disposition": urgent}) == disposition_of(
        {"disposition": {"level": "urgent", "headline": ADULT_WORDS.urgent_days}}
    )
