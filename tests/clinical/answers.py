"""Answer sets for the clinical tests: the written vignettes as valid answers, and
hypothesis strategies that draw any valid answers to the current questionnaire.

The vignettes' ``defaults`` answer every health and warning-sign question with "no"; a
person is only asked the questions whose ``show_if`` holds (two-valued skip logic: an age,
a time since the pain began, how it began, a screening answer), so the defaults to
questions that do not apply to a vignette are dropped here, exactly as the guided pages
would never have asked them. ``complete`` and ``person`` also answer "no" to every required
question that a changed answer opens (a follow-up, or a warning sign whose window now
holds).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from rehabit.clinical import load_questionnaire
from rehabit.clinical.datafiles import parse_yaml
from rehabit.clinical.questionnaire import Question

QUESTIONNAIRE = load_questionnaire()
VIGNETTES = Path(__file__).parent / "vignettes.yaml"

# Property tests: the repository's profile (tests/conftest.py: no deadline) with a fixed
# seed, so every run draws the same examples and a failure is reproducible.
PROPERTY = settings(
    settings.get_profile("rehabit"), max_examples=100, derandomize=True, database=None
)

# Vignettes whose ``expected_flags`` no longer match their story (vignettes.yaml is
# reviewed data and is not edited by the tests): none at present.
STALE_EXPECTED_FLAGS: dict[str, str] = {}

# How the pain began, for the two warning signs that are only asked after some starts (and
# within days of it): a tense, hard thigh (compartment syndrome, within 7 days) after an
# injury or hard effort, and dark urine (rhabdomyolysis, within 14 days) after hard or new
# exercise, a start without a clear reason, or a crush.
TENSE_THIGH_ONSETS = (
    "sprinting",
    "stretch_kick_split",
    "jumping_landing",
    "lifting",
    "fall_or_blow",
    "ordinary_movement",
    "during_sport_no_moment",
    "after_more_training",
)
DARK_URINE_ONSETS = (
    "after_more_training",
    "during_sport_no_moment",
    "lifting",
    "gradually",
    "no_clear_reason",
    "fall_or_blow",
)


def applicable(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to questions that apply, in questionnaire order (show_if is two-valued
    and only looks at earlier questions, so one pass in order is enough)."""
    kept: dict[str, Any] = {}
    for qid, question in QUESTIONNAIRE.questions.items():
        if qid in answers and (question.show_if is None or question.show_if.holds(kept)):
            kept[qid] = answers[qid]
    return kept


def benign(question: Question) -> Any:
    """The "nothing wrong" answer to a required follow-up question."""
    for value in ("no", "none"):
        if value in question.values:
            return [value] if question.type == "multi" else value
    raise LookupError(question.id)


def complete(answers: Mapping[str, Any]) -> dict[str, Any]:
    """``applicable`` plus a benign answer to every required question that now applies and
    is unanswered (the follow-ups a changed answer opens)."""
    kept: dict[str, Any] = {}
    for qid, question in QUESTIONNAIRE.questions.items():
        if question.show_if is not None and not question.show_if.holds(kept):
            continue
        if qid in answers:
            kept[qid] = answers[qid]
        elif question.required:
            kept[qid] = benign(question)
    return kept


@lru_cache(maxsize=1)
def _data() -> Any:
    return parse_yaml(VIGNETTES.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vignettes() -> tuple[dict[str, Any], ...]:
    data = _data()
    return tuple(
        {**v, "answers": applicable({**data["defaults"], **v["answers"]})}
        for v in data["vignettes"]
    )


def person(**answers: Any) -> dict[str, Any]:
    """A complete answer set written like a vignette: ``answers`` over the vignettes'
    ``defaults`` (sex, health and warning signs "no"), follow-ups it opens answered "no"."""
    return complete({**_data()["defaults"], **answers})


def _copy(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else v for k, v in answers.items()}


def vignettes() -> list[dict[str, Any]]:
    """Every written vignette, its answers merged over ``defaults`` (fresh copies)."""
    return [{**v, "answers": _copy(v["answers"])} for v in _vignettes()]


def vignette(name: str) -> dict[str, Any]:
    """The answers of one vignette (a fresh copy)."""
    for v in _vignettes():
        if v["id"] == name:
            return _copy(v["answers"])
    raise LookupError(name)


def strain() -> dict[str, Any]:
    """The first vignette: a footballer with a fresh sprint-type hamstring strain."""
    return _copy(_vignettes()[0]["answers"])


def value_for(question: Question) -> st.SearchStrategy[Any]:
    """Any valid answer to one question."""
    if question.id == "days_since_onset":  # most skip logic and flags look at weeks, not decades
        return st.one_of(st.integers(0, 60), st.integers(0, question.max or 0))
    if question.type in ("integer", "scale"):
        assert question.min is not None and question.max is not None
        return st.integers(question.min, question.max)
    if question.type in ("single", "yes_no"):
        return st.sampled_from(question.option_values)
    plain = [v for v in question.option_values if v not in question.exclusive]
    choices = st.lists(st.sampled_from(plain), min_size=1, max_size=len(plain), unique=True)
    if question.exclusive:
        return st.one_of(choices, st.sampled_from([[v] for v in sorted(question.exclusive)]))
    return choices


@st.composite
def answer_sets(
    draw: st.DrawFn,
    optional: bool = True,
    override: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> dict[str, Any]:
    """Any valid answers: every required question that applies, some optional ones.

    ``override`` draws the answer to some questions from another strategy (when they
    apply), e.g. ``{"age": st.integers(50, 120)}``.
    """
    override = override or {}
    answers: dict[str, Any] = {}
    for qid, question in QUESTIONNAIRE.questions.items():
        if question.show_if is not None and not question.show_if.holds(answers):
            continue
        if qid in override:
            answers[qid] = draw(override[qid])
            continue
        if not question.required and not (optional and draw(st.booleans())):
            continue
        answers[qid] = draw(value_for(question))
    return answers
