"""The probabilistic ranking: model behaviour, missing answers, explanations, data checks."""

from __future__ import annotations

import copy
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.differential import (
    Differential,
    DifferentialError,
    Effects,
    load_differential,
    parse_differential,
)
from rehabit.clinical.questionnaire import load_yaml, parse_yaml
from rehabit.clinical.validation import validate_answers
from tests.support import REQUIRED_CONDITIONS

SERIOUS = {
    "dvt",
    "cauda_equina",
    "vascular_claudication",
    "fracture",
    "infection",
    "tumour",
    "compartment_syndrome",
    "hamstring_avulsion",
}


@lru_cache(maxsize=1)
def _vignettes() -> dict[str, tuple[tuple[str, Any], ...]]:
    data = parse_yaml((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))
    out = {}
    for v in data["vignettes"]:
        answers = dict(data["defaults"])
        answers.update(v["answers"])
        out[v["id"]] = tuple(answers.items())
    return out


def vignette(name: str) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else v for k, v in _vignettes()[name]}


def model() -> Differential:
    return load_differential(load_questionnaire())


def rank(answers: dict[str, Any]):  # type: ignore[no-untyped-def]
    cleaned = validate_answers(load_questionnaire(), answers)
    return model().rank(model().informative(cleaned))


def probabilities(answers: dict[str, Any]) -> dict[str, float]:
    return {c.id: c.probability for c in rank(answers)}


def test_conditions_cover_the_required_ids_and_seriousness() -> None:
    conditions = load_conditions()
    assert set(conditions) >= REQUIRED_CONDITIONS
    assert {"lumbar_spinal_stenosis", "doms", "thigh_contusion", "referred_hip_or_sij_pain"} <= set(
        conditions
    )
    for cid, condition in conditions.items():
        assert condition.serious == (cid in SERIOUS or cid == "exertional_rhabdomyolysis"), cid
        assert condition.summary.endswith(".") and len(condition.summary.split()) < 45


def test_probabilities_sum_to_one_and_every_condition_is_listed() -> None:
    causes = rank(vignette("hs_football_sprint"))
    assert {c.id for c in causes} == set(load_conditions())
    assert math.isclose(sum(c.probability for c in causes), 1.0, abs_tol=1e-9)
    assert all(0 < c.probability < 1 for c in causes)


def test_order_is_probability_then_id() -> None:
    causes = rank(vignette("sci_classic"))
    keys = [(-c.probability, c.id) for c in causes]
    assert keys == sorted(keys)


def test_flagged_conditions_come_first() -> None:
    cleaned = validate_answers(load_questionnaire(), vignette("hs_football_sprint"))
    causes = model().rank(model().informative(cleaned), flagged={"tumour", "dvt"})
    assert [c.id for c in causes[:2]] == sorted(
        ["tumour", "dvt"], key=lambda i: -next(c.probability for c in causes if c.id == i)
    )
    assert all(c.red_flag for c in causes[:2]) and not any(c.red_flag for c in causes[2:])


def test_not_tried_and_could_not_carry_no_information() -> None:
    base = vignette("pht_marathoner")
    without = {k: v for k, v in base.items() if k != "bridge_test"}
    for value in ("not_tried", "could_not"):
        assert probabilities({**without, "bridge_test": value}) == probabilities(without)


def test_not_being_able_to_walk_is_informative() -> None:
    base = vignette("hs_football_sprint")
    without = {k: v for k, v in base.items() if k != "walk_test"}
    could_not = probabilities({**without, "walk_test": "could_not"})
    assert could_not != probabilities(without)
    assert could_not["fracture"] > probabilities(without)["fracture"]


def test_not_sure_carries_no_information_for_the_ranking() -> None:
    base = vignette("hs_rugby_recurrent")
    assert probabilities({**base, "pop": "not_sure"}) == probabilities(
        {**base, "pop": "not_sure", "bruising": "small"}
    )
    unsure_bruise = probabilities({**base, "bruising": "not_sure"})
    assert unsure_bruise["hamstring_strain"] != probabilities(base)["hamstring_strain"]


