"""Bytes per stored assessment in SQLite, the old way and the new (issue 10, storage).

    .venv/bin/python bench/storage.py [--count 2000]

In a fresh SQLite database (a temporary file, migrated as ``rehabit serve`` would), the
same assessments are stored twice, rotating over every vignette in
``tests/clinical/vignettes.yaml``:

* **old**: the whole result dictionary in the row, as before issue 10 (format 1: what
  ``AssessmentResult.to_dict()`` gives, every reason's English sentence included);
* **new**: through ``record_assessment``, the way the site stores them now (codes and
  numbers, the words in one shared catalogue row).

After each, ``VACUUM`` and SQLite's ``dbstat`` give the pages the assessments table and
its indexes take; divided by the count, that is the bytes per assessment (target <= 3 KB;
the catalogue row, shared by every result, is shown apart). Never part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def setup(folder: str) -> None:
    os.environ["REHABIT_DATA_DIR"] = folder
    os.environ["REHABIT_ENV"] = "development"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def table_bytes(path: str, tables: tuple[str, ...]) -> dict[str, int]:
    """Bytes on disk of each table and its indexes (after VACUUM), from dbstat."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("VACUUM")
        rows = connection.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type IN ('table', 'index')"
        ).fetchall()
        owner = {name: table for table, name in rows}
        sizes: dict[str, int] = dict.fromkeys(tables, 0)
        for name, size in connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name)
            if table in sizes:
                sizes[table] += int(size)
        return sizes
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from django.conf import settings
        from django.db import connection, transaction

        import assess_core
        from rehabit.assessments.models import Assessment
        from rehabit.assessments.services import record_assessment
        from rehabit.clinical import assess

        path = str(settings.DATABASES["default"]["NAME"])
        sets = assess_core.answer_sets()
        tables = ("assessments_assessment", "assessments_resulttexts")
        results: dict[str, Any] = {}
        for way in ("old", "new"):
            Assessment.objects.all().delete()
            with transaction.atomic():
                for i in range(args.count):
                    answers = sets[i % len(sets)]
                    if way == "new":
                        record_assessment(answers)
                        continue
                    result = assess(answers).to_dict()
                    row = Assessment(
                        questionnaire_version=result["questionnaire_version"],
                        answers=dict(answers),
                        disposition=result["disposition"]["level"],
                    )
                    row.stored_result = result  # format 1: the whole dictionary
                    row.save()
            connection.close()
            sizes = table_bytes(path, tables)
            results[way] = {
                "per_assessment": sizes["assessments_assessment"] / args.count,
                "catalogue": sizes["assessments_resulttexts"],
            }
        sample = Assessment.objects.first()
        assert sample is not None
        answers_bytes = len(json.dumps(sample.answers, separators=(",", ":")))
        stored_bytes = len(
            json.dumps(sample.stored_result, separators=(",", ":"), ensure_ascii=False)
        )
    old, new = results["old"], results["new"]
    print(
        f"SQLite, {args.count:,} assessments over {len(sets)} vignettes, after VACUUM "
        "(table and indexes, from dbstat):\n"
        f"  old (whole result dictionary): {old['per_assessment'] / 1024:.2f} KB per assessment\n"
        f"  new (codes and numbers):       {new['per_assessment'] / 1024:.2f} KB per assessment "
        f"(target <= 3 KB: {'met' if new['per_assessment'] <= 3 * 1024 else 'NOT MET'}), "
        f"{old['per_assessment'] / new['per_assessment']:.1f}x smaller\n"
        f"  one result's catalogue, shared by every row: {new['catalogue'] / 1024:.1f} KB\n"
        f"  a sample row: answers {answers_bytes:,} bytes, stored result {stored_bytes:,} bytes"
    )


if __name__ == "__main__":
    main()
