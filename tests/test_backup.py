"""``rehabit backup`` / ``rehabit restore``: one of everything, backed up, restored into an
empty database, and every table compared row by row (SQLite here, PostgreSQL when the
suite runs on it); the audit log's append-only triggers are in force after a restore.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone

from rehabit.backup import BOOKKEEPING, BackupError, backup, occupied, restore
from rehabit.backup import postgres as pg
from rehabit.backup import sqlite as lite
from rehabit.mail import outbox
from tests.accounts.test_erasure import everything  # noqa: F401  (fixture)
from tests.serving import ROOT, postgres_database, server_env

pytestmark = pytest.mark.django_db(transaction=True)

# Tables a person's journey must have filled, so "every table equal" means something.
MUST_HOLD = [
    "auth_user",
    "accounts_profile",
    "assessments_assessment",
    "booking_appointment",
    "care_exercisesession",
    "audit_auditentry",
    "mail_outgoingmessage",
    "django_session",
]


def _normal(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _sort_key(row: tuple[Any, ...]) -> str:
    return repr(row)


def every_table(settings_dict: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, read through the database's own driver."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        db: Any = sqlite3.connect(name, uri=name.startswith("file:"))
        tables = list(lite.rows_per_table(db))
        quote = '"{}"'.format
    else:
        db = pg.psycopg.connect(**pg.connection_params(settings_dict))
        tables = list(pg.rows_per_table(db))
        quote = '"{}"'.format
    try:
        for table in tables:
            rows = db.execute(f"SELECT * FROM {quote(table)}").fetchall()  # noqa: S608
            found[table] = sorted((tuple(_normal(v) for v in row) for row in rows), key=_sort_key)
    finally:
        db.close()
    return found


def sequences(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Where each id counter stands (so new rows after a restore do not collide)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        db = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            return dict(db.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
        finally:
            db.close()
    with pg.psycopg.connect(**pg.connection_params(settings_dict)) as pdb:
        return dict(
            pdb.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            ).fetchall()
        )


@pytest.fixture
def filled(everything: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """One of everything a person does, with an e-mail waiting in the outbox."""
    outbox.post(
        EmailMessage("Your session", "See you soon.", "clinic@example.org", ["p@example.org"]),
        key="backup-test-letter",
        kind="booking",
        recipient=everything["person"],
    )
    return everything


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A new, empty database of the kind the suite runs on: a settings dict."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        with postgres_database(url) as fresh:
            yield {**dj_database_url.parse(fresh), "PASSWORD": s.get("PASSWORD", "")}
    else:
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}


def audit_change_refused(settings_dict: dict[str, Any], statement: str) -> str:
    """The database's refusal of ``statement`` on the audit log ('' when it was allowed)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        db = sqlite3.connect(str(settings_dict["NAME"]))
        try:
            db.execute(statement)
        except sqlite3.DatabaseError as exc:
            return str(exc)
        finally:
            db.rollback()
            db.close()
        return ""
    with pg.psycopg.connect(**pg.connection_params(settings_dict)) as pdb:
        try:
            pdb.execute(statement)
        except pg.psycopg.Error as exc:
            return str(exc)
        finally:
            pdb.rollback()
    return ""


