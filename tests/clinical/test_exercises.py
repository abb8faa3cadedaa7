"""The exercise library (``clinical/data/exercises.yaml``) and its loader.

The library is clinical data: these tests guard its shape, its citations (every number
sourced), its safety rules, its illustrations, and that its words are our own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from rehabit.clinical.exercises import (
    CONDITIONS,
    DATA_FILE,
    ILLUSTRATION_DIR,
    PHASES,
    ExerciseDataError,
    get_exercise,
    load_exercises,
    parse_exercises,
    references,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
SEED_EXERCISES = {
    "seated_hamstring_stretch",
    "standing_quadriceps_stretch",
    "childs_pose",
    "glute_bridge",
}
EVIDENCE_BASED = {
    "isometric_heel_dig",
    "isometric_bridge_hold",
    "single_leg_bridge",
    "askling_extender",
    "askling_diver",
    "askling_glider",
    "nordic_hamstring_curl",
    "sciatic_nerve_slider",
    "figure_four_stretch",
    "hip_hinge",
    "side_lying_hip_abduction",
    "standing_hip_extension",
    "walking_programme",
    "long_lever_bridge",
    "seated_isometric_knee_flexion",
}
TEXT_FIELDS = ("name", "summary", "should_feel", "should_not_feel", "alt")
SHINGLE_WORDS = 8


def _raw() -> list[dict[str, Any]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _shared_dir() -> Path | None:
    """The shared folder beside the repository (``/work/shared`` or ``../shared`` in CI)."""
    candidates = [Path(p) for p in [os.environ.get("REHABIT_SHARED_DIR")] if p]
    candidates += [Path("/work/shared"), REPO_ROOT.parent / "shared"]
    return next((c for c in candidates if c.is_dir()), None)


def _texts(entry: dict[str, Any]) -> Iterator[str]:
    """Every piece of text a person can read."""
    for key in TEXT_FIELDS:
        yield entry[key]
    yield from entry["steps"]
    yield from (rule["reason"] for rule in entry["avoid_when"])
    if "tempo" in entry["dosage"]:
        yield entry["dosage"]["tempo"]


# --- the library ------------------------------------------------------------------------


def test_library_loads_with_at_least_sixteen_exercises() -> None:
    exercises = load_exercises()
    assert len(exercises) >= 16
    assert load_exercises() is exercises  # cached


def test_the_four_seed_exercises_and_the_evidence_based_ones_are_present() -> None:
    ids = {exercise.id for exercise in load_exercises()}
    assert ids >= SEED_EXERCISES
    assert ids >= EVIDENCE_BASED


def test_ids_are_unique() -> None:
    ids = [entry["id"] for entry in _raw()]
    assert len(ids) == len(set(ids))


def test_get_exercise_finds_each_exercise_and_rejects_unknown_ids() -> None:
    for exercise in load_exercises():
        assert get_exercise(exercise.id) is exercise
    with pytest.raises(KeyError, match="unknown exercise"):
        get_exercise("handstand")


def test_families_have_contiguous_levels_starting_at_one() -> None:
    levels: dict[str, list[int]] = {}
    for exercise in load_exercises():
        levels.setdefault(exercise.family, []).append(exercise.level)
    for family, found in levels.items():
        assert sorted(found) == list(range(1, len(found) + 1)), family


def test_hamstring_ladder_runs_from_holds_to_nordic_curls() -> None:
    def ladder(family: str) -> list[str]:
        members = [e for e in load_exercises() if e.family == family]
        return [e.id for e in sorted(members, key=lambda e: e.level)]

    assert ladder("hamstring_isometric") == [
        "seated_isometric_knee_flexion",
        "isometric_heel_dig",
        "isometric_bridge_hold",
    ]
    assert ladder("hamstring_strength") == [
        "glute_bridge",
        "single_leg_bridge",
        "long_lever_bridge",
        "nordic_hamstring_curl",
    ]
    assert ladder("askling_lengthening") == ["askling_extender", "askling_diver", "askling_glider"]


def test_dosage_fits_its_kind() -> None:
    for exercise in load_exercises():
        dosage = exercise.dosage
        if dosage.kind == "hold":
            assert dosage.hold_seconds and dosage.reps and dosage.sets, exercise.id
        elif dosage.kind == "reps":
            assert dosage.reps and dosage.sets and dosage.hold_seconds is None, exercise.id
        else:
            assert dosage.minutes and dosage.reps is None, exercise.id


# --- evidence ---------------------------------------------------------------------------


def _unsourced_numbers(node: object, path: str, inherited: bool) -> Iterator[str]:
    """Numbers with neither a sibling ``<key>_source`` nor a sourced parent mapping."""
    if isinstance(node, dict):
        for key, value in node.items():
            covered = inherited or f"{key}_source" in node
            if isinstance(value, int | float) and not isinstance(value, bool):
                if not covered:
                    yield f"{path}.{key}"
            else:
                yield from _unsourced_numbers(value, f"{path}.{key}", covered)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, int | float) and not isinstance(value, bool) and not inherited:
                yield f"{path}[{index}]"
            else:
                yield from _unsourced_numbers(value, f"{path}[{index}]", inherited)


def test_every_number_carries_a_source() -> None:
    missing = [p for entry in _raw() for p in _unsourced_numbers(entry, entry["id"], False)]
    assert not missing, f"numbers without a *_source: {missing}"


def test_the_number_check_catches_an_unsourced_number() -> None:
    entry = {"id": "x", "dosage": {"reps": 3}, "max_pain": 3, "max_pain_source": "[61]"}
    assert list(_unsourced_numbers(entry, "x", False)) == ["x.dosage.reps"]


def test_every_source_cites_evidence_or_is_marked_expert() -> None:
    pattern = re.compile(r"^(?:(?:\[\d+[a-z]?\])+(?:[:;] \S.*)?|expert: \S.*)$")
    for entry in _raw():
        for key, value in entry.items():
            if key == "source" or key.endswith("_source"):
                assert isinstance(value, str) and pattern.match(value), f"{entry['id']}.{key}"
        assert not ({"expert", "evidence"} & set(entry)), "use source strings, not extra keys"


def test_cited_references_exist_in_the_evidence_file() -> None:
    shared = _shared_dir()
    evidence = shared / "clinical" / "evidence.md" if shared else None
    if evidence is None or not evidence.is_file():
        pytest.skip("clinical/evidence.md not found in /work/shared or ../shared")
    text = evidence.read_text(encoding="utf-8")
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", text.split("## 9. References")[1], re.M)}
    for exercise in load_exercises():
        for source in (
            exercise.source,
            exercise.dosage_source,
            exercise.level_source,
            exercise.max_pain_source,
        ):
            assert set(references(source)) <= listed, f"{exercise.id}: {source}"


def test_askling_doses_carry_the_verify_caveat() -> None:
    for exercise in load_exercises():
        if exercise.family == "askling_lengthening":
            assert "[5][6]" in exercise.dosage_source
            assert "verified against the trial appendices" in exercise.dosage_source


def test_nordic_dose_starts_at_the_trials_first_week() -> None:
    nordic = get_exercise("nordic_hamstring_curl").dosage
    assert (nordic.sets, nordic.reps, nordic.days_per_week) == (2, 5, 1)


# --- safety -----------------------------------------------------------------------------


def test_no_exercise_is_offered_for_a_suspected_avulsion() -> None:
    for exercise in load_exercises():
        assert "hamstring_avulsion" not in exercise.conditions, exercise.id


def test_strain_exercises_keep_the_stricter_pain_ceiling() -> None:
    for exercise in load_exercises():
        if "hamstring_strain" in exercise.conditions:
            assert exercise.max_pain <= 4, exercise.id  # evidence.md 5.5


def test_nordic_curls_are_never_early() -> None:
    assert get_exercise("nordic_hamstring_curl").phases == ("loading",)


def test_no_exercise_both_offers_and_avoids_the_same_condition_and_phase() -> None:
    for exercise in load_exercises():
        for rule in exercise.avoid_when:
            if rule.condition in exercise.conditions:
                assert rule.phase is not None, f"{exercise.id} avoids its own {rule.condition}"
                assert rule.phase not in exercise.phases, f"{exercise.id}: {rule}"


def test_every_condition_and_phase_has_something_to_do() -> None:
    for condition in CONDITIONS - {"hamstring_avulsion"}:
        assert any(condition in e.conditions for e in load_exercises()), condition
    for phase in PHASES:
        assert any(
            "hamstring_strain" in e.conditions and phase in e.phases for e in load_exercises()
        ), phase


def test_early_strain_exercises_do_not_stretch() -> None:
    for exercise in load_exercises():
        if "hamstring_strain" in exercise.conditions and "early" in exercise.phases:
            assert "stretch" not in exercise.family, exercise.id


def test_condition_ids_match_the_conditions_file() -> None:
    text = (DATA_FILE.parent / "conditions.yaml").read_text(encoding="utf-8")
    conditions = yaml.safe_load(text)["conditions"]
    assert {c["id"] for c in conditions} >= CONDITIONS


# --- words ------------------------------------------------------------------------------


def test_text_for_people_holds_no_numbers() -> None:
    for entry in _raw():
        for text in _texts(entry):
            assert not re.search(r"\d", text), f"{entry['id']}: {text!r}"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_no_eight_word_run_is_copied_from_the_seed_article() -> None:
    shared = _shared_dir()
    seed = sorted((shared / "seed").glob("*.txt")) if shared else []
    if not seed:
        pytest.skip("seed article not found in /work/shared/seed or ../shared/seed")
    seed_words = [_words(p.read_text(encoding="utf-8")) for p in seed]
    runs = {
        tuple(words[i : i + SHINGLE_WORDS])
        for words in seed_words
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    copied = []
    for entry in _raw():
        for text in _texts(entry):
            words = _words(text)
            for i in range(len(words) - SHINGLE_WORDS + 1):
                if tuple(words[i : i + SHINGLE_WORDS]) in runs:
                    copied.append(f"{entry['id']}: {' '.join(words[i : i + SHINGLE_WORDS])}")
    assert not copied, copied


# --- illustrations ----------------------------------------------------------------------


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_illustration_file_is_an_accessible_standalone_svg(exercise: Any) -> None:
    path = ILLUSTRATION_DIR / f"{exercise.illustration}.svg"
    text = path.read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == exercise.name
    assert desc is not None and desc.text == exercise.alt
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "image", "foreignObject", "style", "use", "a"}
    assert not re.search(r"href|url\(|@import|javascript:|https?://(?!www\.w3\.org/2000/svg)", text)
    assert not any(attr.startswith("on") for el in root.iter() for attr in el.attrib)


# --- validation at load -----------------------------------------------------------------

_GOOD = """
- id: test_bridge
  name: "Test bridge"
  summary: "A bridge."
  steps: ["Lie down.", "Lift the hips.", "Lower slowly."]
  dosage: {kind: reps, reps: 10, sets: 2, sides: none, rest_seconds: 60, per_day: 1,
           days_per_week: 3}
  dosage_source: "[69]"
  conditions: [hamstring_strain]
  phases: [loading]
  level: 1
  level_source: "expert: alone in its family"
  family: test_family
  avoid_when: [{caution: cramping, reason: "Lift less high."}]
  should_feel: "Work."
  should_not_feel: "Pain."
  max_pain: 3
  max_pain_source: "[61]"
  illustration: glute_bridge
  alt: "A person lifts their hips."
  source: "[69]"
