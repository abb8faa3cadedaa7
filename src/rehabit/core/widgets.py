"""Form widgets that are fast to render (issue 10).

Django renders each ``<option>`` of a ``<select>`` through a template: fine for ten
choices, but the time-zone list has about 430, rendered on every booking page (it was
most of the search page's time). ``LongSelect`` writes exactly the markup of Django's
``Select`` templates, with the escaped options built once per language (and per ``key``,
when the labels change with something else: the zones' offsets now).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for
    True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    return "".join(out)


class LongSelect(forms.Select):
    """A single ``<select>`` with a long, flat list of choices (no groups).

    ``key``: for labels that change with something besides the language (the time zones'
    UTC offsets now, ``timefmt.zone_offsets``), a function whose value changes when they
    do; the options are built again, once, when it has. Only the newest build is kept for
    each language.
    """

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Iterable[Any] = (),
        key: Callable[[], Hashable] | None = None,
    ) -> None:
        super().__init__(attrs, choices)
        self.key = key
        # language -> (key, option markup, each value's position). Shared with the copies
        # Django makes of the widget for each form, so one build serves every request.
        self._options: dict[str, tuple[Hashable, list[tuple[str, str]], dict[str, int]]] = {}

    def _built(self) -> tuple[list[tuple[str, str]], dict[str, int]]:
        """(option markup unselected, selected) per choice, and each value's position."""
        language = get_language() or ""
        # The key is read before the choices, so a build is never kept under a newer key
        # than its labels (should the key change meanwhile, the next render builds again).
        key = self.key() if self.key is not None else None
        found = self._options.get(language)
        if found is None or found[0] != key:
            options = []
            where: dict[str, int] = {}
            for value, label in self.choices:
                text = "" if value is None else str(value)
                plain = format_html('\n  <option value="{}">{}</option>\n', text, label)
                chosen = format_html('\n  <option value="{}" selected>{}</option>\n', text, label)
                where.setdefault(text, len(options))
                options.append((plain, chosen))
            found = self._options[language] = (key, options, where)
        return found[1], found[2]

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        options, where = self._built()
        shown = self.format_value(value)  # as Select: the first option with that value
        chosen = where.get(shown[0]) if shown else None
        parts = [f'<select name="{escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        parts.extend(option[1] if i == chosen else option[0] for i, option in enumerate(options))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
