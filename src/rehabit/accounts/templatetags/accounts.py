"""Template helpers for account pages: times with their zone, accessible form fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import formats, timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def local_time(value: datetime | None) -> str:
    """A moment in the viewer's time zone, with the zone named: "3 Dec 2026, 14:05
    (Europe/London)". The zone is the profile's (activated by the middleware)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    text = formats.date_format(local, "DATETIME_FORMAT")
    return f"{text} ({timezone.get_current_timezone_name()})"


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
    return format_html(
        '<a href="#{}">{}: {}</a>', field.auto_id, strip_tags(str(field.label)), message
    )
