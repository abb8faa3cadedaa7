"""Translatable phrases for the pure clinical core: pure, no Django.

A ``Text`` is an English message with named placeholders, marked for translation by the
markers ``_`` and ``ngettext`` (the names ``makemessages``/xgettext collect), translated
and filled in by the web layer (``rehabit.charts.presenters.render``), or in English by
``Text.english()``. Parameters may themselves be ``Text``, so a sentence is composed of
phrases each translated on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Union

Param = Union[str, int, float, date, "Text"]
Status = Literal["yes", "no", "not_sure", "not_asked"]


@dataclass(frozen=True, slots=True)
class Text:
    """A translatable phrase: ``message`` (English, ``{name}`` placeholders) with its
    parameters; with ``plural`` and ``count`` a plural form. ``verbatim`` texts come from
    stored data (translated when the catalogue has them, never formatted)."""

    message: str
    params: Mapping[str, Param] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None
    verbatim: bool = False

    def english(self) -> str:
        """The phrase in English (tests, the command line, logs)."""
        if self.verbatim:
            return self.message
        template = self.message
        if self.plural is not None and self.count != 1:
            template = self.plural
        return template.format(**{k: _english(v) for k, v in self.params.items()})


def _english(value: Param) -> str:
    if isinstance(value, Text):
        return value.english()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _(message: str, /, **params: Param) -> Text:
    """Marks ``message`` for translation (xgettext keyword ``_``)."""
    return Text(message, params)


def ngettext(singular: str, plural: str, count: int, /, **params: Param) -> Text:
    """Marks a plural message for translation (xgettext keyword ``ngettext``)."""
    return Text(singular, {"count": count, **params}, plural=plural, count=count)


def verbatim(message: str) -> Text:
    """Stored wording (questionnaire or result text), translated by the data catalogue."""
    return Text(message, verbatim=True)


def join(items: Sequence[Text]) -> Text:
    """ "a", "a and b", "a, b and c"."""
    if not items:
        return Text("")
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return _("{first} and {second}", first=items[0], second=items[1])
    return _("{first}, {rest}", first=items[0], rest=join(items[1:]))


def join_or(items: Sequence[Text]) -> Text:
    """ "a", "a or b", "a, b or c"."""
    if len(items) <= 1:
        return join(items)
    if len(items) == 2:
        return _("{first} or {second}", first=items[0], second=items[1])
    return _("{first}, {rest}", first=items[0], rest=join_or(items[1:]))


def listing(items: Sequence[Text]) -> Text:
    """ "a; b; c" (for items that themselves hold commas)."""
    if len(items) <= 1:
        return join(items)
    return _("{first}; {rest}", first=items[0], rest=listing(items[1:]))
