"""One-off: add a supplement of gathered cases to the tuning part, blind as before.

    python tests/clinical/cases/gathering/supplement.py G H

The set was split once (merge.py): its locked part stays exactly as it is. A supplement
gathered later (groups given on the command line, each a ``<G>_stories.yaml`` and a
``<G>_labels.yaml`` written under the same brief) goes to the tuning part only. Its cases
are shuffled together so that the blind enterers cannot tell the groups apart, numbered on
from the last case, and appended to ``cases.yaml`` (labels, ``supplement`` naming the date)
and ``stories.yaml`` (narratives only). Run once per supplement; the result is committed.
"""

from __future__ import annotations

import random
import sys

import yaml
from merge import OUT, case_record, gathered  # the script's own folder

SUPPLEMENT = "2026-12-05"


def main(groups: list[str]) -> None:
    records = [record for group in groups for record in gathered(group)]
    random.Random(SUPPLEMENT).shuffle(records)
    cases_text = (OUT / "cases.yaml").read_text()
    existing = yaml.safe_load(cases_text)
    known = {c["gathered_as"] for c in existing}
    assert not known & {story["key"] for story, _ in records}, "supplement already added"
    start = max(int(c["id"].split("-")[1]) for c in existing) + 1
    cases, blind = [], []
    for number, (story, label) in enumerate(records, start=start):
        case_id = f"case-{number:03d}"
        blind.append({"id": case_id, "narrative": story["narrative"].strip() + "\n"})
        record = case_record(case_id, story, label)
        cases.append({**record, "split": "tuning", "supplement": SUPPLEMENT})
    dump = {"sort_keys": False, "allow_unicode": True, "width": 100}
    (OUT / "cases.yaml").write_text(cases_text.rstrip("\n") + "\n" + yaml.safe_dump(cases, **dump))
    stories_text = (OUT / "stories.yaml").read_text()
    (OUT / "stories.yaml").write_text(
        stories_text.rstrip("\n") + "\n" + yaml.safe_dump(blind, **dump)
    )
    first, last = blind[0]["id"], blind[-1]["id"]
    sys.stdout.write(f"{len(cases)} cases added to the tuning part: {first}..{last}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
