"""Notices other apps' pages show about the person's own latest check, through a template
tag (so the booking app imports nothing of assessments)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from rehabit.assessments.models import Assessment

register = template.Library()

# A check this recent still speaks for the person's state when they book.
RECENT = timedelta(days=14)


@register.inclusion_tag("assessments/_doctor_first.html", takes_context=True)
def doctor_first(context: Any) -> dict[str, Any]:
    """On the page that confirms a session: when the person's latest check (in the last
    two weeks) sent them to a doctor today or to emergency care, say that a video session
    with a physiotherapist does not replace it (a phone walk booked one for the same
    afternoon after "See a doctor today", and no page said a word)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"latest": None}
    latest = (
        Assessment.objects.filter(owner=user, created_at__gte=timezone.now() - RECENT)
        .order_by("-created_at")
        .only("id", "created_at", "disposition")
        .first()
    )
    if latest is None or latest.disposition not in ("emergency", "urgent"):
        return {"latest": None}
    return {"latest": latest}
