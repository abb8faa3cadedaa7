"""How much each right urgent or emergency triage hangs on one answer.

    python bench/clinical_robustness.py                  # the tuning part, both entries
    python bench/clinical_robustness.py --entry story

Another patient with the same problem may leave out one thing the published story says. For
every urgent or emergency case of the tuning part that the guided pages triage at least as
urgently as the clinician did, each optional answer the person gave is left out in turn
(the answers the questionnaire requires stay) and the case is assessed again. A case is
*robust* when no single omission sends it below the clinician's triage; the answers that do
are printed, with how often each one is the only thing holding a case up. A risk factor the
story names (steroid tablets, a blood thinner) may rightly carry a case alone; a finding
that carries many is a place where the triage needs a second route. Only the tuning part:
the locked part is never tuned on.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.clinical.cases.score import cases, entries  # noqa: E402

from rehabit.clinical import assess  # noqa: E402
from rehabit.clinical.engine import load_model  # noqa: E402
from rehabit.clinical.flow import walk  # noqa: E402
from rehabit.clinical.levels import RANK  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entry", choices=["story", "selftests", "both"], default="both")
    args = parser.parse_args()
    required = {q.id for q in load_model().questionnaire.questions.values() if q.required}
    kinds = ["story", "selftests"] if args.entry == "both" else [args.entry]
    for kind in kinds:
        answers_of = entries(kind)
        held_by: Counter[str] = Counter()
        total = right = robust = 0
        fragile: list[str] = []
        for case in cases().values():
            if case.split != "tuning" or case.id not in answers_of:
                continue
            if RANK[case.triage] < RANK["urgent"]:
                continue
            total += 1
            given, _ = walk(answers_of[case.id])
            if RANK[assess(given).disposition.level] < RANK[case.triage]:
                continue
            right += 1
            carriers = []
            for qid in given:
                if qid in required:
                    continue
                fewer = {k: v for k, v in given.items() if k != qid}
                if RANK[assess(fewer).disposition.level] < RANK[case.triage]:
                    carriers.append(qid)
            if carriers:
                held_by.update(carriers)
                fragile.append(f"    {case.id} {case.cause} ({case.triage}): {', '.join(carriers)}")
            else:
                robust += 1
        print(f"tuning part, {kind} entries: {total} urgent or emergency cases")
        print(f"  triaged at least as urgently as the clinician  {right}")
        print(f"  of those, robust to leaving out any one answer {robust} ({robust / right:.1%})")
        if fragile:
            print("  held up by one answer (case, cause, triage: the answers):")
            print("\n".join(fragile))
            print("  answers that alone hold a case up (answer: cases)")
            for qid, count in held_by.most_common():
                print(f"    {qid:28s} {count}")
        print()


if __name__ == "__main__":
    main()
