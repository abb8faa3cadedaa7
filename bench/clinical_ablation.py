"""Which findings help or hurt the ranking on the tuning part of the published cases.

    python bench/clinical_ablation.py [--top 25]

Each finding and each context rule of ``clinical/data/differential.yaml`` is removed in turn
and the tuning part (both entries, through the guided pages) is ranked again: the change in
the mean log probability of the confirmed cause, and in how often it is first and in the top
three (by probability: causes linked to a fired warning sign are not moved ahead, as the
result page does). A finding whose removal helps is a finding to review against its sources, not to
delete on this evidence alone. Only the tuning part: the locked part is never tuned on.
"""

from __future__ import annotations

import argparse
import copy
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.clinical.cases.score import cases, entries  # noqa: E402

from rehabit.clinical.conditions import load_conditions  # noqa: E402
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.differential import Differential  # noqa: E402
from rehabit.clinical.differential_file import parse_differential  # noqa: E402
from rehabit.clinical.engine import load_model  # noqa: E402
from rehabit.clinical.flow import walk  # noqa: E402
from rehabit.clinical.redflags import flag_evidence, flag_urgency, screen_as_told  # noqa: E402
from rehabit.clinical.validation import validate_answers  # noqa: E402

Case = tuple[str, dict[str, object], Mapping[str, int], Mapping[str, float]]


def tuning_cases() -> list[Case]:
    model = load_model()
    out: list[Case] = []
    for kind in ("story", "selftests"):
        answers = entries(kind)
        for case in cases().values():
            if case.split != "tuning" or case.id not in answers:
                continue
            given, _ = walk(answers[case.id])
            cleaned = validate_answers(model.questionnaire, given)
            flags = screen_as_told(model.red_flags, cleaned)
            evidence = flag_evidence(flags, model.differential.warning_sign_lr)
            out.append((case.cause, cleaned, flag_urgency(flags), evidence))
    return out


def evaluate(differential: Differential, data: list[Case]) -> tuple[float, int, int]:
    """(mean log probability of the confirmed cause, cases first, cases in the top three)."""
    log_p = 0.0
    first = top3 = 0
    for truth, cleaned, flagged, evidence in data:
        causes = differential.rank(differential.informative(cleaned), flagged, evidence)
        order = sorted(causes, key=lambda c: -c.probability)
        rank = [c.id for c in order].index(truth)
        log_p += math.log(max(next(c.probability for c in order if c.id == truth), 1e-4))
        first += rank == 0
        top3 += rank < 3
    return log_p / len(data), first, top3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="rows to print")
    args = parser.parse_args()
    questionnaire = load_model().questionnaire
    conditions = load_conditions()
    raw: dict[str, Any] = load_yaml("differential.yaml")
    data = tuning_cases()
    base = evaluate(parse_differential(raw, questionnaire, conditions), data)
    print(
        f"tuning part, both entries: {len(data)} walks; mean log p {base[0]:.4f}, "
        f"first {base[1]}, top three {base[2]}"
    )
    rows = []
    for section in ("findings", "context"):
        for index, item in enumerate(raw[section]):
            without = copy.deepcopy(raw)
            del without[section][index]
            score = evaluate(parse_differential(without, questionnaire, conditions), data)
            rows.append((score, section, item["id"]))
    rows.sort(key=lambda row: -row[0][0])
    print("removing it changes: mean log p, first, top three")
    for (log_p, first, top3), section, item_id in rows[: args.top]:
        print(
            f"  {log_p - base[0]:+.4f} {first - base[1]:+4d} {top3 - base[2]:+4d}  "
            f"{section} {item_id}"
        )


if __name__ == "__main__":
    main()
