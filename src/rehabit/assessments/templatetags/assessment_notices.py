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


@register.inclusion_tag("assessments/_latest_check_nav.html", takes_context=True)
def latest_check_nav(context: Any) -> dict[str, Any]:
    """In the menu of someone not signed in who finished a check in this browser: a link
    back to its result (a phone walk lost the result by tapping the logo; the address was
    the only way back). Signed in, "My program" and the account page lead there."""
    from django.conf import settings

    from rehabit.assessments.claims import listed_assessments

    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or (user is not None and user.is_authenticated):
        return {"latest": None}
    # A visitor with no session has nothing to list, and must not be given one here (the
    # pages kept for every signed-out visitor are built for them).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"latest": None}
    ids = listed_assessments(request.session)
    if not ids:
        return {"latest": None}
    # The newest that still exists and nobody has claimed (one may have been erased).
    unclaimed = Assessment.objects.filter(pk__in=ids, owner__isnull=True)
    found = {str(pk) for pk in unclaimed.values_list("pk", flat=True)}
    latest = next((i for i in reversed(ids) if i in found), None)
    match = getattr(request, "resolver_match", None)
    here = match is not None and str(match.kwargs.get("assessment_id", "")) == latest
    return {"latest": latest, "current": here and match.view_name == "assessments:result"}
