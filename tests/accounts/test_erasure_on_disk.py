"""Erased data does not stay on disk in an SQLite database (security finding 10): the
write-ahead log is checkpointed and truncated after an erasure, and deleted content is
overwritten, so neither the log nor the database file holds the person's words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_erasure_leaves_nothing_in_the_wal_or_the_database_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.clock",
            "tests.accounts.sqlite_erasure_probe",
            str(tmp_path / "rehabit.sqlite3"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["journal"] == "wal" and report["secure_delete"] == 1
    assert len(report["before"]["rehabit.sqlite3-wal"]) == 3, "the probe must see the person"
    assert report["after"] == {"rehabit.sqlite3": [], "rehabit.sqlite3-wal": []}
