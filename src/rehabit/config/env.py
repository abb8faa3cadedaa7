"""Typed helpers that read settings from the environment (12-factor).

Every knob Rehabit has is read here or in ``settings.py`` through these helpers, so
``README.md``'s configuration table can list them all. A ``NAME_FILE`` variable is read
instead of ``NAME`` when set, so secrets can come from mounted files.
"""

from __future__ import annotations

import os
from pathlib import Path


class MissingSetting(RuntimeError):
    """A setting that production needs was not given."""


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise MissingSetting(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise MissingSetting(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name, "")
    if raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str, why: str) -> str:
    value = env_str(name, "")
    if not value:
        raise MissingSetting(f"{name} must be set: {why}")
    return value
