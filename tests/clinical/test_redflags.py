"""Red-flag screening: data checks, 'not sure' handling, and every flag on its own vignette."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.questionnaire import load_yaml, parse_yaml
from rehabit.clinical.redflags import RedFlagError, load_red_flags, parse_red_flags, screen
from rehabit.clinical.triage import RANK


@lru_cache(maxsize=1)
def vignettes() -> tuple[dict[str, Any], ...]:
    data = parse_yaml((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))
    out = []
    for v in data["vignettes"]:
        answers = dict(data["defaults"])
        answers.update(v["answers"])
        if answers["age"] < 16:
            answers.pop("sexual_function_change", None)
        out.append({**v, "answers": answers})
    return tuple(out)


FLAGS = load_red_flags(load_questionnaire())
FLAG_IDS = [f.id for f in FLAGS]


def test_the_required_flags_exist() -> None:
    expected = {
        "dvt_signs": "urgent",
        "pulmonary_embolism": "emergency",
        "ces_saddle_numbness": "emergency",
        "ces_bladder": "emergency",
        "ces_leaking": "emergency",
        "ces_both_legs": "emergency",
        "progressive_weakness": "urgent",
        "sudden_severe_weakness": "emergency",
        "fever": "urgent",
        "very_unwell": "emergency",
        "cancer_warning_signs": "urgent",
        "cannot_bear_weight_after_fall": "emergency",
        "vascular_claudication": "soon",
        "critical_limb_ischaemia": "urgent",
        "compartment_syndrome": "emergency",
        "suspected_avulsion": "urgent",
        "acute_limb_ischaemia": "emergency",
        "rhabdomyolysis": "emergency",
        "adolescent_avulsion": "urgent",
        "stress_fracture": "urgent",
    }
    actual = {f.id: f.disposition for f in FLAGS}
    for flag_id, level in expected.items():
        assert actual.get(flag_id) == level, flag_id


def test_flags_are_listed_most_urgent_first() -> None:
    ranks = [RANK[f.disposition] for f in FLAGS]
    assert ranks == sorted(ranks, reverse=True)


def test_every_flag_links_a_real_condition_or_none() -> None:
    conditions = load_conditions()
    for flag in FLAGS:
        assert flag.condition is None or flag.condition in conditions
        assert flag.label.endswith(".") and flag.advice


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_every_flag_fires_on_its_own_vignette(flag_id: str) -> None:
    cases = [v for v in vignettes() if flag_id in v.get("expected_flags", [])]
    assert cases, f"no vignette covers red flag {flag_id!r}"
    for case in cases:
        fired = [f["id"] for f in assess(case["answers"]).to_dict()["red_flags"]]  # type: ignore[index]
        assert flag_id in fired, case["id"]


@pytest.mark.parametrize("flag_id", [f.id for f in FLAGS if f.disposition == "emergency"])
def test_not_sure_counts_as_yes_for_emergency_items(flag_id: str) -> None:
    """Every yes_no warning-sign item in an emergency flag also fires on "not sure" (2.3)."""
    questions = load_questionnaire().questions
    flag = next(f for f in FLAGS if f.id == flag_id)
    raw = next(r for r in load_yaml("red_flags.yaml")["red_flags"] if r["id"] == flag_id)

    def leaves(rule: Any) -> list[Any]:
        if "q" in rule:
            return [rule]
        inner = rule.get("all") or rule.get("any") or [rule.get("not")]
        return [leaf for part in inner for leaf in leaves(part)]

    for leaf in leaves(raw["rule"]):
        question = questions[leaf["q"]]
        if question.section == "warning_signs" and "in" in leaf and "yes" in leaf["in"]:
            assert "not_sure" in leaf["in"], (flag.id, leaf)


def test_not_sure_on_a_cauda_equina_item_is_an_emergency() -> None:
    base = dict(vignettes()[0]["answers"])
    base["bladder_trouble"] = "not_sure"
    result = assess(base).to_dict()
    assert result["disposition"]["level"] == "emergency"  # type: ignore[index]
    assert result["causes"][0]["id"] == "cauda_equina"  # type: ignore[index]


def test_a_flag_about_an_unanswered_question_does_not_fire() -> None:
    flags = screen(FLAGS, {})
    assert flags == ()


def test_screen_reports_most_urgent_first() -> None:
    answers = {"fever": "yes", "saddle_numbness": "yes", "growing_lump": "yes"}
    fired = [f.id for f in screen(FLAGS, answers)]
    assert fired[0] == "ces_saddle_numbness"
    assert set(fired) == {"ces_saddle_numbness", "fever", "growing_lump"}


def test_avulsion_flag_needs_a_pop_plus_bruise_or_high_pain_with_weakness() -> None:
    avulsion = next(f for f in FLAGS if f.id == "suspected_avulsion")
    assert avulsion.rule.holds({"pop": "yes", "bruising": "large"})
    assert avulsion.rule.holds(
        {"pop": "yes", "bruising": "none", "location": ["sitting_bone"], "weakness": "yes"}
    )
    assert not avulsion.rule.holds(
        {
            "pop": "yes",
            "bruising": "small",
            "location": ["middle_thigh"],
            "weakness": "yes",
            "worse": ["running"],
            "bear_weight": "yes",
        }
    )
    assert not avulsion.rule.holds({"pop": "no", "bruising": "large"})


def test_claudication_needs_relief_on_standing_still_and_a_risk_factor() -> None:
    flag = next(f for f in FLAGS if f.id == "vascular_claudication")
    pattern = {
        "worse": ["walking"],
        "eases": ["standing_still"],
        "age": 66,
        "smoking_or_diabetes": "no",
    }
    assert flag.rule.holds(pattern)
    assert not flag.rule.holds({**pattern, "age": 30})
    assert flag.rule.holds({**pattern, "age": 30, "smoking_or_diabetes": "yes"})
    assert not flag.rule.holds({**pattern, "worse": ["walking", "sitting"]})  # rest pain pattern


RAW = load_yaml("red_flags.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["red_flags"][0].update(disposition="self_care"), "disposition must be"),
        (lambda d: d["red_flags"][0].update(condition="gout"), "unknown condition"),
        (lambda d: d["red_flags"][0].pop("source"), "needs 'source'"),
        (lambda d: d["red_flags"][0].update(source="[999]"), "must cite references"),
        (
            lambda d: d["red_flags"][0].update(rule={"q": "saddle_numbness", "in": ["yse"]}),
            "not an option",
        ),
        (
            lambda d: d["red_flags"][0].update(rule={"q": "saddle", "in": ["yes"]}),
            "unknown question",
        ),
        (lambda d: d["red_flags"][0].update(label=""), "label must be"),
        (lambda d: d["red_flags"].append(copy.deepcopy(d["red_flags"][0])), "duplicate id"),
    ],
)
def test_malformed_flags_fail_loudly(change: Any, message: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(RedFlagError, match=message):
        parse_red_flags(data, load_questionnaire(), load_conditions())
