"""Throughput of the clinical core: ``assess()`` calls per second on one core.

Rotates over the answers of every vignette in ``tests/clinical/vignettes.yaml`` (a mix of
emergencies, red flags and ordinary cases). The data files are loaded and compiled before
timing starts, as in a running server. Run: ``.venv/bin/python bench/assess_core.py [seconds]``.

Timing is taken per full rotation (one "batch"). Besides the sustained rate, the median and
the best batch are reported, with the machine's load average: on a shared machine other
processes steal the core, and the best batch shows what the code itself costs (the usual
``timeit`` practice of taking the minimum).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.datafiles import parse_yaml

VIGNETTES = Path(__file__).resolve().parents[1] / "tests" / "clinical" / "vignettes.yaml"
TARGET_PER_SECOND = 5_000


def answer_sets() -> list[dict[str, Any]]:
    """Each vignette's answers over the defaults, without answers skip logic rules out."""
    data = parse_yaml(VIGNETTES.read_text(encoding="utf-8"))
    questions = load_questionnaire().questions
    out = []
    for vignette in data["vignettes"]:
        answers = {**data["defaults"], **vignette["answers"]}
        while True:  # drop answers to questions that do not apply (rules can chain)
            kept = {
                k: v
                for k, v in answers.items()
                if questions[k].show_if is None or questions[k].show_if.evaluate(answers)
            }
            if kept == answers:
                break
            answers = kept
        out.append(answers)
    return out


def _batches(seconds: float, sets: list[dict[str, Any]], *, to_dict: bool) -> list[float]:
    """Seconds per assessment for each full rotation over the answer sets."""
    per_call: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        if to_dict:
            for answers in sets:
                assess(answers).to_dict()
        else:
            for answers in sets:
                assess(answers)
        per_call.append((time.perf_counter() - start) / len(sets))
    return per_call


def run(seconds: float = 3.0) -> dict[str, Any]:
    """Measure ``assess()`` for about ``seconds`` (and as long again with ``to_dict()``)."""
    sets = answer_sets()
    for answers in sets:  # warm up: load and compile the data, validate every set once
        assess(answers).to_dict()
    batches = _batches(seconds, sets, to_dict=False)
    with_dict = _batches(seconds, sets, to_dict=True)
    sustained = len(batches) / sum(batches)
    best = 1 / min(batches)
    return {
        "answer_sets": len(sets),
        "assessments": len(batches) * len(sets),
        "per_second": round(sustained),
        "per_second_median_batch": round(1 / statistics.median(batches)),
        "per_second_best_batch": round(best),
        "microseconds_each_best": round(min(batches) * 1e6, 1),
        "per_second_with_to_dict": round(len(with_dict) / sum(with_dict)),
        "per_second_with_to_dict_best_batch": round(1 / min(with_dict)),
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": sustained >= TARGET_PER_SECOND,
        "meets_target_best_batch": best >= TARGET_PER_SECOND,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    f = run(seconds)
    print(
        f"assess() on one core, {f['answer_sets']} rotating vignette answer sets, "
        f"Python {f['python']}, load average {f['load_average_1min']} on {f['cpus']} CPUs\n"
        f"  sustained {f['per_second']:,}/s, median batch {f['per_second_median_batch']:,}/s, "
        f"best batch {f['per_second_best_batch']:,}/s ({f['microseconds_each_best']} µs each)\n"
        f"  with to_dict(): sustained {f['per_second_with_to_dict']:,}/s, "
        f"best batch {f['per_second_with_to_dict_best_batch']:,}/s\n"
        f"  target {f['target_per_second']:,}/s: "
        f"{'met' if f['meets_target'] else 'not met'} sustained, "
        f"{'met' if f['meets_target_best_batch'] else 'not met'} on the best batch"
    )
