"""Template helpers for account pages: times with their zone, phone numbers, accessible
form fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def local_time(value: datetime | None) -> str:
    """A moment in the viewer's zone, with the zone named, in the site's one format
    (``rehabit.core.timefmt``): "Saturday 5 December 2026, 04:04 (GMT, Europe/London)"."""
    from rehabit.core.timefmt import format_when

    return "" if value is None else format_when(value)


@register.filter
def phone_number(stored: str | None) -> SafeString | str:
    """A stored phone number, readable, as a link that dials it (``tel:``, E.164) when it
    has its country code; "" for none."""
    from rehabit.accounts.phones import readable

    if not stored:
        return ""
    shown = readable(stored)
    if not stored.startswith("+") or shown == stored:
        return shown
    return format_html('<a href="tel:{}">{}</a>', stored, shown)


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """The field's input, pointing at its hint and error messages for screen readers."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return SafeString(field.as_widget(attrs=attrs))


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return getattr(field.field.widget, "input_type", "") == "checkbox"


@register.simple_tag
def error_link(field: BoundField, message: str) -> SafeString:
    """One line of the error summary: the field's name, then the message. A box to tick is
    labelled with a whole statement ("I have read and accept … the privacy notice."), which
    the message already names: it gives the message alone (it read "… notice.: To create an
    account, accept …")."""
    if is_checkbox(field):
        return format_html('<a href="#{}">{}</a>', field.auto_id, message)
    return format_html(
        '<a href="#{}">{}: {}</a>', field.auto_id, strip_tags(str(field.label)), message
    )
