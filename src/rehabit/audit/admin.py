"""The audit log in the admin: searchable, filterable, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rehabit.audit.models import AuditEntry
from rehabit.core.admin import ReadOnlyAdmin
from rehabit.core.inputs import whole_number
from rehabit.core.timefmt import format_when


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "when",
        "action",
        "actor_id",
        "actor_role",
        "subject_id",
        "target_type",
        "target_id",
        "changed",
        "ip_network",
    )
    list_filter = ("action", "actor_role", "event_time", "target_type")
    date_hierarchy = "event_time"
    search_fields = ("target_id", "ip_network", "ip_hash", "user_agent")
    search_help_text = _(
        "Search by e-mail address or user id (who or whose), object id, network or browser."
    )
    fields = readonly_fields = [
        "when" if f.name == "event_time" else f.name for f in AuditEntry._meta.fields
    ]
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description=_("when"), ordering="event_time")
    def when(self, entry: AuditEntry) -> str:
        """The moment in the viewer's zone, with the zone named, as every page shows it."""
        return format_when(entry.event_time)

    @admin.display(description=_("fields changed"))
    def changed(self, entry: AuditEntry) -> str:
        """Which fields an admin change touched (names only; the log holds no values of
        personal data or secrets)."""
        fields = entry.details.get("fields") if isinstance(entry.details, dict) else None
        return ", ".join(str(f) for f in fields) if isinstance(fields, list) else ""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry], search_term: str
    ) -> tuple[QuerySet[AuditEntry], bool]:
        term = search_term.strip()
        ids: list[int] = []
        if (number := whole_number(term, low=None)) is not None:
            ids.append(number)
        elif "@" in term:
            ids.extend(
                get_user_model().objects.filter(email__iexact=term).values_list("pk", flat=True)
            )
        if ids:
            return queryset.filter(Q(actor_id__in=ids) | Q(subject_id__in=ids)), False
        return super().get_search_results(request, queryset, search_term)
