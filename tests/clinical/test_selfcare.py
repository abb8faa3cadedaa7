"""The self-care plan: stages, evidence over RICE, cautions, red-flag suppression, watch-for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical import assess
from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.program import build_program
from rehabit.clinical.selfcare import build_plan
from rehabit.clinical.selfcare_file import SelfCareDataError, load_selfcare, parse_selfcare
from tests.clinical.answers import vignettes as written_vignettes

VIGNETTES = Path(__file__).parent / "vignettes.yaml"
NSAID = re.compile(r"ibuprofen|naproxen|diclofenac|aspirin|anti-inflammator", re.IGNORECASE)
GRADUAL = [
    "proximal_hamstring_tendinopathy",
    "ischial_bursitis",
    "muscle_imbalance_tightness",
    "sciatica",
    "piriformis_syndrome",
    "lumbar_spinal_stenosis",
]
SCREEN_NO = dict.fromkeys(
    ["kidney", "stomach_ulcer", "other_bleeding_medicines", "asthma_or_allergy",
     "heart_or_stroke", "liver", "other_nsaid"], "no",
)  # fmt: skip
ADULT = {"age": 35, "sex": "female", "blood_thinners": "no", "hormones_or_pregnancy": "no"}

# A complete, valid self-assessment: a sprint-type hamstring strain two days ago (dark
# urine is not asked after a sprint).
SPRINT_STRAIN: dict[str, Any] = {
    "age": 28, "sex": "male", "location": ["middle_thigh"], "side": "right",
    "days_since_onset": 2, "onset": "sprinting", "earlier_pain": "no", "pop": "no",
    "course": "better", "pain_now": 3, "pelvic_changes": "no", "both_legs_numb_weak": "no",
    "leg_weakness": "no", "numbness": "no", "bear_weight": "yes",
    "whole_leg_swelling": "no", "leg_red_warm": "no", "breathless_or_chest_pain": "no",
    "leg_cold_pale": "no", "fever": "no", "lump": "no", "thigh_tense_hard": "no",
    "night_pain": "none", "activity_level": "regular",
    "sports": ["sprint_kicking"], "long_sitting": "no", "previous_hamstring_injury": "no",
    "previous_back_problems": "no", "cancer_history": "no", "blood_thinners": "no",
    "clot_risks": ["none"],
    "smoking_or_diabetes": "no", "weak_bones_or_steroids": "no", "bone_stress_risk": "no",
    "weak_immune_system": "no", "worse": ["running", "stretching"], "eases": ["rest"],
    "bruising": "none", "weakness": "no", "walk_test": "normal",
}  # fmt: skip


def result_for(
    level: str = "self_care",
    causes: dict[str, float] | None = None,
    red_flags: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A stored assessment result, in the shape of ``assess(answers).to_dict()``."""
    causes = causes or {"hamstring_strain": 0.8, "muscle_imbalance_tightness": 0.2}
    return {
        "disposition": {
            "level": level,
            "headline": f"Headline for {level}",
            "reasons": [],
            "advice": [f"Advice for {level}"],
        },
        "red_flags": red_flags or [],
        "causes": [
            {"id": c, "name": c, "probability": p, "red_flag": False} for c, p in causes.items()
        ],
    }


def texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for k, v in node.items() if k not in ("source", "expert") for t in texts(v)]
    if isinstance(node, list | tuple):
        return [t for v in node for t in texts(v)]
    return []


def plan_dict(
    result: dict[str, Any], answers: dict[str, Any], days: int | None, **kw: Any
) -> dict[str, Any]:
    return build_plan(
        result, answers, days_since_onset=days, medication=kw.get("medication")
    ).to_dict()


def item_ids(plan: dict[str, Any]) -> list[str]:
    return [i["id"] for i in plan["items"]]


# --- Data -------------------------------------------------------------------------------


