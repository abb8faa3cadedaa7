"""Dates and times in a personal-data export, and read back on import: ISO 8601 both ways,
``None`` kept as ``None``; a value that is not one refuses the import (ValueError)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def when(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"Not an ISO 8601 date and time: {value!r}")
    return parsed


def day(value: Any) -> date | None:
    if value is None:
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(f"Not an ISO 8601 date: {value!r}")
    return parsed
