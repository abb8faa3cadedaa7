"""What ``rehabit backup`` / ``restore`` and their SQLite and PostgreSQL halves share: the
tables a fresh database already fills, the refusal to overwrite data, file kinds and names,
and the error every part raises."""

from __future__ import annotations

import os
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
