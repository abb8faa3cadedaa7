"""SQLite: the online backup API, in one step under one read snapshot.

A backup reads through its own connection while the service keeps running (in WAL mode a
reader never blocks the writer, nor the writer it); the copy is switched to a rollback
journal so it is one self-contained file. A restore copies the backup's pages into the
database through the same API: the schema, rows and the audit log's triggers arrive as
pages, so no trigger fires.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from rehabit.backup.common import AUDIT_TABLE, BackupError, refuse_unless_empty

TIMEOUT = 20.0  # seconds to wait for another process's write lock


def _name(settings_dict: dict[str, Any]) -> str:
    return str(settings_dict["NAME"])


def _connect(name: str) -> sqlite3.Connection:
    # Test databases in memory are shared-cache URIs ("file:memorydb_default?mode=memory&…").
    return sqlite3.connect(name, timeout=TIMEOUT, uri=name.startswith("file:"))


def rows_per_table(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def audit_guards(db: sqlite3.Connection) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            [AUDIT_TABLE],
        ).fetchone()[0]
    )


def _check(db: sqlite3.Connection, what: str) -> None:
    try:
        result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what} is damaged: {exc}.") from None
    if result != "ok":
        raise BackupError(f"{what} is damaged: {result}.")


def backup(settings_dict: dict[str, Any], part: Path) -> tuple[str, dict[str, int]]:
    name = _name(settings_dict)
    if not name.startswith("file:") and not Path(name).is_file():
        raise BackupError(
            f"There is no database at {name} to back up (REHABIT_DATA_DIR, DATABASE_URL)."
        )
    source = _connect(name)
    try:
        target = sqlite3.connect(part)
        try:
            source.backup(target)  # pages=-1: all of it in one step, one snapshot
            target.execute("PRAGMA journal_mode=DELETE")
            _check(target, "The backup just written")
            counts = rows_per_table(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Backing up {name} failed: {exc}.") from None
    finally:
        source.close()
    return name, counts


def restore(
    settings_dict: dict[str, Any], path: Path, *, force: bool
) -> tuple[str, dict[str, int], dict[str, int], int]:
    name = _name(settings_dict)
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check(source, str(path))
        if "django_migrations" not in rows_per_table(source):
            raise BackupError(f"{path} is a SQLite database, but not a Rehabit one.")
        if not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        target = _connect(name)
        try:
            before = rows_per_table(target)
            refuse_unless_empty(before, name, force)
            source.backup(target)
            # The file keeps the journal the settings ask for (WAL, set again per connection).
            target.execute("PRAGMA journal_mode=WAL")
            counts = rows_per_table(target)
            guards = audit_guards(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Restoring {path} into {name} failed: {exc}.") from None
    finally:
        source.close()
    return name, before, counts, guards
