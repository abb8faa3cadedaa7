"""The disposition levels, most urgent first, and their rank (a larger number is more
urgent). Their own module so that conditions, red flags and triage all read them without
importing one another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Level = Literal["emergency", "urgent", "soon", "self_care"]
LEVELS: tuple[Level, ...] = ("emergency", "urgent", "soon", "self_care")  # most urgent first
RANK: Mapping[str, int] = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}
