"""clinician_first.yaml is complete and sound, and its loader refuses a broken copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.clinical.cases.clinician_first import FILE, load_clinician_first, story_ids


def test_every_story_has_first_causes() -> None:
    first = load_clinician_first()
    assert list(first) == story_ids()


@pytest.mark.parametrize("breakage", ["drop_id", "duplicate_id", "unknown_cause"])
def test_broken_copy_is_refused(tmp_path: Path, breakage: str) -> None:
    entries = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    if breakage == "drop_id":
        del entries[len(entries) // 2]
    elif breakage == "duplicate_id":
        entries.append(dict(entries[0]))
    else:
        entries[0]["first"] = ["no_such_cause"]
    broken = tmp_path / "clinician_first.yaml"
    broken.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValueError):
        load_clinician_first(broken)