def test_a_backup_restored_into_an_empty_database_equals_the_original_table_by_table(
    filled: dict[str, Any], empty_database: dict[str, Any], tmp_path: Path
) -> None:
    source = connection.settings_dict
    original = every_table(source)
    empty = [t for t in MUST_HOLD if not original.get(t)]
    assert not empty, f"the journey left these tables empty: {empty}"

    made = backup(tmp_path / "rehabit.backup")
    assert made.rows == sum(len(rows) for rows in original.values())
    assert made.tables == len(original)
    assert made.path.stat().st_mode & 0o077 == 0, "a backup holds health data: owner only"
    assert "Backed up" in made.describe() and str(made.path) in made.describe()

    done = restore(made.path, settings_dict=empty_database)
    restored = every_table(empty_database)
    assert sorted(restored) == sorted(original)
    for table, rows in original.items():
        assert restored[table] == rows, f"{table} differs after the restore"
    assert sequences(empty_database) == sequences(source)
    assert done.rows == made.rows and done.audit_guards >= 2
    assert "append-only guards are in force" in done.describe()

    # The audit log's triggers came back and are in force.
    update = "UPDATE audit_auditentry SET actor_role = 'x'"
    delete = "DELETE FROM audit_auditentry"
    assert "append-only" in audit_change_refused(empty_database, update)
    assert "append-only" in audit_change_refused(empty_database, delete)
    if connection.vendor == "postgresql":
        truncate = "TRUNCATE audit_auditentry"
        assert "append-only" in audit_change_refused(empty_database, truncate)
    assert every_table(empty_database)["audit_auditentry"] == original["audit_auditentry"]


def test_restore_refuses_a_database_with_data_and_changes_nothing_unless_forced(
    filled: dict[str, Any], empty_database: dict[str, Any], tmp_path: Path
) -> None:
    made = backup(tmp_path / "first.backup")
    restore(made.path, settings_dict=empty_database)
    # The restored database gets a life of its own, then the backup is restored over it.
    target = {**empty_database}
    if connection.vendor == "postgresql":
        with pg.psycopg.connect(**pg.connection_params(target)) as db:
            db.execute("INSERT INTO django_session VALUES ('later', 'x', now())")
    else:
        with sqlite3.connect(target["NAME"]) as db:
            db.execute("INSERT INTO django_session VALUES ('later', 'x', '2030-01-01')")
    before = every_table(target)

    with pytest.raises(BackupError) as refused:
        restore(made.path, settings_dict=target)
    message = str(refused.value)
    assert "is not empty" in message and "--force" in message and "Nothing was changed" in message
    assert every_table(target) == before

    done = restore(made.path, settings_dict=target, force=True)
    after = every_table(target)
    assert ("later", "x") not in [row[:2] for row in after["django_session"]]
    assert after == every_table(connection.settings_dict)
    assert "django_session" in dict(done.replaced)


