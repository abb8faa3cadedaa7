"""Metrics of several worker processes (prometheus-client's multiprocess mode).

Each gunicorn worker writes its counts into files in one folder, named by
``PROMETHEUS_MULTIPROC_DIR``; a scrape of any worker adds them up. The variable must be
set before prometheus-client is first imported in the master (its value class is chosen
at import, and the workers are forks of the master), so this module does not import it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_for_workers() -> Path | None:
    """Before anything imports prometheus-client: give the web workers one new folder
    for their metric files (in the environment they inherit), removed when this process
    exits. An operator's own ``PROMETHEUS_MULTIPROC_DIR`` is kept as it is."""
    if os.environ.get(MULTIPROC_ENV):
        return None
    folder = Path(tempfile.mkdtemp(prefix="rehabit-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not in a forked worker that inherited this hook
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def worker_exited(pid: int) -> None:
    """Gunicorn's ``child_exit``: a dead worker's live gauges no longer count."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
