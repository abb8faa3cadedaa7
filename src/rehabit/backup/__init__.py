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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Rows a plain ``migrate`` writes (and SQLite's own bookkeeping): a database holding only
# these is empty for a restore.
BOOKKEEPING = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "sqlite_sequence",
        "rehabit_cache",
        "audit_purge_permit",
    }
)
AUDIT_TABLE = "audit_auditentry"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
ENGINE_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Done:
    """What a backup or restore did, for the command to print."""

    action: str  # "backup" or "restore"
    engine: str  # "sqlite" or "postgresql"
    database: str  # the database's file or name
    path: Path  # the backup file
    tables: int
    rows: int
    size: int  # bytes of the backup file
    seconds: float
    audit_guards: int = 0  # triggers guarding the audit log after a restore
    replaced: tuple[tuple[str, int], ...] = ()  # tables with rows that a forced restore replaced

    def describe(self) -> str:
        engine = ENGINE_NAME[self.engine]
        size = f"{self.size / 1_000_000:.1f} MB" if self.size >= 100_000 else f"{self.size} bytes"
        what = f"{self.tables} tables, {self.rows} rows"
        if self.action == "backup":
            return (
                f"Backed up the {engine} database {self.database} ({what}) to {self.path} "
                f"({size}) in {self.seconds:.1f} s."
            )
        lines = [
            f"Restored {self.path} ({size}) into the {engine} database {self.database} "
            f"({what}) in {self.seconds:.1f} s.",
            f"The audit log's append-only guards are in force ({self.audit_guards} triggers)."
            if self.audit_guards
            else "Warning: the restored audit log has no append-only triggers; run "
            "`rehabit manage migrate` to check the schema.",
        ]
        if self.replaced:
            held = ", ".join(f"{table} ({rows})" for table, rows in self.replaced[:8])
            more = f" and {len(self.replaced) - 8} more" if len(self.replaced) > 8 else ""
            lines.append(f"Replaced what the database held before: {held}{more}.")
        return "\n".join(lines)


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def kind_of_file(path: Path) -> str:
    """'sqlite' or 'postgresql' from the file's first bytes; BackupError for anything else."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file.") from None
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not a Rehabit backup: neither a SQLite database nor a PostgreSQL "
        "custom-format archive (what `rehabit backup` writes)."
    )


def occupied(rows_per_table: dict[str, int]) -> list[tuple[str, int]]:
    """The tables that hold data of their own (not what ``migrate`` writes)."""
    return sorted(
        (table, rows) for table, rows in rows_per_table.items() if rows and table not in BOOKKEEPING
    )


def refuse_unless_empty(rows_per_table: dict[str, int], database: str, force: bool) -> None:
    held = occupied(rows_per_table)
    if held and not force:
        listed = ", ".join(f"{table} ({rows} rows)" for table, rows in held[:5])
        more = f" and {len(held) - 5} more tables" if len(held) > 5 else ""
        raise BackupError(
            f"The database {database} is not empty: {listed}{more}. Restoring would replace "
            "all of it. Nothing was changed. Back it up first (`rehabit backup`), then run "
            "`rehabit restore FILE --force` to replace it, or restore into a new database."
        )


def default_output(data_dir: Path, engine: str, now: Any) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return data_dir / "backups" / f"rehabit-{stamp}{SUFFIX[engine]}"


def private_file(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only (health data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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