def test_every_data_entry_cites_evidence_or_is_marked_expert() -> None:
    raw = load_yaml("selfcare.yaml")
    entries = [raw["stages"], raw["framing"], *raw["items"], *raw["watch_for"]]
    entries += [raw["suppressed"]["item"], raw["suppressed"]["item_soon"], raw["alongside_booking"]]
    entries += [*raw["recheck"].values(), *raw["recheck_booked"].values()]
    for entry in entries:
        assert citation_problem(entry) is None, entry.get("id", entry)
    programs = load_yaml("programs.yaml")
    entries = [programs["selection"], programs["no_exercises"], programs["family_priority"],
               programs["progression"], *programs["cautions"].values(),
               *programs["family_reasons"].values()]  # fmt: skip
    for entry in entries:
        assert citation_problem(entry) is None, entry


def test_the_data_loads_and_extracts_for_translation_like_the_other_data_files() -> None:
    data = load_selfcare()
    assert data.items and data.watch_for
    # The string extractor reads data files with yaml.safe_load (YAML 1.1): it must parse.
    for name in ("selfcare.yaml", "medication_safety.yaml", "programs.yaml"):
        path = Path(__file__).parents[2] / "src" / "rehabit" / "clinical" / "data" / name
        assert yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_item_has_the_fields_the_pages_need() -> None:
    for days in (1, 5, 20):
        plan = plan_dict(result_for(), ADULT, days, medication=SCREEN_NO)
        for item in [*plan["items"], *plan["medication"]["items"], plan["recheck"]]:
            assert {"id", "title", "text", "phase", "kind", "steps", "source", "expert"} <= set(
                item
            )
            assert item["title"] and item["text"] and item["phase"] == plan["phase"]
            assert item["source"] or item["expert"]


# --- Stages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "phase"),
    [(0, "early"), (3, "early"), (4, "middle"), (7, "middle"), (8, "loading"), (400, "loading")],
)
def test_stage_follows_the_days_since_an_injury(days: int, phase: str) -> None:
    assert plan_dict(result_for(), ADULT, days)["phase"] == phase


def test_unknown_days_after_an_injury_show_the_first_days_to_be_safe() -> None:
    plan = plan_dict(result_for(), dict(ADULT), None)
    assert plan["phase"] == "early"
    assert "do not know when the pain began" in plan["stage"]["reason"]


def test_days_come_from_the_assessment_when_not_given() -> None:
    assert plan_dict(result_for(), {**ADULT, "days_since_onset": 10}, None)["phase"] == "loading"
    assert plan_dict(result_for(), {**ADULT, "days_since_onset": 10}, 1)["phase"] == "early"


def test_strong_pain_holds_back_the_loading_stage() -> None:
    plan = plan_dict(result_for(), {**ADULT, "pain_now": 7}, 20)
    assert plan["phase"] == "middle"
    assert "still strong" in plan["stage"]["reason"]


def test_gradual_pain_that_is_still_fairly_strong_settles_before_loading() -> None:
    tendon = result_for(causes={"proximal_hamstring_tendinopathy": 0.9})
    settling = plan_dict(tendon, {**ADULT, "pain_now": 5}, 60)
    assert settling["phase"] == "middle" and "settling" in settling["stage"]["reason"]
    assert plan_dict(tendon, {**ADULT, "pain_now": 2}, 60)["phase"] == "loading"
    # An injury a few weeks old with the same pain loads (the strain ceiling guards it).
    assert plan_dict(result_for(), {**ADULT, "pain_now": 5}, 20)["phase"] == "loading"


@given(st.sampled_from(GRADUAL), st.one_of(st.none(), st.integers(0, 3000)), st.integers(0, 10))
def test_gradual_conditions_skip_the_acute_ice_framing(
    cause: str, days: int | None, pain: int
) -> None:
    plan = plan_dict(
        result_for(causes={cause: 0.9}), {**ADULT, "pain_now": pain, "onset": "sprinting"}, days
    )
    assert plan["phase"] in ("middle", "loading")
    assert plan["stage"]["framing"] == "gradual"
    kinds = {i["kind"] for i in plan["items"]}
    assert "ice" not in kinds and "compression" not in kinds and "elevation" not in kinds
    assert plan["recheck"]["id"] == "recheck_gradual"


