"""Test helpers shared across test packages: the written vignettes as answer sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

VIGNETTES = Path(__file__).parent / "clinical" / "vignettes.yaml"


@cache
def vignettes() -> list[dict[str, Any]]:
    with VIGNETTES.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return list(data["vignettes"] if isinstance(data, dict) else data)


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
