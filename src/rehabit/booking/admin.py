"""Admins manage therapists, their specialties, languages, session types and availability.

Appointments are shown read-only: every change goes through the booking actions, so the
constraints, notifications, reminders and audit entries are never bypassed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from rehabit.accounts.admin import AuditedChangeViewMixin
from rehabit.booking.deactivation import sessions_note
from rehabit.booking.models import (
    Appointment,
    DateOverride,
    SessionType,
    Therapist,
    TherapistLanguage,
    TherapistSpecialty,
    TimeOff,
    WaitlistEntry,
    WorkingHours,
)
from rehabit.core.admin import ListedLookupsOnly, ReadOnlyAdmin


class SpecialtyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TherapistSpecialty
    extra = 1


class LanguageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TherapistLanguage
    extra = 1


class SessionTypeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SessionType
    extra = 0


class WorkingHoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkingHours
    extra = 0


class DateOverrideInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DateOverride
    extra = 0


class TimeOffInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TimeOff
    extra = 0


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "time_zone", "is_listed", "minimum_notice_minutes", "horizon_days")
    list_filter = ("is_listed", "specialties__specialty", "time_zone")
    search_fields = ("name",)
    raw_id_fields = ("user",)
    inlines = [
        SpecialtyInline,
        LanguageInline,
        SessionTypeInline,
        WorkingHoursInline,
        DateOverrideInline,
        TimeOffInline,
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_listed" in form.changed_data and not obj.is_listed:
            # Unlisted, the therapist leaves the search, but sessions already booked stay:
            # the admin is told how many, with a link to move or cancel them.
            note = sessions_note(obj)
            if note:
                self.message_user(request, note, messages.WARNING)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("start", "end", "therapist", "status", "sequence")
    list_filter = ("status", "therapist")
    date_hierarchy = "start"
    fields = (
        "id",
        "therapist",
        "session_type",
        "start",
        "end",
        "status",
        "share_record",
        "moved_from",
        "sequence",
        "created_at",
        "cancelled_at",
        "cancelled_by_role",
    )
    readonly_fields = fields


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(AuditedChangeViewMixin, ListedLookupsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """A patient's wish for a session: what they need help with (the specialty names the
    body part) is theirs, so opening one is an audited read of their record."""

    list_display = ("id", "therapist", "specialty", "session_kind", "wanted_before", "status")
    list_filter = ("status", "specialty")
    readonly_fields = (
        "patient",
        "therapist",
        "specialty",
        "session_kind",
        "wanted_before",
        "appointment",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def patient_of(self, obj: Any) -> Any:
        return obj.patient
