"""The therapist's own navigation (shown under the site header to therapists).

An item is shown only when one of its URL names exists, so pages that other apps add
later (the patient list, messages) appear once they are installed, and never as a
broken link. Another app may also add an item from its ``AppConfig.ready``::

    from rehabit.booking.workspace_nav import add_item
    add_item(("clinic:patients",), _("Patients"), order=40)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_names: tuple[str, ...]
    label: Any
    order: int


_items: list[NavItem] = [
    NavItem(("workspace:home",), _("Today"), 10),
    NavItem(("workspace:schedule",), _("Schedule"), 20),
    NavItem(("booking:availability",), _("Availability"), 30),
    NavItem(("charts:patients", "clinic:patients", "workspace:patients"), _("Patients"), 40),
    NavItem(("clinic:threads", "clinic:inbox", "clinic:messages"), _("Messages"), 50),
    NavItem(("clinic:alerts",), _("Alerts"), 55),
    NavItem(("workspace:profile",), _("My therapist profile"), 60),
]


def add_item(url_names: tuple[str, ...], label: Any, *, order: int = 100) -> None:
    item = NavItem(tuple(url_names), label, order)
    if item not in _items:
        _items.append(item)
        _resolved.cache_clear()


@cache
def _resolved() -> tuple[tuple[str, str, Any], ...]:
    """(url name, path, label) of each item whose page exists."""
    found = []
    for item in sorted(_items, key=lambda i: i.order):
        for name in item.url_names:
            try:
                found.append((name, reverse(name), item.label))
            except NoReverseMatch:
                continue
            break
    return tuple(found)


def items(current: str) -> list[dict[str, Any]]:
    return [
        {"url": path, "label": label, "current": name == current}
        for name, path, label in _resolved()
    ]