def test_absent_weight_only_when_answered() -> None:
    answered = {c.id: c for c in rank({**vignette("sci_minimal"), "numbness": "no"})}
    unanswered = {c.id: c for c in rank(vignette("sci_minimal"))}
    text = "You have no numbness in the leg or foot."
    assert text in answered["sciatica"].why_against
    assert text not in unanswered["sciatica"].why_against
    assert all(text not in c.why_against + c.why_for for c in unanswered.values())


def test_reasons_are_plain_text_strongest_first() -> None:
    causes = {c.id: c for c in rank(vignette("hs_football_sprint"))}
    strain = causes["hamstring_strain"]
    assert strain.why_for[0] == "The pain began suddenly while you were running fast."
    assert "The pain began suddenly while you were running fast." in causes["sciatica"].why_against
    index = [c.id for c in model().conditions].index("hamstring_strain")
    stride = model().bounds[1]
    rank_of = {t: c for c, t in model().code_texts.items() if c // stride == 2 * index}
    order = [rank_of[t] for t in strain.why_for]
    assert order == sorted(order)


def test_changing_an_answer_moves_the_ranking_the_right_way() -> None:
    base = vignette("sci_minimal")
    more = probabilities({**base, "nerve_stretch_test": "below_knee"})
    less = probabilities({**base, "nerve_stretch_test": "no_pain"})
    assert more["sciatica"] > probabilities(base)["sciatica"] > less["sciatica"]


def test_effects_are_dense_and_tempered_within_limits() -> None:
    limits = load_yaml("differential.yaml")["limits"]
    low = limits["min_lr"] ** limits["evidence_weight"]
    high = limits["max_lr"] ** limits["evidence_weight"]
    n = len(load_conditions())
    for finding in model().findings:
        for effects in (finding.present, finding.absent):
            if effects is None:
                continue
            assert isinstance(effects, Effects) and len(effects.lrs) == n
            assert list(effects.codes) == sorted(effects.codes)
            assert all(low - 1e-9 <= lr <= high + 1e-9 for lr in effects.lrs), finding.id


def test_informative_questions_are_the_finding_questions() -> None:
    informative = model().informative_questions
    assert {"onset", "location", "walk_test", "nerve_stretch_test"} <= informative
    assert "age" not in informative  # age acts through the prior (context), not a finding


RAW = load_yaml("differential.yaml")


def _first_lr(data: Any) -> Any:
    return data["findings"][0]["lr"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["priors"].pop("dvt"), "one entry per condition"),
        (lambda d: d["priors"]["dvt"].update(prior=2), r"prior must be in \(0, 1\)"),
        (lambda d: d["priors"]["dvt"].pop("expert"), "needs 'source'"),
        (lambda d: _first_lr(d)["hamstring_strain"].update(lr_present=50), "outside"),
        (lambda d: _first_lr(d)["hamstring_strain"].update(lr_present=0), "positive number"),
        (lambda d: _first_lr(d)["hamstring_strain"].pop("source"), "needs 'source'"),
        (
            lambda d: _first_lr(d).update(gout={"lr_present": 2, "expert": "a made-up entry"}),
            "unknown condition",
        ),
        (lambda d: _first_lr(d)["hamstring_strain"].update(lr_absent=0.5), "no text"),
        (
            lambda d: d["findings"][1].update(text_present=d["findings"][0]["text_present"]),
            "duplicate reason",
        ),
        (lambda d: d["findings"].append(copy.deepcopy(d["findings"][0])), "duplicate id"),
        (lambda d: d["findings"][0].update(rule={"q": "onset", "in": ["sprint"]}), "not an option"),
        (
            lambda d: d["context"][0]["multipliers"]["hamstring_avulsion"].update(value=11),
            "outside",
        ),
        (lambda d: d["limits"].update(evidence_weight=2), "evidence_weight"),
        (lambda d: d["no_information"]["except"].update(nope=["x"]), "bad entry"),
    ],
)
def test_malformed_differential_fails_loudly(change: Any, message: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(DifferentialError, match=message):
        parse_differential(data, load_questionnaire(), load_conditions())


def test_assessment_probabilities_survive_json_round_trip() -> None:
    import json

    out = assess(vignette("ib_cyclist")).to_dict()
    again = json.loads(json.dumps(out))
    assert again == out
