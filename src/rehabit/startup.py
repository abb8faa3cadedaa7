"""What ``rehabit serve`` does before it serves, made safe for several nodes starting at
once and cheap when nothing changed.

* ``startup_lock``: one node at a time migrates, seeds and collects static files. On
  PostgreSQL a session advisory lock (every node on every machine sees it); on SQLite a file
  lock in the data folder (SQLite nodes share one machine by nature).
* ``collect_static``: collectstatic, skipped when the static source files are the ones the
  last collection was made from (a stamp of their names, sizes and modification times). The
  compressed, hashed collection costs tens of seconds of CPU; a restart need not pay it.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# An arbitrary, fixed 64-bit key for pg_advisory_lock: "rehabit startup".
ADVISORY_KEY = 0x7265_6861_6269_7431
STAMP = ".rehabit-static-stamp"


@contextmanager
def startup_lock() -> Iterator[None]:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        return
    lock_path = Path(settings.DATA_DIR) / "startup.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def static_fingerprint() -> str:
    """A hash of every static source file's path, size and modification time, and of the
    storage that collects them."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def collect_static() -> bool:
    """Collect static files unless the last collection is current; True when it ran."""
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / STAMP
    fingerprint = static_fingerprint()
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return True
