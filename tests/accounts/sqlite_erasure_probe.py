"""Run as a process of its own on a real SQLite file (``tests/accounts/test_erasure_on_disk``):
create a person, erase them, and report which files still hold their words, while the
connection is still open (as in a running server; closing the last connection would
checkpoint the log by itself and hide the problem).

    python -m tests.clock tests.accounts.sqlite_erasure_probe /tmp/x/rehabit.sqlite3
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

MARKERS = ("Wilhelmina-Probe-Ostrowska", "Earlier-Name-Probe", "w.probe.ostrowska@example.org")


def files_holding(database: Path) -> dict[str, list[str]]:
    found = {}
    for path in (database, Path(f"{database}-wal")):
        data = path.read_bytes() if path.exists() else b""
        found[path.name] = [m for m in MARKERS if m.encode() in data]
    return found


def main() -> None:
    database = Path(sys.argv[1])
    os.environ["REHABIT_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete")
        secure_delete = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # start from an empty log

    from rehabit.accounts.erasure import erase_account
    from rehabit.accounts.models import Profile
    from rehabit.assessments.services import record_assessment
    from tests.accounts.helpers import make_user, valid_answers

    person = make_user(MARKERS[2], name=MARKERS[1])
    Profile.objects.filter(user=person).update(full_name=MARKERS[0])  # a renamed profile
    answers = valid_answers()
    record_assessment(answers, owner=person)
    before = files_holding(database)
    erase_account(person)
    after = files_holding(database)
    sys.stdout.write(
        json.dumps(
            {"journal": journal, "secure_delete": secure_delete, "before": before, "after": after}
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
