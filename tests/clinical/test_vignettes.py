"""Accuracy on the written clinical vignettes (run with -s to see the figures)."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.clinical import assess
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.levels import LEVELS, RANK
from tests.clinical.answers import STALE_EXPECTED_FLAGS, person, vignettes

# The causes new in questionnaire 2026.12.1 that no vignette in vignettes.yaml has first
# yet: written the same way (a clinician's expectation, over the file's defaults). They are
# checked one by one here and kept out of the accuracy figures, which stay those of the
# reviewed file.
EXTRA_VIGNETTES: list[dict[str, Any]] = [
    {
        "id": "bc_knee_arthritis",
        "story": "64-year-old with knee arthritis: an ache and a soft lump behind the knee for "
        "two months, worse on stairs and standing; no pulsing, calf not swollen.",
        "expected_top": "bakers_cyst",
        "expected_disposition": "soon",
        "answers": person(
            age=64, sex="female", activity_level="light", location=["behind_knee", "calf"],
            side="right", days_since_onset=60, onset="gradually", course="comes_and_goes",
            pain_now=3, pain_worst=5, pain_quality=["ache", "tight"],
            worse=["walking", "climbing_stairs", "standing"], eases=["rest"], night_pain="none",
            lump="yes", lump_features=["none"], swelling="yes", tenderness="no",
            walk_test="painful",
        ),
    },
    {
        "id": "aa_popliteal_pulsing",
        "story": "74-year-old smoker with a lump behind the knee that beats like a pulse, and "
        "an ache in the calf on walking for six weeks.",
        "expected_top": "arterial_aneurysm",
        "expected_disposition": "urgent",
        "expected_flags": ["pulsing_lump"],
        "answers": person(
            age=74, sex="male", activity_level="light", smoking_or_diabetes="yes",
            location=["behind_knee", "calf"], side="left", days_since_onset=45,
            onset="gradually", course="same", pain_now=3, pain_quality=["ache", "throbbing"],
            worse=["walking"], eases=["rest"], night_pain="none", lump="yes",
            lump_features=["pulsing"], walk_test="painful",
        ),
    },
    {
        "id": "efl_cyclist",
        "story": "27-year-old competitive cyclist: for six months the thigh burns and loses "
        "power only at full effort, gone within minutes of stopping; no pain at rest.",
        "expected_top": "exercise_flow_limitation",
        "expected_disposition": "soon",
        "answers": person(
            age=27, sex="male", activity_level="intense", sports=["cycling_rowing"],
            location=["upper_thigh", "middle_thigh"], side="left", days_since_onset=180,
            onset="during_sport_no_moment", course="same", pain_now=0, pain_worst=7,
            pain_quality=["cramping", "burning"], worse=["full_effort", "cycling"],
            eases=["stopping_exercise"], night_pain="none", tenderness="no",
            walk_test="normal", hop_test="no_pain", bridge_test="no_pain",
            knee_bend_test="no_pain", nerve_stretch_test="no_pain",
            hamstring_stretch_test="stretch_only",
        ),
    },
]  # fmt: skip


def _result(v: dict[str, Any]) -> dict[str, Any]:
    out = assess(v["answers"]).to_dict()
    ids = [c["id"] for c in out["causes"]]  # type: ignore[union-attr,index]
    return {
        "vignette": v,
        "top": ids[0],
        "top3": ids[:3],
        "level": out["disposition"]["level"],  # type: ignore[index]
        "flags": [f["id"] for f in out["red_flags"]],  # type: ignore[union-attr,index]
    }


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    return [_result(v) for v in vignettes()]


def test_the_set_is_big_and_covers_every_condition() -> None:
    written = vignettes()
    assert len(written) >= 50
    every = written + EXTRA_VIGNETTES
    assert len({v["id"] for v in every}) == len(every)
    assert {v["expected_top"] for v in every} == set(load_conditions())
    # Each extra only fills a gap the reviewed file leaves.
    assert not {v["expected_top"] for v in EXTRA_VIGNETTES} & {v["expected_top"] for v in written}
    for v in every:
        assert v["expected_disposition"] in LEVELS
        assert v["story"].strip()
    # (Every red flag has a whole story too: see test_redflags.test_every_flag_has_a_whole_story.)


@pytest.mark.parametrize("v", EXTRA_VIGNETTES, ids=lambda v: v["id"])
def test_the_new_causes_come_first_on_their_stories(v: dict[str, Any]) -> None:
    r = _result(v)
    assert r["top"] == v["expected_top"]
    assert r["level"] == v["expected_disposition"]
    assert set(v.get("expected_flags", [])) <= set(r["flags"])


def test_accuracy(results: list[dict[str, Any]]) -> None:
    n = len(results)
    top1 = sum(r["top"] == r["vignette"]["expected_top"] for r in results) / n
    top3 = sum(r["vignette"]["expected_top"] in r["top3"] for r in results) / n
    exact = sum(r["level"] == r["vignette"]["expected_disposition"] for r in results) / n
    over = sum(RANK[r["level"]] > RANK[r["vignette"]["expected_disposition"]] for r in results)
    print(  # noqa: T201 - the brief asks for the figures on screen with -s
        f"\nVignettes: {n}  top-1 {top1:.1%}  top-3 {top3:.1%}  "
        f"disposition exact {exact:.1%}  over-triaged {over}"
    )
    for r in results:
        v = r["vignette"]
        if r["top"] != v["expected_top"] or r["level"] != v["expected_disposition"]:
            print(  # noqa: T201
                f"  {v['id']}: expected {v['expected_top']}/{v['expected_disposition']}, "
                f"got {r['top']}/{r['level']}"
            )
    assert top1 >= 0.90
    assert top3 >= 0.98
    assert exact >= 0.90


def test_never_under_triaged(results: list[dict[str, Any]]) -> None:
    under = [
        (r["vignette"]["id"], r["vignette"]["expected_disposition"], r["level"])
        for r in results
        if RANK[r["level"]] < RANK[r["vignette"]["expected_disposition"]]
    ]
    assert under == []


def test_every_emergency_vignette_is_an_emergency(results: list[dict[str, Any]]) -> None:
    emergencies = [r for r in results if r["vignette"]["expected_disposition"] == "emergency"]
    assert len(emergencies) >= 10
    assert all(r["level"] == "emergency" for r in emergencies)


def _flag_cases() -> list[Any]:
    return [
        pytest.param(
            v,
            id=v["id"],
            marks=[pytest.mark.xfail(strict=True, reason=STALE_EXPECTED_FLAGS[v["id"]])]
            if v["id"] in STALE_EXPECTED_FLAGS
            else [],
        )
        for v in vignettes()
        if v.get("expected_flags")
    ]


@pytest.mark.parametrize("v", _flag_cases())
def test_expected_red_flags_fire(v: dict[str, Any]) -> None:
    fired = {f.id for f in assess(v["answers"]).red_flags}
    assert set(v["expected_flags"]) <= fired


def test_the_answers_are_those_the_pages_would_ask() -> None:
    """Defaults to questions that do not apply (age, time, a "no" screening answer) are
    dropped, never sent: the server would refuse them."""
    for v in vignettes():
        answers = v["answers"]
        assert answers["pelvic_changes"] != "no" or "saddle_numbness" not in answers, v["id"]
        if answers["age"] < 50:
            assert "foot_sore" not in answers, v["id"]
