"""One-off: merge the gatherers' files into the development set, blind and split once.

    python tests/clinical/cases/gathering/merge.py

Writes ``stories.yaml`` (what the blind enterers see: id and narrative only, in a shuffled
order that hides the gatherers' groups) and ``cases.yaml`` (citation, confirmed cause,
clinician triage and the split). The split is stratified by cause: within each cause the
cases are ordered by a hash of their id and every third goes to the locked part, which is
scored and never tuned on. Run once; the result is committed and never regenerated.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE.parent


def gathered(group: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """One gatherer's (story, label) pairs, joined by key."""
    stories = yaml.safe_load((HERE / f"{group}_stories.yaml").read_text())
    labels = yaml.safe_load((HERE / f"{group}_labels.yaml").read_text())
    assert [s["key"] for s in stories] == [lab["key"] for lab in labels], group
    return list(zip(stories, labels, strict=True))


def case_record(case_id: str, story: dict[str, Any], label: dict[str, Any]) -> dict[str, Any]:
    """A case as cases.yaml holds it: citation and labels (the split is added after)."""
    return {
        "id": case_id,
        "gathered_as": story["key"],
        "citation": story["citation"],
        "source_type": story.get("source_type"),
        "confirmed_diagnosis": label["confirmed_diagnosis"],
        "cause": label["cause"],
        "triage": label["triage"],
        "triage_reason": label.get("triage_reason"),
        "age": label.get("age"),
        "sex": label.get("sex"),
        "age_group": label.get("age_group"),
        "atypical": label.get("atypical"),
        "notes": label.get("notes"),
    }


def main() -> None:
    records = [record for group in "ABCDEF" for record in gathered(group)]
    random.Random(20261205).shuffle(records)
    cases, blind = [], []
    for number, (story, label) in enumerate(records, start=1):
        case_id = f"case-{number:03d}"
        blind.append({"id": case_id, "narrative": story["narrative"].strip() + "\n"})
        cases.append(case_record(case_id, story, label))
    by_cause = defaultdict(list)
    for case in cases:
        by_cause[case["cause"]].append(case)
    for members in by_cause.values():
        members.sort(key=lambda c: hashlib.sha256(c["id"].encode()).hexdigest())
        for index, case in enumerate(members):
            case["split"] = "locked" if index % 3 == 1 else "tuning"
    header = (
        "# Rehabit's clinical development set: published cases of buttock, back-of-thigh and\n"
        "# back-of-knee pain. One entry per patient: citation, confirmed cause (a condition id),\n"
        "# the triage a careful clinician would give, and the split. `locked` cases are scored\n"
        "# and never tuned on. Narratives (our own words) are in stories.yaml; the answers a\n"
        "# patient would give, entered blind from the narratives, are in answers/.\n"
    )
    (OUT / "cases.yaml").write_text(
        header + yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=100)
    )
    (OUT / "stories.yaml").write_text(
        "# Narratives of the development set, for blind entry: no diagnosis, no citation.\n"
        + yaml.safe_dump(blind, sort_keys=False, allow_unicode=True, width=100)
    )
    locked = sum(c["split"] == "locked" for c in cases)
    sys.stdout.write(f"{len(cases)} cases; {locked} locked\n")


if __name__ == "__main__":
    main()
