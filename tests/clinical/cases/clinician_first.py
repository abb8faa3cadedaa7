"""The first cause a careful clinician would name from each story alone.

``clinician_first.yaml`` holds, for every story in ``stories.yaml`` (same ids, same order),
the cause or causes (at most three) a clinician hearing only that story could reasonably name
first as the working diagnosis, with a short note of why. ``load_clinician_first`` reads it
and refuses a file with a missing, extra, duplicated or out-of-order id, an unknown cause id
(not one of ``src/rehabit/clinical/data/conditions.yaml``) or a malformed entry.
"""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FILE = HERE / "clinician_first.yaml"
STORIES = HERE / "stories.yaml"
CONDITIONS = ROOT / "src" / "rehabit" / "clinical" / "data" / "conditions.yaml"
MAX_CAUSES = 3
NOTE_WORDS = (3, 15)


def story_ids(path: Path = STORIES) -> list[str]:
    """The story ids of stories.yaml, in order."""
    return [str(item["id"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def condition_ids(path: Path = CONDITIONS) -> set[str]:
    """The cause ids of conditions.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(item["id"]) for item in data["conditions"]}


def load_clinician_first(path: Path = FILE) -> dict[str, list[str]]:
    """Each story id's first causes, in story order; ValueError if the file is not sound."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a list of entries")
    known = condition_ids()
    first: dict[str, list[str]] = {}
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or set(item) != {"id", "first", "note"}:
            raise ValueError(f"{path.name}: entry {n} must have exactly id, first and note")
        case_id, causes, note = item["id"], item["first"], item["note"]
        if case_id in first:
            raise ValueError(f"{path.name}: {case_id} appears more than once")
        if not isinstance(causes, list) or not 1 <= len(causes) <= MAX_CAUSES:
            raise ValueError(f"{path.name}: {case_id} needs 1 to {MAX_CAUSES} causes")
        if len(set(causes)) != len(causes):
            raise ValueError(f"{path.name}: {case_id} names a cause twice")
        unknown = [c for c in causes if c not in known]
        if unknown:
            raise ValueError(f"{path.name}: {case_id} names unknown causes {unknown}")
        words = len(str(note).split()) if isinstance(note, str) else 0
        if not NOTE_WORDS[0] <= words <= NOTE_WORDS[1]:
            raise ValueError(f"{path.name}: {case_id} note must be 3-15 words")
        first[str(case_id)] = [str(c) for c in causes]
    expected = story_ids()
    if list(first) != expected:
        missing = [i for i in expected if i not in first]
        extra = [i for i in first if i not in expected]
        raise ValueError(
            f"{path.name}: ids must be those of stories.yaml in order"
            f" (missing {missing}, not a story {extra})"
        )
    return first
