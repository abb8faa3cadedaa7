"""Every number in the clinical data carries a citation or an expert reason, and every rule
refers to real questions and options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import REFERENCE_COUNT, citation_problem, load_yaml
from rehabit.clinical.differential_file import load_differential
from rehabit.clinical.flag_branches import split_branches
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.rules import compile_rule

CITED_FILES = ["differential.yaml", "red_flags.yaml", "conditions.yaml"]
CITATION_KEYS = {"source", "expert"}


def numbers(
    node: Any, path: tuple[Any, ...] = (), cited: bool = False
) -> Iterator[tuple[str, bool]]:
    """Yield (path, covered) for every number; covered when it or an enclosing mapping is cited.

    Rule thresholds (``gte``/``lte`` inside a ``rule``) are covered by the citation of the
    entry that owns the rule.
    """
    if isinstance(node, dict):
        here = cited or bool(CITATION_KEYS & set(node))
        for key, value in node.items():
            yield from numbers(value, (*path, key), here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from numbers(value, (*path, index), cited)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield ".".join(map(str, path)), cited


@pytest.mark.parametrize("name", CITED_FILES)
def test_every_number_is_cited(name: str) -> None:
    uncovered = [p for p, covered in numbers(load_yaml(name)) if not covered]
    assert uncovered == []


def _lr_entries(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for cid, entry in data["priors"].items():
        yield f"priors.{cid}", entry
    for item in data["context"]:
        for cid, entry in item["multipliers"].items():
            yield f"context.{item['id']}.{cid}", entry
    for item in data["findings"]:
        for cid, entry in item["lr"].items():
            yield f"findings.{item['id']}.{cid}", entry


def test_every_prior_multiplier_and_lr_has_its_own_citation() -> None:
    """Stricter than the file-wide check: each number-bearing entry cites for itself."""
    problems = [
        (where, citation_problem(entry))
        for where, entry in _lr_entries(load_yaml("differential.yaml"))
        if citation_problem(entry)
    ]
    assert problems == []


def test_every_finding_context_and_flag_is_cited() -> None:
    data = load_yaml("differential.yaml")
    for item in data["context"] + data["findings"]:
        assert citation_problem(item) is None, item["id"]
    for flag in load_yaml("red_flags.yaml")["red_flags"]:
        assert citation_problem(flag) is None, flag["id"]
    for condition in load_yaml("conditions.yaml")["conditions"]:
        assert citation_problem(condition) is None, condition["id"]


def test_sources_name_real_references() -> None:
    pattern = re.compile(r"\[(\d+)[a-z]?\]")
    seen = set()
    for name in CITED_FILES:
        text = str(load_yaml(name))
        for ref in pattern.findall(text):
            assert 1 <= int(ref) <= REFERENCE_COUNT, (name, ref)
            seen.add(int(ref))
    assert len(seen) >= 30  # the model draws on a broad part of the evidence


def test_citation_checker_rejects_bad_entries() -> None:
    assert citation_problem({"value": 2}) is not None
    assert citation_problem({"value": 2, "source": "Smith 2020"}) is not None
    assert citation_problem({"value": 2, "source": "[95]"}) is not None
    assert citation_problem({"value": 2, "expert": "ok"}) is not None
    assert citation_problem({"value": 2, "source": "derived from Sens/Spec in [20]"}) is None
    assert citation_problem({"value": 2, "expert": "A short clinical reason."}) is None


def test_extreme_evidence_lrs_are_clamped_with_a_stated_reason() -> None:
    data = load_yaml("differential.yaml")
    limits = data["limits"]
    assert limits["max_lr"] <= 10 and limits["min_lr"] >= 0.05
    assert citation_problem(limits) is None and 0 < limits["evidence_weight"] <= 1
    claudication = next(f for f in data["findings"] if f["id"] == "eases_standing_still")
    entry = claudication["lr"]["vascular_claudication"]
    assert entry["lr_present"] < 130 and "moderated" in entry["source"]  # ECQ LR+ ~130 [41]


def test_every_rule_refers_to_real_questions_and_options() -> None:
    """Compiling checks question ids and option values; loading the models compiles all."""
    questionnaire = load_questionnaire()
    load_red_flags(questionnaire)
    load_differential(questionnaire)
    for name, key in (("red_flags.yaml", "red_flags"),):
        for item in load_yaml(name)[key]:
            # A flag's cases carry their wording beside the rule keys (flag_branches).
            bare, _ = split_branches(item["rule"], questionnaire.questions, item["id"])
            compile_rule(bare, questionnaire.questions, item["id"])
    data = load_yaml("differential.yaml")
    for item in data["context"] + data["findings"]:
        compile_rule(item["rule"], questionnaire.questions, item["id"])
    assert set(load_yaml("differential.yaml")["priors"]) == set(load_conditions())
