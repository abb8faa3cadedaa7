"""Every level of message the views send stands out as what it is: an error, a warning
(a day off saved over booked sessions: "These sessions ... stay booked") or a success each
have their own mark in rehabit.css; an "info" message is the plain tinted box on purpose."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "rehabit"
CSS = SRC / "core" / "static" / "core" / "rehabit.css"
PLAIN = {"info"}


def _levels_sent() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        found |= set(
            re.findall(r"\bmessages\.(debug|info|success|warning|error)\(", path.read_text())
        )
    return found


def test_each_message_level_the_views_send_has_its_own_style() -> None:
    sent = _levels_sent()
    assert {"error", "success", "warning"} <= sent  # a reader that finds none cannot pass
    css = CSS.read_text()
    for level in sorted(sent - PLAIN):
        assert re.search(rf"^\.message-{level} \{{[^}}]*border-left", css, re.M), level
