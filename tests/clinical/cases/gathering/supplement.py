"""One-off: add a supplement of gathered cases to the tuning part, blind as before.

    python tests/clinical/cases/gathering/supplement.py 2026-12-05 G H
    python tests/clinical/cases/gathering/supplement.py 2026-12-05b I J

The set was split once (merge.py): its locked part stays exactly as it is. A supplement
gathered later (its label, then the groups, each a ``<G>_stories.yaml`` and a
``<G>_labels.yaml`` written under the same brief) goes to the tuning part only. Its cases
are shuffled together (seeded by the label) so that the blind enterers cannot tell the
groups apart, numbered on from the last case, and appended to ``cases.yaml`` (labels,
``supplement`` naming the label) and ``stories.yaml`` (narratives only). A gathered case
whose DOI, PMID or address is already in the set (in either part) is left out and named:
the same patient twice would let the locked part leak into tuning. Run once per
supplement; the result is committed.
"""

from __future__ import annotations

import random
import sys
from typing import Any

import yaml
from merge import OUT, case_record, gathered  # the script's own folder


def citation_keys(citation: dict[str, Any]) -> set[str]:
    """What identifies a paper: its DOI, PMID, address and title, normalised."""
    keys = set()
    title = " ".join(str(citation.get("title") or "").lower().split()).strip(" .")
    if title:
        keys.add(f"title:{title}")
    for field in ("doi", "pmid", "url"):
        value = str(citation.get(field) or "").strip().lower().rstrip("/")
        for prefix in ("https://doi.org/", "http://", "https://", "www."):
            value = value.removeprefix(prefix)
        if value:
            keys.add(f"{field}:{value}")
    return keys


def _patient(citation: dict[str, Any]) -> str:
    """Which patient of a paper ("" for the paper's only one), normalised."""
    return " ".join(str(citation.get("patient") or "").lower().split())


def main(label: str, groups: list[str]) -> None:
    records = [record for group in groups for record in gathered(group)]
    random.Random(label).shuffle(records)
    cases_text = (OUT / "cases.yaml").read_text()
    existing = yaml.safe_load(cases_text)
    known = {c["gathered_as"] for c in existing}
    assert not known & {story["key"] for story, _ in records}, "supplement already added"
    seen: dict[str, set[str]] = {}  # paper -> patients of it in the set ("" = the paper)
    for case in existing:
        for key in citation_keys(case["citation"]):
            seen.setdefault(key, set()).add(_patient(case["citation"]))
    kept = []
    for story, lab in records:
        patient = _patient(story["citation"])
        taken = set().union(*(seen.get(k, set()) for k in citation_keys(story["citation"])))
        if taken and (not patient or patient in taken or "" in taken):
            sys.stdout.write(f"left out {story['key']}: its patient may already be in the set\n")
            continue
        for key in citation_keys(story["citation"]):
            seen.setdefault(key, set()).add(patient)
        kept.append((story, lab))
    records = kept
    start = max(int(c["id"].split("-")[1]) for c in existing) + 1
    cases, blind = [], []
    for number, (story, lab) in enumerate(records, start=start):
        case_id = f"case-{number:03d}"
        blind.append({"id": case_id, "narrative": story["narrative"].strip() + "\n"})
        record = case_record(case_id, story, lab)
        cases.append({**record, "split": "tuning", "supplement": label})
    dump = {"sort_keys": False, "allow_unicode": True, "width": 100}
    (OUT / "cases.yaml").write_text(cases_text.rstrip("\n") + "\n" + yaml.safe_dump(cases, **dump))
    stories_text = (OUT / "stories.yaml").read_text()
    (OUT / "stories.yaml").write_text(
        stories_text.rstrip("\n") + "\n" + yaml.safe_dump(blind, **dump)
    )
    first, last = blind[0]["id"], blind[-1]["id"]
    sys.stdout.write(f"{len(cases)} cases added to the tuning part: {first}..{last}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