"""


def test_a_valid_entry_parses() -> None:
    (exercise,) = parse_exercises(_GOOD)
    assert exercise.dosage.reps == 10
    assert exercise.avoid_when[0].caution == "cramping"
    assert not exercise.is_expert_only


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("conditions: [hamstring_strain]", "conditions: [broken_leg]", "unknown condition"),
        ("phases: [loading]", "phases: [later]", "unknown phase"),
        ("illustration: glute_bridge", "illustration: no_such_picture", "is missing"),
        ('dosage_source: "[69]"', 'dosage_source: "trust me"', "must cite evidence"),
        ('  max_pain_source: "[61]"\n', "", "missing fields: max_pain_source"),
        ("max_pain: 3", "max_pain: 12", "max_pain must be a whole number"),
        ("level: 1", "level: 2", "levels 1..1"),
        (
            '"Lift the hips."',
            '"Lift the hips for ten seconds, 3 times."',
            "must not contain digits",
        ),
        ("sides: none", "sides: left", "unknown sides"),
        ("rest_seconds: 60,", "rest_seconds: 60, hold_seconds: 5,", "unexpected fields"),
        ("{caution: cramping,", "{caution: sunburn,", "unknown caution"),
        ("{caution: cramping,", "{condition: doms, caution: cramping,", "either a condition"),
        ('["Lie down.", "Lift the hips.", "Lower slowly."]', '["Lie down."]', "3 to 6 steps"),
        ('  source: "[69]"\n', '  source: "[69]"\n  colour: red\n', "unknown fields"),
    ],
)
def test_malformed_entries_are_rejected(old: str, new: str, message: str) -> None:
    assert old in _GOOD
    with pytest.raises(ExerciseDataError, match=re.escape(message)):
        parse_exercises(_GOOD.replace(old, new))


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(ExerciseDataError, match="listed twice"):
        parse_exercises(_GOOD + _GOOD)


def test_the_illustration_check_can_be_skipped_while_generating() -> None:
    text = _GOOD.replace("illustration: glute_bridge", "illustration: not_drawn_yet")
    (exercise,) = parse_exercises(text, illustration_dir=None)
    assert exercise.illustration == "not_drawn_yet"
