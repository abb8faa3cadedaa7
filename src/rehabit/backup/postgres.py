"""PostgreSQL: pg_dump and pg_restore (custom format), connected like the app.

The connection comes from the app's database settings (DATABASE_URL), handed to the tools
through libpq's environment variables, so the password never shows in a process list.

A backup counts every table's rows in a REPEATABLE READ transaction and exports its
snapshot; pg_dump dumps under that snapshot, so the count printed is the file's.

A restore first drops what the database holds (only with ``force`` when it holds data),
then runs ``pg_restore --single-transaction --exit-on-error``: tables, then rows (COPY,
which fires no UPDATE/DELETE trigger), then indexes, constraints and the audit log's
append-only triggers. ``--no-owner --no-privileges`` lets the app's own role restore.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from rehabit.backup.common import AUDIT_TABLE, BackupError, refuse_unless_empty

# Django's OPTIONS that are libpq connection parameters, with their environment variable.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
INSTALL_HINT = (
    "install the PostgreSQL client tools of the server's major version or newer "
    "(Debian and Ubuntu: `apt-get install postgresql-client`; the container image has them)"
)


def connection_params(settings_dict: dict[str, Any]) -> dict[str, str]:
    params: dict[str, Any] = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENV and key not in ("dbname",):
            params[key] = value
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found on the PATH: {INSTALL_HINT}. Nothing was changed.")
    return found


def _run(argv: list[str], params: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({LIBPQ_ENV[k]: v for k, v in params.items()})
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tool = Path(argv[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _connect(params: dict[str, str]) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(make_conninfo(**params))
    except psycopg.OperationalError as exc:
        raise BackupError(f"Cannot connect to PostgreSQL: {str(exc).strip()}") from None


def rows_per_table(db: psycopg.Connection[Any]) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    counts = {}
    for table in tables:
        row = db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = int(row.fetchone()[0])  # type: ignore[index]
    return counts


def audit_guards(db: psycopg.Connection[Any]) -> int:
    row = db.execute(
        "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace "
        "AND NOT t.tgisinternal",
        [AUDIT_TABLE],
    ).fetchone()
    return int(row[0]) if row else 0


def backup(settings_dict: dict[str, Any], part: Path) -> tuple[str, dict[str, int]]:
    pg_dump = _tool("pg_dump")
    params = connection_params(settings_dict)
    with _connect(params) as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        counts = rows_per_table(db)
        # The transaction stays open (the snapshot lives as long as it) while pg_dump runs.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={part}",
                f"--dbname={params['dbname']}",
            ],
            params,
        )
        db.rollback()
    return params["dbname"], counts


# The schema's own relations and functions, not those an extension (btree_gist) brought.
OWN_RELATIONS = """
SELECT c.relname, c.relkind FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
"""
OWN_FUNCTIONS = """
SELECT p.oid::regprocedure::text FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
DROP_KIND = {
    "r": "TABLE",
    "p": "TABLE",
    "f": "FOREIGN TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "S": "SEQUENCE",
}


def _drop_everything(db: psycopg.Connection[Any]) -> None:
    """Drop the schema's tables, views, sequences and functions (not extensions' own)."""
    relations = db.execute(OWN_RELATIONS).fetchall()
    # Tables first (their sequences, triggers and views go with them), then what is left.
    for name, kind in sorted(relations, key=lambda r: r[1] not in ("r", "p")):
        db.execute(
            sql.SQL("DROP {} IF EXISTS {} CASCADE").format(
                sql.SQL(DROP_KIND[kind]), sql.Identifier(name)
            )
        )
    for (signature,) in db.execute(OWN_FUNCTIONS).fetchall():
        db.execute(sql.SQL("DROP FUNCTION IF EXISTS {} CASCADE").format(sql.SQL(signature)))


def restore(
    settings_dict: dict[str, Any], path: Path, *, force: bool
) -> tuple[str, dict[str, int], dict[str, int], int]:
    pg_restore = _tool("pg_restore")
    params = connection_params(settings_dict)
    _run([pg_restore, "--list", str(path)], {})  # a readable archive, before anything changes
    database = params["dbname"]
    with _connect(params) as db:
        before = rows_per_table(db)
        refuse_unless_empty(before, database, force)
        _drop_everything(db)
        db.commit()
    try:
        _load(pg_restore, params, path)
    except BackupError as exc:
        raise BackupError(
            f"{exc}\nThe database {database} was emptied before the load and holds nothing "
            f"now; {path} is unchanged. Fix the cause and run the restore again."
        ) from None
    with _connect(params) as db:
        db.autocommit = True
        db.execute("ANALYZE")  # the planner's statistics are not in the dump
        counts = rows_per_table(db)
        guards = audit_guards(db)
    return database, before, counts, guards


def _load(pg_restore: str, params: dict[str, str], path: Path) -> None:
    _run(
        [
            pg_restore,
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={params['dbname']}",
            str(path),
        ],
        params,
    )
