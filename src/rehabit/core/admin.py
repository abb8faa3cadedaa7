"""Admin building blocks shared by every app."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ListedLookupsOnly:
    """A list filtered only by what it shows. Django lets a list's address filter it by any
    field of its model (``?date_of_birth__year=1981``, ``?phone__startswith=+4477``): an
    admin could learn, one question at a time, what the list leaves out and what only the
    audited record page shows (a review found this on the profiles). Here a filter must
    name a column of the list, one of its filters or its date hierarchy (and Django's own
    rule still holds for filters that cross to another model)."""

    list_display: Any
    list_filter: Any
    date_hierarchy: Any

    def listed_fields(self) -> frozenset[str]:
        names = {"pk", "id"}
        for item in (*self.list_display, *self.list_filter, self.date_hierarchy):
            name = item[0] if isinstance(item, tuple) else item
            if isinstance(name, str):
                names.add(name)
                names.add(name.removesuffix("_id"))
        return frozenset(names)

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        field = lookup.split("__", 1)[0]
        return field in self.listed_fields() and super().lookup_allowed(  # type: ignore[misc]
            lookup, value, request
        )


class ReadOnlyAdmin(ListedLookupsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows that are records, not settings (audit entries, consents, appointments, logs):
    staff may look, never add, change or delete them here."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
