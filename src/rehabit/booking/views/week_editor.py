"""The usual-week grid shared by the availability page and onboarding: rows of time
pickers per day, add and remove a row, fill it from pasted text, save it.

Adding, removing and pasting never save: they show the grid again with the change (so
they work without JavaScript; ``booking/week_grid.js`` does add and remove in the page
when it can). Only "save" writes, after every row passed its checks; on a problem the
grid comes back exactly as sent, with a message at each field.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from rehabit.booking.models import Therapist
from rehabit.booking.week_grid import (
    MAX_RANGES_PER_DAY,
    DayCheck,
    Range,
    check_day,
    check_week,
    day_name,
    parse_pasted_week,
    rows_from_post,
    rows_of,
)
from rehabit.booking.workspace_forms import PasteForm
from rehabit.core.inputs import whole_number


def stored_rows(therapist: Therapist) -> dict[int, list[Range]]:
    spans: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in therapist.working_hours.values_list("weekday", "start", "end"):
        spans[weekday].append((start, end))
    return {day: rows_of(spans[day]) for day in range(7)}


def row_views(
    prefix: str, rows: list[Range], check: DayCheck | None, where: str
) -> list[dict[str, Any]]:
    """What the template needs for each row (one blank row when there are none)."""
    shown = rows or [Range()]
    views = []
    for index, item in enumerate(shown):
        errors = {
            part: (check.errors.get((index, part), []) if check else [])
            for part in ("start", "end", "row")
        }
        views.append(
            {
                "index": index,
                "number": index + 1,
                "name": f"{prefix}-{index}",
                "range": item,
                "errors": errors,
                "has_errors": any(errors.values()),
                "where": where,
            }
        )
    return views


@dataclass
class WeekEditor:
    rows: dict[int, list[Range]]
    checks: dict[int, DayCheck] = field(default_factory=dict)
    paste: PasteForm = field(default_factory=PasteForm)
    notice: str = ""  # a sentence for the page ("Filled from your text: check and save")

    @classmethod
    def for_therapist(cls, therapist: Therapist) -> WeekEditor:
        return cls(rows=stored_rows(therapist))

    @classmethod
    def from_post(cls, data: Any) -> WeekEditor:
        return cls(rows={day: rows_from_post(data, f"d{day}") for day in range(7)})

    def apply(self, request: HttpRequest) -> str:
        """Handle a grid button that does not save ("add", "remove", "import"); returns
        which one it was ("" when none)."""
        data = request.POST
        if "add" in data:
            day = _weekday(data.get("add"))
            if day is not None:
                kept = [r for r in self.rows[day] if not r.is_blank or r.next_day]
                if len(kept) < MAX_RANGES_PER_DAY:
                    self.rows[day] = [*self.rows[day], Range()]
                self.notice = _("A range was added to %(day)s. Fill it in and save the week.") % {
                    "day": day_name(day)
                }
            return "add"
        if "remove" in data:
            day_text, _sep, row_text = str(data.get("remove", "")).partition("-")
            day = _weekday(day_text)
            row = whole_number(row_text)
            if day is not None and row is not None and row < len(self.rows[day]):
                del self.rows[day][row]
                self.notice = _(
                    "The range was removed from %(day)s. Save the week to keep the change."
                ) % {"day": day_name(day)}
            return "remove"
        if data.get("action") == "import":
            self.paste = PasteForm(data)
            if self.paste.is_valid():
                pasted = parse_pasted_week(self.paste.cleaned_data["pasted"])
                if pasted.errors:
                    for message in pasted.errors:
                        self.paste.add_error("pasted", message)
                else:
                    self.rows = {day: pasted.days.get(day, []) for day in range(7)}
                    self.notice = _(
                        "The grid was filled from your text. Nothing is saved yet: check the "
                        "hours and save the week."
                    )
            return "import"
        return ""

    def check(self) -> dict[int, list[tuple[time, time]]] | None:
        """The hours to save, or None (with ``checks`` holding the messages)."""
        self.checks = check_week(self.rows)
        if any(not c.ok for c in self.checks.values()):
            return None
        return {day: self.checks[day].spans for day in range(7)}

    @property
    def errors(self) -> list[dict[str, str]]:
        """Every message, each with the id of the field it is about (error summary)."""
        found = []
        for day, check in sorted(self.checks.items()):
            for (row, part), messages in sorted(check.errors.items()):
                target = f"id_d{day}-{max(row, 0)}-{part if part != 'row' else 'start'}"
                found.extend({"message": m, "target": target} for m in messages)
        found.extend(
            {"message": str(m), "target": "id_pasted"} for m in self.paste.errors.get("pasted", [])
        )
        return found

    def context(self) -> dict[str, Any]:
        days = []
        for day in range(7):
            check = self.checks.get(day)
            days.append(
                {
                    "weekday": day,
                    "name": day_name(day),
                    "prefix": f"d{day}",
                    "rows": row_views(f"d{day}", self.rows[day], check, day_name(day)),
                    "day_errors": check.errors.get((-1, "row"), []) if check else [],
                }
            )
        return {
            "grid_days": days,
            "template_row": {
                "index": "__index__",
                "number": "__number__",
                "name": "__prefix__-__index__",
                "range": Range(),
                "errors": {"start": [], "end": [], "row": []},
                "has_errors": False,
                "where": "__where__",
            },
            "grid_errors": self.errors,
            "grid_notice": self.notice,
            "paste_form": self.paste,
            "max_ranges": MAX_RANGES_PER_DAY,
        }


def _weekday(value: Any) -> int | None:
    return whole_number(str(value or ""), 0, 6)


def check_override_rows(data: Any, where: str) -> tuple[list[Range], DayCheck]:
    """The ranges of one date (rows with the prefix "o")."""
    rows = rows_from_post(data, "o")
    return rows, check_day(rows, where)
