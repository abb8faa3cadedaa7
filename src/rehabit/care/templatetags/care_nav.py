"""The "My program" item of the site navigation: a signed-in patient's way back to the
home program, diary and progress of their latest assessment in one tap."""

from __future__ import annotations

from typing import Any

from django import template

from rehabit.accounts.roles import is_staff_role
from rehabit.assessments.models import Assessment

register = template.Library()


@register.inclusion_tag("care/_nav_program.html", takes_context=True)
def program_nav(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_staff_role(user):
        return {"latest": None}
    latest = (
        Assessment.objects.filter(owner=user).order_by("-created_at").values_list("pk", flat=True)
    ).first()
    match = getattr(request, "resolver_match", None)
    here = match is not None and match.kwargs.get("assessment_id") == latest
    return {"latest": latest, "current": here and match.view_name == "care:program"}