def test_a_possible_injury_in_its_first_days_gets_the_first_days_advice() -> None:
    causes = {"doms": 0.7, "hamstring_strain": 0.3}
    early = plan_dict(result_for(causes=causes), ADULT, 2)
    assert (early["stage"]["framing"], early["phase"]) == ("acute", "early")
    assert "warmth_for_stiffness" not in item_ids(early)
    assert plan_dict(result_for(causes=causes), ADULT, 6)["stage"]["framing"] == "gradual"


def test_unknown_cause_falls_back_to_how_the_pain_began() -> None:
    result = result_for(causes={"dvt": 0.5})
    assert plan_dict(result, {**ADULT, "onset": "fall_or_blow"}, 1)["stage"]["framing"] == "acute"
    assert plan_dict(result, {**ADULT, "onset": "gradually"}, 1)["stage"]["framing"] == "gradual"


# --- Evidence over RICE -----------------------------------------------------------------


def test_the_first_days_follow_peace_and_say_where_it_differs_from_rice() -> None:
    plan = plan_dict(result_for(), ADULT, 1, medication=SCREEN_NO)
    words = " ".join(texts(plan))
    assert "We no longer advise complete rest" in words
    assert "RICE" in words
    ids = item_ids(plan)
    for expected in (
        "protect_no_complete_rest",
        "elevate",
        "ice_optional",
        "no_heat_yet",
        "healing_takes_time",
    ):
        assert expected in ids
    ice = next(i for i in plan["items"] if i["id"] == "ice_optional")
    assert "optional" in ice["title"].lower()
    assert any("Never put ice straight on your skin" in s for s in ice["steps"])
    assert any("10 minutes" in s for s in ice["steps"])
    assert "nsaid_not_routine" in [i["id"] for i in plan["medication"]["items"]]
    assert "heat" not in {i["kind"] for i in plan["items"] if i["id"] != "no_heat_yet"}


FIRST_DAYS = re.compile(r"first (\d+) (?:to|or) (\d+) days|first (\d+) days")


def test_advice_for_the_first_days_covers_every_day_it_is_shown() -> None:
    """An item of the first stage is shown up to ``early_until_day``: a text that names
    fewer days ("in the first 1 to 2 days", shown on day 3; phone walk 5) reads as out of
    date on the last days it is shown."""
    data = load_yaml("selfcare.yaml")
    last_day = data["stages"]["early_until_day"]
    checked = 0
    for item in data["items"]:
        if item["phases"] != ["early"]:
            continue
        for text in [item["text"], *item.get("steps", [])]:
            for match in FIRST_DAYS.finditer(text):
                upper = int(match.group(2) or match.group(3))
                assert upper >= last_day, (item["id"], match.group(0))
                checked += 1
    assert checked >= 3  # the ice, heat and protection items name their days


def test_the_middle_stage_brings_heat_and_walking_and_the_loading_stage_love() -> None:
    middle = item_ids(plan_dict(result_for(), ADULT, 5))
    assert {"warmth_for_stiffness", "walk_within_comfort"} <= set(middle)
    assert "ice_optional" not in middle
    loading = item_ids(plan_dict(result_for(), ADULT, 14))
    assert {"load_step_by_step", "optimism", "pain_free_cardio", "return_to_running"} <= set(
        loading
    )
    running = next(
        i for i in plan_dict(result_for(), ADULT, 14)["items"] if i["id"] == "return_to_running"
    )
    assert len(running["steps"]) == 4  # the gates of evidence.md 5.6


def test_compression_only_with_swelling_and_never_with_blood_thinners() -> None:
    assert "compress" not in item_ids(plan_dict(result_for(), ADULT, 1))
    assert "compress" in item_ids(plan_dict(result_for(), {**ADULT, "swelling": "yes"}, 1))
    thinned = {**ADULT, "swelling": "yes", "blood_thinners": "yes"}
    assert "compress" not in item_ids(plan_dict(result_for(), thinned, 1))


