"""What every text, date and time a person sends must be, decided in one place.

Pages and the API both read input through these rules, so a value is refused the same
way wherever it arrives, with a sentence that names the field:

- **Characters.** No control characters (C0, DEL and C1) and no unpaired surrogates in
  any text. Tab, line feed and carriage return are allowed only where text may span lines
  (a form body or a JSON string, which is where text areas send them), never in a query
  string, an address or a single-line value. ``rehabit.core.middleware.InputMiddleware``
  applies this to every request before any view runs.
- **Dates and times.** Every date is between ``EARLIEST_DATE`` and ``LATEST_DATE``, and an
  instant's local date too, so no later arithmetic (a week after, a time zone's offset)
  can leave the range Python can represent. The form fields and pydantic types below are
  the only way page forms and API schemas take a date or a time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from rehabit.core.timefmt import canonical_zone, zone_choices, zone_offsets

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# Control characters (Unicode category Cc: C0, DEL, C1) and surrogate code points.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

OUT_OF_RANGE = "out_of_range"
INVALID = "invalid"
NO_OFFSET = "no_offset"
CONTROL_CHARACTER = "control_character"


class InputRefused(ValueError):
    """A value that breaks one of these rules; ``message`` is the sentence to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- Whole numbers -----------------------------------------------------------------------

# More digits than any count, rating or day a form asks for: a longer string is not read
# (Python refuses to turn over 4,300 digits into a number, with an error, not a None).
MAX_DIGITS = 9


def whole_number(value: object, low: int | None = 0, high: int | None = None) -> int | None:
    """A whole number from a form (its digits, in any script, with spaces around) or from
    JSON (a number, not true or false), within ``low`` and ``high`` when they are given;
    None for anything else. ``str.isdigit`` let through what ``int`` then refused ("²",
    a superscript two, is a digit but no number) and strings of thousands of digits: each
    was a server error, reachable without signing in (a review)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text.isdecimal() or len(text) > MAX_DIGITS:
            return None
        number = int(text)
    else:
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


# --- Characters --------------------------------------------------------------------------


def _describe(char: str) -> str:
    point = f"U+{ord(char):04X}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return _("%(point)s, half of a character pair without its other half") % {"point": point}
    names = {"\x00": _("a null character"), "\t": _("a tab")}
    name = _("a line break") if char in "\r\n" else names.get(char)
    return _("%(point)s, %(name)s") % {"point": point, "name": name or _("a control character")}


def character_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be accepted (the first character that is not allowed), or None.

    ``multiline`` allows tab, line feed and carriage return (text areas)."""
    found = (_NOT_IN_TEXT if multiline else _NOT_IN_A_LINE).search(value)
    if found is None:
        return None
    return _(
        "contains a character that cannot be stored (%(what)s) at position %(position)d. "
        "Remove it and send again."
    ) % {"what": _describe(found.group()), "position": found.start() + 1}


def field_problem(field: str, value: str, *, multiline: bool = False) -> str | None:
    """The full sentence naming ``field``, or None when ``value`` is fine."""
    problem = character_problem(value, multiline=multiline)
    if problem is None:
        return None
    return _("“%(field)s” %(problem)s") % {"field": _shown(field), "problem": problem}


def _shown(name: str) -> str:
    """A field name safe to print back (itself without control characters, bounded)."""
    cleaned = without_forbidden(name, multiline=False) or "?"
    return cleaned if len(cleaned) <= 60 else cleaned[:57] + "..."


def without_forbidden(value: str, *, multiline: bool = True) -> str:
    """``value`` with the characters that are not allowed removed (to show it back)."""
    return (_NOT_IN_TEXT if multiline else _NOT_IN_A_LINE).sub("", value)


def check_text(value: str, *, field: str = "", multiline: bool = False) -> str:
    problem = field_problem(field, value, multiline=multiline)
    if problem is not None:
        raise InputRefused(CONTROL_CHARACTER, problem)
    return value


# --- Dates and times ---------------------------------------------------------------------


