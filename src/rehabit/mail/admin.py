"""Staff see every outgoing e-mail: whether it was sent, how often it was tried, when it
is tried next and the last error. Read-only: the worker alone changes these rows."""

from __future__ import annotations

from django.contrib import admin

from rehabit.core.admin import ReadOnlyAdmin
from rehabit.mail.models import OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("to", "subject", "key")
    date_hierarchy = "created_at"
    fields = (
        "key",
        "kind",
        "to",
        "sender",
        "subject",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "give_up_at",
        "sent_at",
        "last_error",
        "claimed_by",
        "claimed_at",
    )
    readonly_fields = fields
