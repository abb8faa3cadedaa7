"""Starting up: one node at a time, and static files collected only when they changed."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from rehabit import startup


@pytest.mark.django_db(transaction=True)
def test_only_one_node_at_a_time_holds_the_startup_lock(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    inside: list[int] = []
    overlaps: list[int] = []

    def node(number: int) -> None:
        from django.db import connection

        with startup.startup_lock():
            if inside:
                overlaps.append(number)
            inside.append(number)
            time.sleep(0.2)
            inside.remove(number)
        connection.close()

    threads = [threading.Thread(target=node, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def test_static_files_are_collected_once_until_a_source_changes(
    settings: Any, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.css").write_text("body { color: black }", encoding="utf-8")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert startup.collect_static() is True
    assert (tmp_path / "collected" / "app.css").is_file()
    assert startup.collect_static() is False  # nothing changed: skipped
    edited = source / "app.css"
    edited.write_text("body { color: navy }", encoding="utf-8")
    later = edited.stat().st_mtime + 5  # collectstatic compares whole seconds
    os.utime(edited, (later, later))
    assert startup.collect_static() is True
    assert "navy" in (tmp_path / "collected" / "app.css").read_text(encoding="utf-8")
