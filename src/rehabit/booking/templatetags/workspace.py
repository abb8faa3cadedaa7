"""The therapist's navigation and onboarding hints in any template."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _is_therapist(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from rehabit.accounts.roles import THERAPIST, role_of

    return role_of(user) == THERAPIST


@register.filter
def is_therapist(user: Any) -> bool:
    """``{% if user|is_therapist %}``: a signed-in therapist."""
    return _is_therapist(user)


@register.inclusion_tag("booking/workspace/_nav.html", takes_context=True)
def therapist_nav(context: Any) -> dict[str, Any]:
    """The workspace navigation, for signed-in therapists only (nothing for others)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not _is_therapist(user):
        return {"items": []}
    from rehabit.booking.workspace_nav import items

    match = getattr(request, "resolver_match", None)
    return {"items": items(match.view_name if match else "")}


@register.simple_tag(takes_context=True)
def onboarding_next(context: Any) -> Any:
    """The next step of a therapist's guided start (None when done or not a therapist)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not _is_therapist(user):
        return None
    from rehabit.booking.onboarding import next_step

    return next_step(user)
