"""Throughput of the clinical core: ``assess()`` calls per second on one core.

Rotates over the answers of every vignette in ``tests/clinical/vignettes.yaml`` (a mix of
emergencies, red flags and ordinary cases). The data files are loaded and compiled before
timing starts, as in a running server. Run: ``.venv/bin/python bench/assess_core.py``.
"""

from __future__ import annotations

import itertools
import platform
import sys
import time
from pathlib import Path
from typing import Any

from rehabit.clinical import assess
from rehabit.clinical.questionnaire import parse_yaml

VIGNETTES = Path(__file__).resolve().parents[1] / "tests" / "clinical" / "vignettes.yaml"
TARGET_PER_SECOND = 5_000


def answer_sets() -> list[dict[str, Any]]:
    data = parse_yaml(VIGNETTES.read_text(encoding="utf-8"))
    out = []
    for vignette in data["vignettes"]:
        answers = dict(data["defaults"])
        answers.update(vignette["answers"])
        if answers["age"] < 16:
            answers.pop("sexual_function_change", None)
        out.append(answers)
    return out


def _measure(seconds: float, sets: list[dict[str, Any]], *, to_dict: bool) -> tuple[int, float]:
    rotation = itertools.cycle(sets)
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):  # check the clock every 100 calls
            result = assess(next(rotation))
            if to_dict:
                result.to_dict()
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return count, now - start


def run(seconds: float = 3.0) -> dict[str, Any]:
    """Measure for about ``seconds`` (each of two phases); return the figures."""
    sets = answer_sets()
    for answers in sets:  # warm up: load and compile the data, validate every set once
        assess(answers).to_dict()
    count, elapsed = _measure(seconds, sets, to_dict=False)
    count_dict, elapsed_dict = _measure(seconds, sets, to_dict=True)
    per_second = count / elapsed
    return {
        "answer_sets": len(sets),
        "assessments": count,
        "seconds": round(elapsed, 3),
        "per_second": round(per_second),
        "microseconds_each": round(1e6 / per_second, 1),
        "per_second_with_to_dict": round(count_dict / elapsed_dict),
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": per_second >= TARGET_PER_SECOND,
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    figures = run(seconds)
    print(
        f"assess(): {figures['per_second']:,} assessments/s on one core "
        f"({figures['microseconds_each']} µs each, {figures['answer_sets']} rotating answer sets, "
        f"Python {figures['python']}); with to_dict(): {figures['per_second_with_to_dict']:,}/s; "
        f"target {figures['target_per_second']:,}/s: "
        f"{'met' if figures['meets_target'] else 'NOT met'}"
    )