@pytest.mark.parametrize("numb", ["yes", "not_sure"])
def test_no_ice_or_heat_on_skin_that_may_have_lost_feeling(numb: str) -> None:
    for days in (1, 5, 20):
        ids = item_ids(plan_dict(result_for(), {**ADULT, "numbness": numb}, days))
        assert not {"ice_optional", "warmth_for_stiffness"} & set(ids)


# --- Medication cautions ----------------------------------------------------------------

screen_answers = st.dictionaries(
    st.sampled_from([*SCREEN_NO, "pregnant", "blood_thinners", "age_65_plus"]),
    st.sampled_from(["yes", "no", "not_sure"]),
)


@given(
    st.integers(0, 40),
    st.sampled_from(["hamstring_strain", "doms", "sciatica", "thigh_contusion"]),
    st.integers(12, 95),
    st.sampled_from(["yes", "no", "not_sure"]),
    screen_answers,
)
def test_no_plan_item_contradicts_a_medication_caution(
    days: int, cause: str, age: int, thinners: str, screen: dict[str, str]
) -> None:
    answers = {**ADULT, "age": age, "blood_thinners": thinners}
    plan = plan_dict(result_for(causes={cause: 0.9}), answers, days, medication=screen)
    medication = plan["medication"]
    sentences = [s for t in texts(plan) for s in re.split(r"(?<=[.:?!])\s+", t)]
    nsaid_sentences = [s for s in sentences if NSAID.search(s)]
    # Anti-inflammatories are only mentioned inside the screened medication section.
    outside = texts({k: v for k, v in plan.items() if k != "medication"})
    assert not [t for t in outside if NSAID.search(t)]
    if medication["status"] != "clear":
        assert "nsaid_if_chosen" not in [i["id"] for i in medication["items"]]
        for sentence in nsaid_sentences:
            lowered = sentence.lower()
            assert "if you choose" not in lowered and "may ease" not in lowered, sentence
            assert "as the label says" not in lowered, sentence
        assert any("pharmacist or doctor" in i["text"] for i in medication["items"])
    if medication["status"] == "caution":
        item = next(i for i in medication["items"] if i["id"] == "nsaid_ask_first")
        cautions = medication["cautions"]
        # Every caution is listed: what was told as told, a "Not sure" as not sure.
        assert item.get("reasons", []) == [
            c["reason"] for c in cautions if c["answer"] != "not_sure"
        ]
        assert item.get("reasons_unsure", []) == [
            c["reason"] for c in cautions if c["answer"] == "not_sure"
        ]
    if age >= 65 or thinners != "no":
        assert medication["status"] == "caution"


# --- Red flags and dispositions ---------------------------------------------------------


@given(
    st.sampled_from(["emergency", "urgent", "soon", "self_care"]),
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 60)),
)
def test_red_flags_suppress_self_care_and_exercises(
    level: str, flagged: bool, days: int | None
) -> None:
    flags = (
        [{"id": "dvt_signs", "label": "Leg swollen", "disposition": "urgent", "advice": "Go"}]
        if flagged
        else []
    )
    result = result_for(level, red_flags=flags)
    plan = plan_dict(result, ADULT, days, medication=SCREEN_NO)
    program = build_program(result, ADULT, days_since_onset=days, pain_now=2).to_dict()
    suppressed = level in ("emergency", "urgent") or flagged
    assert plan["suppressed"] is suppressed
    assert program["suppressed"] is suppressed
    if suppressed:
        assert program["items"] == []
        assert plan["urgent_first"][0] == f"Headline for {level}"
        assert plan["phase"] is None and plan["booking"] is None
        if level == "emergency":  # no medicine screen before emergency care (2026.12.11)
            assert plan["medication"] is None
        else:  # until seen: no painkiller suggested, only the medicine screen's cautions
            medication = [i["id"] for i in plan["medication"]["items"]]
            assert medication[0] == "painkillers_until_seen"
            assert not {"paracetamol_first", "nsaid_if_chosen", "nsaid_not_routine"} & set(
                medication
            )
        assert "not a substitute" in plan["notice"]
        assert [i["kind"] for i in plan["items"]] == ["safety"]  # no exercise, ice or heat
        if level in ("emergency", "urgent"):
            assert item_ids(plan) == ["keep_still_get_help"]
            assert all(w["level"] == "emergency" for w in plan["watch_for"])
        else:  # a "soon" warning sign: wait for the doctor, but do not keep still for weeks
            assert item_ids(plan) == ["wait_for_doctor"]
            assert "keep the leg still" not in plan["items"][0]["text"]
    else:
        assert plan["urgent_first"] == [] and plan["notice"] is None
        assert plan["items"] and plan["medication"] is not None


