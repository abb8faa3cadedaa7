"""Accuracy of the assessment on the published-case development set.

    python bench/clinical_cases.py                 # the tuning part, both entries
    python bench/clinical_cases.py --part locked   # the locked part (scored, never tuned on)
    python bench/clinical_cases.py --all-questions # every entered answer, no guided flow

Each case goes through the guided pages (only the questions they would show) and is then
assessed; see tests/clinical/cases/score.py for the measures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tuning", "locked", "all"], default="tuning")
    parser.add_argument("--entry", choices=["story", "selftests", "both"], default="both")
    parser.add_argument("--all-questions", action="store_true", help="skip the guided flow")
    args = parser.parse_args()
    from tests.clinical.cases.score import score, summary

    kinds = ["story", "selftests"] if args.entry == "both" else [args.entry]
    for kind in kinds:
        report = score(args.part, kind, guided=not args.all_questions)
        if report.n:
            print(summary(report))
            print()


if __name__ == "__main__":
    main()
