"""Checks on the treatments and prevention content (``treatments.yaml``, ``prevention.yaml``):
every claim carries a grade and a citation, every cause has a treatments section, the
anchors the issue names say what the trials found, and nothing is copied from the seed
article."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import REFERENCE_COUNT, extra_references, load_yaml
from rehabit.clinical.prevention import load_prevention
from rehabit.clinical.treatments import (
    GRADES,
    TreatmentDataError,
    load_treatments,
    parse_treatments,
)
from tests.clinical.test_education_content import (
    _seed_sentences,
    _shingles,
    _words,
    seed_texts,  # noqa: F401  (fixture)
)

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "rehabit" / "clinical" / "data"
FILES = ["treatments.yaml", "prevention.yaml"]
CLAIM_REF = re.compile(r"\[(R?\d+)[a-z]?\]")


def _raw(name: str) -> Any:
    return load_yaml(name)


def _claim_dicts(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping with a "text" (a claim), wherever it sits in the file."""
    if isinstance(node, dict):
        if "text" in node:
            yield path, node
        for key, value in node.items():
            yield from _claim_dicts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _claim_dicts(value, f"{path}[{index}]")


def _strings(node: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _strings(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, skip)


# --- every claim graded and cited -------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_every_claim_has_a_grade_and_a_citation(name: str) -> None:
    claims = list(_claim_dicts(_raw(name)))
    assert len(claims) >= (150 if name == "treatments.yaml" else 10)
    for where, claim in claims:
        assert claim.get("grade") in GRADES, where
        refs = CLAIM_REF.findall(claim.get("source") or "")
        if claim["grade"] == "no_trials" and not refs:
            assert len(str(claim.get("expert", "")).strip()) >= 15, where
        else:
            assert refs, f"{where}: a graded claim needs references"
        for ref in refs:
            if ref.startswith("R"):
                assert ref in extra_references(), f"{where}: {ref} not in references.yaml"
            else:
                assert 1 <= int(ref) <= REFERENCE_COUNT, f"{where}: [{ref}]"


def test_every_cause_has_a_treatments_section_with_options_and_questions() -> None:
    guide = load_treatments()
    assert list(guide.causes) == list(load_conditions())
    for cid, section in guide.causes.items():
        assert section.options and section.questions and section.intro, cid
        assert section.source, cid


def test_every_treatment_has_benefits_harms_questions_and_a_source() -> None:
    guide = load_treatments()
    wanted = {
        "exercise_therapy", "manual_therapy", "massage", "therapeutic_ultrasound",
        "electrical_stimulation", "nsaids", "muscle_relaxants", "nerve_pain_medicines",
        "paracetamol", "opioids", "corticosteroid_injection", "anaesthetic_injection",
        "platelet_rich_plasma", "braces_and_supports", "spinal_manipulation", "acupuncture",
        "proximal_hamstring_repair", "discectomy",
    }  # fmt: skip
    assert wanted <= set(guide.treatments)
    for treatment in guide.treatments.values():
        assert treatment.benefits and treatment.harms and treatment.questions, treatment.id
        assert all(c.grade in GRADES for c in treatment.claims()), treatment.id


def test_numbers_only_inside_cited_claims() -> None:
    """Summaries, intros and questions hold no digits: a figure sits in a cited claim."""
    plain_keys = {"summary", "what_happens", "intro", "questions", "name", "when", "title",
                  "who_for", "not_for"}  # fmt: skip
    treatments, prevention = _raw("treatments.yaml"), _raw("prevention.yaml")
    entries = [*treatments["treatments"], *treatments["causes"].values(), prevention]
    entries += prevention["routines"] + prevention["advice"]
    entries += [o for c in treatments["causes"].values() for o in c["options"]]
    checked = 0
    for entry in entries:
        for key in plain_keys & set(entry):
            for text in _strings(entry[key]):
                assert not re.search(r"\d", text), f"{key}: {text!r}"
                checked += 1
    assert checked > 200


# --- the anchors the issue names ----------------------------------------------------------


def _option(cause: str, treatment: str) -> Any:
    return next(o for o in load_treatments().causes[cause].options if o.treatment == treatment)


def test_prp_for_hamstring_strain_is_no_better_than_placebo() -> None:
    option = _option("hamstring_strain", "platelet_rich_plasma")
    assert option.verdict == "not_recommended" and option.claim.grade == "high"
    assert "R15" in option.claim.references
    assert "Reurink" in extra_references()["R15"] and "N Engl J Med" in extra_references()["R15"]


def test_pregabalin_for_sciatica_is_no_better_than_placebo() -> None:
    option = _option("sciatica", "nerve_pain_medicines")
    assert option.verdict == "not_recommended"
    assert "R18" in option.claim.references and "dummy tablet" in option.claim.text
    assert "Mathieson" in extra_references()["R18"] and "2017" in extra_references()["R18"]


def test_the_nordic_curl_roughly_halves_hamstring_injuries() -> None:
    evidence = load_prevention().evidence
    halves = next(c for c in evidence if "56" in c.references)
    assert "halve" in halves.text and "0.49" in halves.text
    assert any("R19" in c.references for c in evidence)
    assert "van der Horst" in extra_references()["R19"]


def test_references_are_append_only_and_numbered_without_gaps() -> None:
    keys = list(
        yaml.safe_load((DATA_DIR / "references.yaml").read_text(encoding="utf-8"))["references"]
    )
    assert keys == [f"R{n}" for n in range(1, len(keys) + 1)]


# --- the loader refuses bad data ----------------------------------------------------------


@pytest.fixture
def good() -> dict[str, Any]:
    return copy.deepcopy(_raw("treatments.yaml"))


def _broken(data: dict[str, Any]) -> str:
    with pytest.raises(TreatmentDataError) as caught:
        parse_treatments(data, list(load_conditions()))
    return str(caught.value)


def test_a_claim_without_a_grade_is_refused(good: dict[str, Any]) -> None:
    del good["treatments"][0]["benefits"][0]["grade"]
    assert "grade" in _broken(good)


def test_a_claim_without_a_citation_is_refused(good: dict[str, Any]) -> None:
    del good["treatments"][0]["benefits"][0]["source"]
    assert "source" in _broken(good)


def test_only_a_no_trials_claim_may_rest_on_an_expert_reason(good: dict[str, Any]) -> None:
    claim = good["treatments"][0]["benefits"][0]
    del claim["source"]
    claim["expert"] = "A long enough expert reason for the check."
    assert "no_trials" in _broken(good)


def test_an_unknown_reference_is_refused(good: dict[str, Any]) -> None:
    good["treatments"][0]["benefits"][0]["source"] = "[R999]"
    assert "R999" in _broken(good)


def test_a_missing_cause_section_is_refused(good: dict[str, Any]) -> None:
    del good["causes"]["sciatica"]
    assert "sciatica" in _broken(good)


def test_a_number_outside_a_claim_is_refused(good: dict[str, Any]) -> None:
    good["causes"]["sciatica"]["intro"] = "Most sciatica eases within 12 weeks."
    assert "digits" in _broken(good)


def test_an_option_naming_an_unknown_treatment_is_refused(good: dict[str, Any]) -> None:
    good["causes"]["sciatica"]["options"][0]["treatment"] = "magic_beans"
    assert "magic_beans" in _broken(good)


# --- style and originality ------------------------------------------------------------------


NOT_PROSE = frozenset({"id", "source", "expert", "grade", "verdict", "treatment", "group",
                       "exercise", "version", "kind", "sides", "dosage_source"})  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_plain_text_without_markup_doses_or_american_spelling(name: str) -> None:
    markup = re.compile(r"<[a-zA-Z/!]|\*\*|__|`|\[[^\]]*\]\(", re.MULTILINE)
    american = re.compile(
        r"\b(tumor|color|behavior|center|pediatric|orthopedic|anemia|edema|hematoma|"
        r"anesthe\w*|fiber|program|recognize\w*|minimize\w*|stabilize\w*)\b",
        re.IGNORECASE,
    )
    for text in _strings(_raw(name), NOT_PROSE):
        assert not markup.search(text), text[:60]
        assert not re.search(r"\d\s*(mg|milligram|tablets? a day)", text.lower()), text[:60]
        match = american.search(text)
        assert not match, f"{name}: American spelling {match.group(0)!r} in {text[:60]!r}"


def test_medicine_harms_send_people_to_a_pharmacist() -> None:
    nsaids = load_treatments().treatments["nsaids"]
    assert any("pharmacist" in c.text for c in nsaids.harms)
    assert "pharmacist" in nsaids.what_happens


@pytest.mark.parametrize("name", FILES)
def test_no_seed_sentence_or_eight_word_run_is_reused(name: str, seed_texts: list[str]) -> None:  # noqa: F811
    sentences = [s for text in seed_texts for s in _seed_sentences(text)]
    seed_shingles: set[tuple[str, ...]] = set()
    for text in seed_texts:
        seed_shingles |= _shingles(_words(text))
    problems = []
    for text in _strings(_raw(name), NOT_PROSE):
        words = _words(text)
        joined = " " + " ".join(words) + " "
        problems += [" ".join(s) for s in sentences if " " + " ".join(s) + " " in joined]
        problems += [" ".join(s) for s in _shingles(words) & seed_shingles]
    assert not problems, problems
