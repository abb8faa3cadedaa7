"""``rehabit serve``: gunicorn for the web, and the background worker beside it.

Two rules keep the processes apart:

* No database connection crosses a fork. The starting process opens connections to
  migrate and seed; gunicorn's master closes every one of them before it forks a web
  worker (``pre_fork``), so each worker opens its own. A connection shared by several
  processes interleaves their protocol messages: one request can read another's rows
  (PostgreSQL), and SQLite forbids it outright.
* Mail goes out with the one command. Unless told not to, the master runs ``rehabit
  worker`` as a child process, restarts it with back-off if it dies, and stops it on
  shutdown; on Linux the worker also dies with the master if the master is killed.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from gunicorn.app.base import BaseApplication

logger = logging.getLogger("rehabit.serve")

# Back-off between restarts of a worker that keeps dying: 1 s, doubling, at most 60 s;
# a worker that ran for RESET_AFTER seconds starts the count again.
FIRST_DELAY, MAX_DELAY, RESET_AFTER = 1.0, 60.0, 60.0
PR_SET_PDEATHSIG = 1


def close_database_connections() -> None:
    """Close every connection this process holds, so that none is inherited by a fork:
    with psycopg's pool (REHABIT_DB_POOL) the pool itself, whose open connections and
    threads would otherwise be copied into every worker."""
    from django.db import connections

    connections.close_all()
    for connection in connections.all(initialized_only=True):
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None and getattr(connection, "pool", None) is not None:
            close_pool()


def _load_prctl() -> Callable[..., int] | None:
    """Linux's prctl, loaded up front: the child may not import or load anything."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the worker gets SIGTERM when the process that started it goes away
    (elsewhere ``on_exit`` still stops it on a normal shutdown)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


class WorkerSupervisor:
    """Runs one background worker process and keeps it running until stopped."""

    def __init__(self, argv: Sequence[str], *, sleep: Callable[[float], None] = time.sleep):
        self.argv = list(argv)
        self.sleep = sleep
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="rehabit-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = FIRST_DELAY
        while not self._stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.argv, preexec_fn=_die_with_parent)  # noqa: S603
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= RESET_AFTER:
                delay = FIRST_DELAY
            self.restarts += 1
            logger.error(
                "The background worker stopped (exit code %s); restarting it in %.0f s.",
                code,
                delay,
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, MAX_DELAY)

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout)


class RehabitServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with Rehabit's settings and process hooks."""

    def __init__(
        self, *, host: str, port: int, workers: int, supervisor: WorkerSupervisor | None
    ) -> None:
        self.options = {"host": host, "port": port, "workers": workers}
        self.supervisor = supervisor
        super().__init__()

    def load_config(self) -> None:
        o = self.options
        self.cfg.set("bind", f"{o['host']}:{o['port']}")
        self.cfg.set("workers", o["workers"])
        self.cfg.set("worker_class", "sync")
        self.cfg.set("timeout", 30)
        self.cfg.set("proc_name", "rehabit")
        self.cfg.set("pre_fork", _pre_fork)
        _configure_operations(self.cfg)
        if self.supervisor is not None:
            supervisor = self.supervisor
            self.cfg.set("when_ready", lambda server: supervisor.start())
            self.cfg.set("on_exit", lambda server: supervisor.stop())

    def load(self) -> Any:
        from rehabit.config.wsgi import application

        return application


def _pre_fork(server: Any, worker: Any) -> None:
    close_database_connections()


def _configure_operations(cfg: Any) -> None:
    """Logs and metrics of the web workers (rehabit.ops): gunicorn's own lines in the same
    format as Django's; the access log written by Rehabit (with the request id) unless
    REHABIT_ACCESS_LOG is off, then gunicorn's; a dead worker's metrics forgotten."""
    from django.conf import settings

    from rehabit.ops import logs, processes

    own = bool(settings.REHABIT_ACCESS_LOG)
    cfg.set("logconfig_dict", logs.gunicorn_logging(settings.LOGGING, own_access_log=own))
    cfg.set("child_exit", lambda server, worker: processes.worker_exited(worker.pid))


def worker_argv() -> list[str]:
    """The command line of the background worker run beside the web server."""
    return [sys.executable, "-m", "rehabit.cli", "worker"]