def test_a_database_that_migrate_made_counts_as_empty_and_takes_a_restore(
    filled: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    """What `rehabit manage migrate` writes is no data of the installation's own; the default
    file goes to the data folder's backups/, named by the UTC time."""
    settings.DATA_DIR = tmp_path / "data"
    # The test clock ticks: a backup that takes a moment can cross a second, so the name is
    # checked against the time before and after it (it failed once when the name said
    # 09:30:00 and the clock read 09:30:01 afterwards).
    before = timezone.now().replace(microsecond=0)
    made = backup()
    after = timezone.now()
    stamps = {
        (before + timedelta(seconds=s)).strftime("%Y%m%dT%H%M%SZ")
        for s in range(int((after - before).total_seconds()) + 1)
    }
    assert made.path.parent == tmp_path / "data" / "backups"
    assert made.path.name.removeprefix("rehabit-").removesuffix(made.path.suffix) in stamps
    assert occupied(dict.fromkeys(BOOKKEEPING, 7)) == []
    assert occupied({"django_migrations": 70, "auth_user": 1}) == [("auth_user", 1)]


def test_backup_never_overwrites_a_file_and_restore_names_what_is_wrong(
    filled: dict[str, Any], tmp_path: Path
) -> None:
    existing = tmp_path / "kept.backup"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup(existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(BackupError, match="is not a Rehabit backup"):
        restore(existing)
    with pytest.raises(BackupError, match="does not exist"):
        restore(tmp_path / "missing.backup")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    if connection.vendor == "sqlite":
        with pytest.raises(BackupError, match="not a Rehabit one"):
            restore(other)
    else:
        with pytest.raises(BackupError, match="is a SQLite backup, but"):
            restore(other)


def test_a_sqlite_backup_taken_while_writers_commit_is_consistent(tmp_path: Path) -> None:
    """Each writer transaction adds a pair of rows: every backup holds whole pairs only."""
    path = tmp_path / "busy.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE pair (n INTEGER, half INTEGER)")
    stop = threading.Event()

    def write() -> None:
        db = sqlite3.connect(path, timeout=20, isolation_level=None)
        n = 0
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO pair VALUES (?, 0)", [n])
            time.sleep(0.0005)  # the transaction stays open between its two rows
            db.execute("INSERT INTO pair VALUES (?, 1)", [n])
            db.execute("COMMIT")
            n += 1
        db.close()

    writer = threading.Thread(target=write)
    writer.start()
    seen = []
    try:
        settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
        for i in range(8):
            time.sleep(0.05)
            made = backup(tmp_path / f"copy{i}.sqlite3", settings_dict=settings_dict)
            with sqlite3.connect(made.path) as copy:
                assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
                rows = copy.execute("SELECT count(*) FROM pair").fetchone()[0]
                halves = copy.execute("SELECT count(*) FROM pair WHERE half = 1").fetchone()[0]
                assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert rows == 2 * halves, f"backup {i} caught a transaction half-done"
            seen.append(rows)
    finally:
        stop.set()
        writer.join()
    assert seen[-1] > seen[0] > 0, "the writer kept committing during the backups"


def _rehabit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rehabit.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.django_db(transaction=False)
def test_the_commands_print_what_they_did_and_refuse_clearly(tmp_path: Path) -> None:
    first = server_env(tmp_path / "first")
    assert _rehabit(first, "manage", "migrate", "-v0").returncode == 0
    assert _rehabit(first, "manage", "seed_demo", "-v0").returncode == 0
    file = tmp_path / "nightly.sqlite3"
    made = _rehabit(first, "backup", "--output", str(file))
    assert made.returncode == 0, made.stderr
    assert f"to {file}" in made.stdout and "Backed up the SQLite database" in made.stdout

    second = server_env(tmp_path / "second")
    done = _rehabit(second, "restore", str(file))
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout and "guards are in force" in done.stdout
    again = _rehabit(second, "restore", str(file))
    assert again.returncode == 1 and "is not empty" in again.stderr and not again.stdout
    forced = _rehabit(second, "restore", str(file), "--force")
    assert forced.returncode == 0 and "Replaced what the database held" in forced.stdout

    # PostgreSQL without pg_dump: a clear message before anything connects.
    nowhere = {**first, "DATABASE_URL": "postgres://rehabit@127.0.0.1:1/rehabit", "PATH": "/none"}
    missing = _rehabit(nowhere, "backup", "--output", str(tmp_path / "pg.pgdump"))
    assert missing.returncode == 1
    assert "pg_dump was not found" in missing.stderr and "postgresql-client" in missing.stderr
    assert not (tmp_path / "pg.pgdump").exists()


@pytest.mark.postgres
def test_the_app_role_that_owns_the_database_restores_without_being_a_superuser(
    filled: dict[str, Any], tmp_path: Path
) -> None:
    """Production's role owns its database and nothing more: the restore (extension,
    tables, rows, triggers) and a later forced one need no superuser."""
    import secrets

    s = connection.settings_dict
    admin = pg.psycopg.connect(**pg.connection_params({**s, "NAME": "postgres"}), autocommit=True)
    role, password = f"rehabit_app_{secrets.token_hex(4)}", secrets.token_hex(16)
    admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    admin.execute(f"CREATE DATABASE {role} OWNER {role}")
    target = {**s, "NAME": role, "USER": role, "PASSWORD": password}
    try:
        made = backup(tmp_path / "owned.pgdump")
        done = restore(made.path, settings_dict=target)
        assert done.rows == made.rows and done.audit_guards >= 2
        assert every_table(target) == every_table(s)
        again = restore(made.path, settings_dict=target, force=True)
        assert again.rows == made.rows
        assert "append-only" in audit_change_refused(target, "DELETE FROM audit_auditentry")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{role}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()
