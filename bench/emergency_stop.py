"""How many questions a person answers before the guided pages stop at an emergency.

    python bench/emergency_stop.py

For each published case of the tuning part (both entries) whose guided walk stops at an
emergency warning sign, and for each textbook vignette given the cauda equina answers
(saddle numbness, nothing else of the screening's items), the questions shown up to and
including the page after which the advice comes. Prints the median, the range, and the page
each stop came after.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.clinical.cases.score import cases, entries  # noqa: E402

from rehabit.clinical import flow  # noqa: E402
from rehabit.clinical.datafiles import parse_yaml
from rehabit.clinical.engine import load_model  # noqa: E402

VIGNETTES = Path(__file__).resolve().parent.parent / "tests" / "clinical" / "vignettes.yaml"

SADDLE_NUMBNESS = {
    "pelvic_changes": "yes",
    "saddle_numbness": "yes",
    "bladder_trouble": "no",
    "bladder_bowel_leak": "no",
    "sexual_function_change": "no",
}


def until_stop(answers: Mapping[str, object]) -> tuple[int, str] | None:
    """(questions shown, page id) when the pages stop at an emergency; None if they never do."""
    model = load_model()
    given: dict[str, object] = {}
    shown = 0
    for page in flow.pages(model.questionnaire):
        questions = flow.visible(page, given, model=model)
        shown += len(questions)
        given.update({q.id: answers[q.id] for q in questions if q.id in answers})
        if flow.stopping_flags(given, model):
            return shown, page.id
    return None


def report(title: str, stops: list[tuple[int, str]]) -> None:
    if not stops:
        print(f"{title}: no stop")
        return
    counts = [n for n, _ in stops]
    pages = Counter(p for _, p in stops)
    print(
        f"{title}: {len(stops)} stops, median {statistics.median(counts):g} questions "
        f"(range {min(counts)}-{max(counts)}); after page "
        + ", ".join(f"{p} {n}" for p, n in pages.most_common())
    )


def main() -> None:
    for kind in ("story", "selftests"):
        answers = entries(kind)
        stops = [
            stop
            for case in cases().values()
            if case.split == "tuning" and case.id in answers
            if (stop := until_stop(answers[case.id])) is not None
        ]
        report(f"tuning part, {kind} entries", stops)
    data = parse_yaml(VIGNETTES.read_text(encoding="utf-8"))
    vignette_stops = [
        stop
        for v in data["vignettes"]
        if (stop := until_stop({**data["defaults"], **v["answers"], **SADDLE_NUMBNESS}))
    ]
    report("vignettes with saddle numbness", vignette_stops)


if __name__ == "__main__":
    main()