def test_urgent_today_or_tomorrow_spares_the_leg_instead_of_keeping_it_still() -> None:
    # A suspected stress fracture or torn-off tendon: seen within a day or two, and two days
    # of keeping the leg still would do harm; a same-day urgent result keeps still.
    from rehabit.clinical.triage_words import URGENT_DAYS

    days = result_for("urgent")
    days["disposition"]["headline"] = URGENT_DAYS
    plan = plan_dict(days, ADULT, 3, medication=SCREEN_NO)
    assert plan["suppressed"] and item_ids(plan) == ["spare_the_leg_until_seen"]
    text = plan["items"][0]["text"]
    assert "keep the leg still" not in text and "do not run, jump or stretch" in text
    assert all(w["level"] == "emergency" for w in plan["watch_for"])
    today = plan_dict(result_for("urgent"), ADULT, 3, medication=SCREEN_NO)
    assert item_ids(today) == ["keep_still_get_help"]


def test_soon_offers_the_plan_alongside_booking() -> None:
    plan = plan_dict(result_for("soon"), ADULT, 5)
    assert not plan["suppressed"]
    assert plan["booking"]["headline"] == "Headline for soon"
    # When to book is the disposition's headline, shown above; the text does not repeat it.
    assert plan["booking"]["text"].startswith("Until then, this plan is safe to follow.")
    assert plan_dict(result_for("self_care"), ADULT, 5)["booking"] is None


@pytest.mark.parametrize(
    ("causes", "days", "recheck"),
    [
        ({"hamstring_strain": 0.8}, 1, "recheck_acute_booked"),
        ({"sciatica": 0.9}, 30, "recheck_gradual_booked"),
    ],
)
def test_with_an_appointment_advised_the_recheck_brings_it_forward(
    causes: dict[str, float], days: int, recheck: str
) -> None:
    # Found by a phone walk: the result said "book in the next week or two" and the plan
    # below it said "if not easing after 2 to 3 days, book an appointment".
    plan = plan_dict(result_for("soon", causes=causes), ADULT, days)
    assert plan["booking"] is not None
    assert plan["recheck"]["id"] == recheck
    assert (
        "do not wait" in plan["recheck"]["text"]
        and "ask for an earlier one" in plan["recheck"]["text"]
    )
    assert "book an appointment" not in plan["recheck"]["text"]
    alone = plan_dict(result_for("self_care", causes=causes), ADULT, days)
    assert alone["booking"] is None and "book an appointment" in alone["recheck"]["text"]


def test_watch_for_names_signs_and_what_to_do_with_the_recheck_timeframe() -> None:
    acute = plan_dict(result_for(), ADULT, 1)
    ids = [w["id"] for w in acute["watch_for"]]
    assert {"cauda_equina", "clot_signs", "tight_hard_thigh", "breathless"} <= set(ids)
    assert all(w["sign"] and w["action"] for w in acute["watch_for"])
    assert "48 to 72 hours" in acute["recheck"]["text"]
    gradual = plan_dict(result_for(causes={"sciatica": 0.9}), ADULT, 30)
    assert "1 to 2 weeks" in gradual["recheck"]["text"]
    assert "hard_lump" not in ids
    assert "hard_lump" in [
        w["id"]
        for w in plan_dict(result_for(causes={"thigh_contusion": 0.9}), ADULT, 1)["watch_for"]
    ]


# --- Whole assessments ------------------------------------------------------------------