def date_range_message() -> str:
    return _("Give a date from %(earliest)s to %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def check_date(value: date) -> date:
    """``value`` when it is inside the range every date must be in."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InputRefused(OUT_OF_RANGE, date_range_message())
    return value


def check_instant(value: datetime) -> datetime:
    """An instant whose local date is in range; then its UTC date is too (offsets are
    under a day), so converting it to any zone cannot overflow."""
    check_date(value.date())
    return value


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD, in range."""
    try:
        value = date.fromisoformat(text.strip())
    except (ValueError, TypeError):
        message = _("Give a date as YYYY-MM-DD, for example 2027-03-02.")
        raise InputRefused(INVALID, message) from None
    return check_date(value)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its UTC offset, in range. A ``+`` in a query string arrives
    as a space, so a space before the offset is read as ``+``."""
    text = text.strip()
    try:
        value = parse_datetime(text.replace(" ", "+")) if text else None
    except ValueError:
        value = None
    if value is None:
        raise InputRefused(INVALID, _("Give a date and time, for example 2027-03-02T09:00:00Z."))
    check_instant(value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputRefused(
            NO_OFFSET,
            _(
                "Give the time with its UTC offset, for example 2026-03-02T09:00:00+00:00, "
                "so it cannot be misread."
            ),
        )
    return value


def parse_time(text: str) -> time:
    """A time of day written HH:MM or HH:MM:SS."""
    try:
        value = time.fromisoformat(text.strip())
    except (ValueError, TypeError):
        value = None
    if value is None or value.tzinfo is not None:
        raise InputRefused(INVALID, _("Give a time as HH:MM, for example 09:30."))
    return value


# --- Page forms --------------------------------------------------------------------------


class DateInputField(forms.DateField):
    """A page form's date: YYYY-MM-DD (or the field's own formats), in range."""

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str) and value.strip() and not self.input_formats:
            try:
                return parse_date(value)
            except InputRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from None
        day = super().to_python(value)
        if day is not None:
            try:
                check_date(day)
            except InputRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from None
        return day


class TimeInputField(forms.TimeField):
    """A page form's time of day: HH:MM or HH:MM:SS."""

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, str) and value.strip():
            try:
                return parse_time(value)
            except InputRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from None
        return super().to_python(value)


# --- API schemas (pydantic) --------------------------------------------------------------


def _pydantic(check: Any) -> Any:
    def validate(value: Any) -> Any:
        try:
            return check(value)
        except InputRefused as refused:
            raise PydanticCustomError(refused.code, refused.message) from None

    return validate


Day = Annotated[date, AfterValidator(_pydantic(check_date))]
"""An API date, in range."""

Instant = Annotated[datetime, AfterValidator(_pydantic(check_instant))]
"""An API date and time, in range (whether it needs an offset is the endpoint's rule)."""


# --- Time zones --------------------------------------------------------------------------


class TextBoxField(forms.CharField):
    """Free text in a box (a ``<textarea>``): ``max_length`` is checked when the form is
    sent (the message names the length, the text is kept), but the box gets no
    ``maxlength``: a browser cuts what is pasted into it at that many characters, without a
    word (a phone walk lost 700 characters of a note that way)."""

    widget = forms.Textarea

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ZoneChoiceField(forms.ChoiceField):
    """A time zone picked from the one list (``timefmt.zone_choices``); a zone sent under
    another name (Asia/Calcutta, as browsers still report it) is taken as its listed one.
    The values are the zone ids; the labels name each zone's UTC offset now."""

    # What the labels change with besides the language (the offsets in force): the key of a
    # widget that keeps its rendered options, ``LongSelect(key=...)``.
    labels_key = staticmethod(zone_offsets)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", zone_choices)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A zone's label is long ("America/Argentina/Buenos Aires (UTC−03:00)"): the class
        # lets it wrap where the browser can draw the picker as text (core/rehabit.css),
        # rather than be cut on a narrow screen with the text enlarged.
        attrs = super().widget_attrs(widget)
        classes = str(widget.attrs.get("class", "")).split()
        if "zone-select" not in classes:
            classes.append("zone-select")
        attrs["class"] = " ".join(classes)
        return attrs

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return canonical_zone(text) if text else text

    def prepare_value(self, value: Any) -> Any:
        # What was sent is shown chosen under its listed name (a form shown again).
        return canonical_zone(value) if isinstance(value, str) and value else value
