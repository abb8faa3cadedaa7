"""Form widgets that are fast to render (issue 10).

Django renders each ``<option>`` of a ``<select>`` through a template: fine for ten
choices, but the time-zone list has about 430, rendered on every booking page (it was
most of the search page's time). ``LongSelect`` writes exactly the markup of Django's
``Select`` templates, with the escaped options built once per language.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    """A single ``<select>`` with a long, flat list of choices (no groups)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Iterable[Any] = ()) -> None:
        super().__init__(attrs, choices)
        self._options: dict[str, tuple[list[tuple[str, str]], dict[str, int]]] = {}

    def _built(self) -> tuple[list[tuple[str, str]], dict[str, int]]:
        """(option markup unselected, selected) per choice, and each value's position."""
        language = get_language() or ""
        found = self._options.get(language)
        if found is None:
            options = []
            where: dict[str, int] = {}
            for value, label in self.choices:
                text = "" if value is None else str(value)
                plain = format_html('\n  <option value="{}">{}</option>\n', text, label)
                chosen = format_html('\n  <option value="{}" selected>{}</option>\n', text, label)
                where.setdefault(text, len(options))
                options.append((plain, chosen))
            found = self._options[language] = (options, where)
        return found

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
