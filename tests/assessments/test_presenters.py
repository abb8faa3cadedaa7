"""What the result page shows of the ranking (assessments/presenters.py)."""

from __future__ import annotations

from typing import Any

from rehabit.assessments.presenters import top_causes
from rehabit.clinical import assess
from rehabit.clinical.differential import REASONS_FROM
from tests.clinical.answers import vignette


def cause(cid: str, probability: float, *, red_flag: bool = False) -> dict[str, Any]:
    return {"id": cid, "probability": probability, "red_flag": red_flag}


def test_a_cause_too_unlikely_to_explain_is_not_shown_among_the_top_three() -> None:
    causes = [cause("a", 0.9), cause("b", 0.05), cause("c", 0.004), cause("d", 0.001)]
    assert [c["id"] for c in top_causes(causes)] == ["a", "b"]
    # Linked to a warning sign: shown whatever its probability, as the result says why.
    flagged = [cause("x", 0.002, red_flag=True), cause("a", 0.9), cause("c", 0.004)]
    assert [c["id"] for c in top_causes(flagged)] == ["x", "a"]
    # The first cause is always shown; at 1 % and above, three are.
    assert [c["id"] for c in top_causes([cause("a", 0.005)])] == ["a"]
    three = [cause("a", 0.5), cause("b", 0.3), cause("c", REASONS_FROM), cause("d", 0.0)]
    assert [c["id"] for c in top_causes(three)] == ["a", "b", "c"]


def test_every_cause_shown_among_the_top_has_its_reasons_worked_out() -> None:
    """On a real result (classic sciatica: the third likeliest cause is under 1 %): the
    causes shown with "why it fits" are those whose reasons were worked out (the engine
    leaves them out under REASONS_FROM); the rest are in the fold of less likely causes."""
    causes: list[dict[str, Any]] = assess(vignette("sci_classic")).to_dict()["causes"]  # type: ignore[assignment]
    shown = top_causes(causes)
    assert [c["id"] for c in shown] == ["sciatica", "piriformis_syndrome"]
    assert all(c["why_for"] for c in shown)
    third = causes[2]
    assert third["probability"] < REASONS_FROM and not third["why_for"] and not third["why_against"]