def test_a_real_assessment_builds_a_plan_and_a_program() -> None:
    result = assess(SPRINT_STRAIN).to_dict()
    assert result["disposition"]["level"] == "self_care"
    plan = plan_dict(result, SPRINT_STRAIN, None, medication=SCREEN_NO)
    assert plan["phase"] == "early" and plan["causes"][0] == "hamstring_strain"
    program = build_program(result, SPRINT_STRAIN, days_since_onset=None, pain_now=None)
    assert program.items and all(i.level == min(i.levels) for i in program.items)


def test_deterministic_and_independent_of_answer_order() -> None:
    result = assess(SPRINT_STRAIN).to_dict()
    reordered = dict(reversed(list(SPRINT_STRAIN.items())))
    one = build_plan(result, SPRINT_STRAIN, days_since_onset=5, medication={"kidney": "yes"})
    two = build_plan(result, reordered, days_since_onset=5, medication={"kidney": "yes"})
    assert one == two and one.to_dict() == two.to_dict()


CHILD_ITEMS = {"child_fever_will_not_stand", "child_limp_fever", "child_night_pain"}


@pytest.mark.parametrize("level", ["self_care", "soon", "urgent"])
def test_a_child_s_plan_names_a_child_s_warning_signs(level: str) -> None:
    # Phone walk 5: a 9-year-old's plan listed the adults' signs (urine like cola after
    # exercise) and not a child who will not stand on the leg.
    child = {**ADULT, "age": 9}
    plan = plan_dict(result_for(level), child, 2)
    ids = {w["id"] for w in plan["watch_for"]}
    wanted = CHILD_ITEMS if level != "urgent" else {"child_fever_will_not_stand"}
    assert wanted <= ids, ids  # after an urgent result only the emergency signs are listed
    emergency = next(w for w in plan["watch_for"] if w["id"] == "child_fever_will_not_stand")
    assert emergency["level"] == "emergency" and "emergency department now" in emergency["action"]
    adult = {w["id"] for w in plan_dict(result_for(level), ADULT, 2)["watch_for"]}
    assert not CHILD_ITEMS & adult


def test_a_watch_item_for_an_unknown_age_group_is_refused() -> None:
    raw = load_yaml("selfcare.yaml")
    raw["watch_for"][0] = {**raw["watch_for"][0], "ages": "teen"}
    with pytest.raises(SelfCareDataError, match="ages"):
        parse_selfcare(raw)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="days_since_onset"):
        build_plan(result_for(), ADULT, days_since_onset=-1, medication=None)
    with pytest.raises(ValueError, match="disposition"):
        build_plan({"causes": []}, ADULT, days_since_onset=1, medication=None)
    with pytest.raises(ValueError, match="kidney"):
        build_plan(
            result_for("emergency"), ADULT, days_since_onset=1, medication={"kidney": "maybe"}
        )


def _vignettes() -> list[dict[str, Any]]:
    """The written vignettes, each with its answers merged over the file's ``defaults``
    (answers to questions that do not apply to the person dropped)."""
    return written_vignettes() if VIGNETTES.exists() else []


@pytest.mark.skipif(not VIGNETTES.exists(), reason="tests/clinical/vignettes.yaml not written yet")
@pytest.mark.parametrize("case", _vignettes(), ids=lambda c: str(c.get("id", c.get("name", "?"))))
def test_every_vignette_builds_a_plan_and_a_program(case: dict[str, Any]) -> None:
    answers = dict(case["answers"])
    result = assess(answers).to_dict()
    plan = build_plan(result, answers, days_since_onset=None, medication=None).to_dict()
    program = build_program(result, answers, days_since_onset=None, pain_now=None).to_dict()
    flagged = result["disposition"]["level"] in ("emergency", "urgent") or bool(result["red_flags"])
    assert plan["suppressed"] is flagged and program["suppressed"] is flagged
    if flagged:
        assert program["items"] == [] and plan["urgent_first"]
    else:
        assert plan["items"] and plan["watch_for"] and plan["recheck"]
