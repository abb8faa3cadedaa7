"""``rehabit backup`` and ``rehabit restore``: the whole database into one file and back.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the database
  in one step under one read snapshot, so the copy is consistent while the service keeps
  serving (WAL: readers never block the writer). The backup is a SQLite file.
- PostgreSQL: ``pg_dump --format=custom`` under a snapshot exported from the connection
  that counted the rows, so the count printed is exactly what the file holds;
  ``pg_restore`` loads it in one transaction, the audit log's append-only triggers after
  its rows (pg_dump puts triggers in the post-data section), so they never fire on the load.

A restore refuses a database that holds data of its own unless ``force`` is given; then the
database becomes exactly the backup. Backups hold health data: the file is created
readable by its owner only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from rehabit.backup.common import (
    BOOKKEEPING,
    ENGINE_NAME,
    BackupError,
    Done,
    default_output,
    engine_of,
    kind_of_file,
    occupied,
    private_file,
)

__all__ = ["BOOKKEEPING", "BackupError", "Done", "backup", "occupied", "restore"]


def backup(output: Path | None = None, *, settings_dict: dict[str, Any] | None = None) -> Done:
    """Back the database up into ``output`` (default: the data folder's ``backups/``)."""
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    settings_dict = settings_dict or connections["default"].settings_dict
    engine = engine_of(settings_dict)
    output = output or default_output(Path(settings.DATA_DIR), engine, timezone.now())
    if output.exists():
        raise BackupError(f"{output} already exists: name another file, or move that one away.")
    part = output.with_name(output.name + ".part")
    started = time.monotonic()
    try:
        private_file(part)
    except FileExistsError:
        raise BackupError(f"{part} exists: is another backup running? If not, remove it.") from None
    except OSError as exc:
        raise BackupError(f"Cannot write {output}: {exc.strerror}.") from None
    try:
        if engine == "sqlite":
            from rehabit.backup import sqlite as impl
        else:
            from rehabit.backup import postgres as impl  # type: ignore[no-redef]
        database, counts = impl.backup(settings_dict, part)
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)
    return Done(
        "backup",
        engine,
        database,
        output,
        tables=len(counts),
        rows=sum(counts.values()),
        size=output.stat().st_size,
        seconds=time.monotonic() - started,
    )


def restore(
    path: Path, *, force: bool = False, settings_dict: dict[str, Any] | None = None
) -> Done:
    """Load the backup at ``path`` into the database, which must be empty unless ``force``."""
    from django.db import connections

    settings_dict = settings_dict or connections["default"].settings_dict
    engine = engine_of(settings_dict)
    kind = kind_of_file(path)
    if kind != engine:
        raise BackupError(
            f"{path} is a {ENGINE_NAME[kind]} backup, but this installation's database is "
            f"{ENGINE_NAME[engine]} (DATABASE_URL). Restore it into a {ENGINE_NAME[kind]} "
            "database, or move the data with `rehabit manage dumpdata` / `loaddata`."
        )
    started = time.monotonic()
    if engine == "sqlite":
        from rehabit.backup import sqlite as impl
    else:
        from rehabit.backup import postgres as impl  # type: ignore[no-redef]
    connections.close_all()  # nothing of ours holds the old database open
    database, before, counts, guards = impl.restore(settings_dict, path, force=force)
    return Done(
        "restore",
        engine,
        database,
        path,
        tables=len(counts),
        rows=sum(counts.values()),
        size=path.stat().st_size,
        seconds=time.monotonic() - started,
        audit_guards=guards,
        replaced=tuple(occupied(before)) if force else (),
    )
