"""Test helpers shared across test packages: the written vignettes as answer sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

VIGNETTES = Path(__file__).parent / "clinical" / "vignettes.yaml"

# The conditions the foundation issue requires the differential (and the API) to cover.
REQUIRED_CONDITIONS = frozenset(
    {
        "hamstring_strain",
        "hamstring_avulsion",
        "proximal_hamstring_tendinopathy",
        "ischial_bursitis",
        "sciatica",
        "piriformis_syndrome",
        "muscle_imbalance_tightness",
        "dvt",
        "cauda_equina",
        "vascular_claudication",
        "fracture",
        "infection",
        "tumour",
        "compartment_syndrome",
    }
)


@cache
def vignettes() -> list[dict[str, Any]]:
    """Each written vignette with its answers merged over the file's ``defaults``."""
    with VIGNETTES.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    defaults = data.get("defaults", {})
    return [
        {**case, "answers": _applicable(_yes_no({**defaults, **case["answers"]}))}
        for case in data["vignettes"]
    ]


def _applicable(answers: dict[str, Any]) -> dict[str, Any]:
    """Drop default answers to questions that skip logic hides for this person (the
    defaults answer every question; a 14-year-old is not asked some of them)."""
    from rehabit.assessments.wizard import prune

    return prune(answers)


def _yes_no(answers: dict[str, Any]) -> dict[str, Any]:
    """YAML 1.1 reads bare yes/no as booleans; the questionnaire's values are text."""
    return {
        k: ({True: "yes", False: "no"}[v] if isinstance(v, bool) else v) for k, v in answers.items()
    }


def vignette_for(disposition: str) -> dict[str, Any]:
    """The first vignette whose expected disposition is ``disposition``."""
    for case in vignettes():
        if case["expected_disposition"] == disposition:
            return case
    raise LookupError(disposition)


def answers_for(disposition: str) -> dict[str, Any]:
    return dict(vignette_for(disposition)["answers"])


def section_form(section: Any, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """The POST data a browser sends for one step of the assessment."""
    data: dict[str, Any] = {"action": action}
    for question in section.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        data[question.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data
