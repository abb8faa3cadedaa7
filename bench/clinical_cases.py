"""Accuracy of the assessment on the published-case development set.

    python bench/clinical_cases.py                 # the tuning part, both entries
    python bench/clinical_cases.py --part locked   # the locked part (scored, never tuned on)
    python bench/clinical_cases.py --all-questions # every entered answer, no guided flow
    python bench/clinical_cases.py --supplement 2026-12-07 --supplement 2026-12-07b
                                                   # only the cases gathered in a supplement

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
    parser.add_argument(
        "--supplement",
        action="append",
        metavar="LABEL",
        help="only the cases of this supplement (cases.yaml's 'supplement' label); repeatable",
    )
    args = parser.parse_args()
    from tests.clinical.cases.score import Report, score, summary

    kinds = ["story", "selftests"] if args.entry == "both" else [args.entry]
    for kind in kinds:
        report = score(args.part, kind, guided=not args.all_questions)
        if args.supplement:
            ids = _supplement_cases(set(args.supplement))
            kept = [o for o in report.outcomes if o.case.id in ids]
            report = Report(f"{report.part} (supplement {', '.join(args.supplement)})", kind, kept)
        if report.n:
            print(summary(report))
            print()


def _supplement_cases(labels: set[str]) -> set[str]:
    import yaml

    cases = yaml.safe_load((ROOT / "tests/clinical/cases/cases.yaml").read_text(encoding="utf-8"))
    return {c["id"] for c in cases if c.get("supplement") in labels}


if __name__ == "__main__":
    main()
