"""The ``rehabit`` command: serve, assess offline, run management commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SETTINGS = "rehabit.config.settings"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _django_ready(doing: str = "") -> bool:
    """Set Django up, or say which setting is missing (the caller exits with 2)."""
    from rehabit.config.env import MissingSetting

    try:
        _setup_django()
    except MissingSetting as exc:
        print(f"rehabit: {doing}{exc}", file=sys.stderr)
        return False
    return True


def prepare_database(*, verbosity: int = 1) -> None:
    """Apply migrations, create the cache table and seed demo content into an empty database."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)
    call_command("seed_demo", if_empty=True, verbosity=verbosity)


def cmd_serve(args: argparse.Namespace) -> int:
    from rehabit.core.links import serve_site_url

    # Links in e-mails and calendar files point here unless REHABIT_SITE_URL says otherwise
    # (set before the settings load; the background worker inherits it).
    os.environ.setdefault("REHABIT_SITE_URL", serve_site_url(args.host, args.port))
    # The web workers' metrics are added up in one folder, named before Django starts.
    from rehabit.ops.processes import prepare_for_workers

    prepare_for_workers()
    if not _django_ready("cannot start: "):
        return 2
    from django.conf import settings

    from rehabit.startup import collect_static, startup_lock

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    # One node at a time migrates, seeds and collects static files (skipped when current).
    with startup_lock():
        prepare_database(verbosity=0)
        collect_static()

    from rehabit.server import (
        RehabitServer,
        WorkerSupervisor,
        close_database_connections,
        worker_argv,
    )

    # Migrating and seeding opened connections: none of them may reach a web worker.
    close_database_connections()
    supervisor = None if args.no_worker else WorkerSupervisor(worker_argv())
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else db.get("HOST") or "PostgreSQL"
    print(f"Rehabit is starting on http://{args.host}:{args.port}/ (database: {where})")
    if supervisor is None:
        print("No background worker: run `rehabit worker` for e-mails and reminders.")
    RehabitServer(host=args.host, port=args.port, workers=args.workers, supervisor=supervisor).run()
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    from rehabit.clinical import AnswerErrors, assess

    try:
        raw = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"rehabit assess: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"rehabit assess: {args.file} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    answers = raw.get("answers", raw) if isinstance(raw, dict) else raw
    try:
        result = assess(answers)
    except AnswerErrors as exc:
        print(json.dumps({"errors": exc.errors}, indent=2, ensure_ascii=False))
        return 1
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Background work: queued e-mails and appointment reminders (see booking/reminders.py)."""
    if not _django_ready("cannot start: "):
        return 2
    from django.core.management import call_command

    options: dict[str, Any] = {"interval": args.interval, "once": args.once}
    if args.worker_id:
        options["worker_id"] = args.worker_id
    call_command("worker", **options)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    if not _django_ready():
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rehabit manage", *args.args])
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """The whole database into one file (SQLite online backup, or pg_dump)."""
    if not _django_ready():
        return 2
    from rehabit.backup import BackupError, backup

    try:
        done = backup(Path(args.output) if args.output else None)
    except BackupError as exc:
        print(f"rehabit backup: {exc}", file=sys.stderr)
        return 1
    print(done.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """A backup into the database, which must be empty unless --force."""
    if not _django_ready():
        return 2
    from rehabit.backup import BackupError, restore

    try:
        done = restore(Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"rehabit restore: {exc}", file=sys.stderr)
        return 1
    print(done.describe())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rehabit",
        description="Rehabit: online physiotherapy for pain in the back of the thigh.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="run the web service (migrates, seeds demo content into an empty database)",
        description="Start the service with gunicorn. Data lives in REHABIT_DATA_DIR.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("REHABIT_WORKERS", "2")),
        help="worker processes (default REHABIT_WORKERS or 2)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        default=os.environ.get("REHABIT_SERVE_WORKER", "true").lower() in ("0", "false", "no"),
        help="do not run the background worker (e-mails, reminders) beside the web server; "
        "run `rehabit worker` yourself (default: REHABIT_SERVE_WORKER, true)",
    )
    serve.set_defaults(func=cmd_serve)

    assess = sub.add_parser(
        "assess",
        help="run an assessment offline from a JSON file and print the result",
        description='FILE holds {"answers": {question_id: value}} or the answers object.',
    )
    assess.add_argument("file", metavar="FILE.json")
    assess.set_defaults(func=cmd_assess)

    worker = sub.add_parser(
        "worker",
        help="run background work: e-mails and reminders 24 h and 1 h before sessions",
        description="Runs queued tasks (the database queue, or Redis with "
        "REHABIT_TASKS_BACKEND=redis) and sends due reminders and e-mails, each exactly once, "
        "until stopped with SIGTERM or Ctrl+C. Run as many as the load needs.",
    )
    worker.add_argument(
        "--interval", type=float, default=5.0, help="seconds between rounds (default 5)"
    )
    worker.add_argument("--once", action="store_true", help="do one round, then exit")
    worker.add_argument("--worker-id", default="", help="a name for this worker in logs")
    worker.set_defaults(func=cmd_worker)

    backup = sub.add_parser(
        "backup",
        help="back the database up into one file, consistently while the service runs",
        description="SQLite: the online backup API; PostgreSQL: pg_dump (custom format). "
        "The file is readable by its owner only: it holds health data.",
    )
    backup.add_argument(
        "--output",
        metavar="FILE",
        help="where to write (default: <data dir>/backups/rehabit-<UTC time>.sqlite3 or .pgdump)",
    )
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="load a backup made by `rehabit backup` into the database",
        description="Refuses a database that holds data unless --force; then the database "
        "becomes exactly the backup. Stop the service (web and workers) first.",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--force", action="store_true", help="replace a database that holds data")
    restore.set_defaults(func=cmd_restore)

    manage = sub.add_parser(
        "manage",
        help="run any Django management command (e.g. 'rehabit manage check --deploy')",
        add_help=False,
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
