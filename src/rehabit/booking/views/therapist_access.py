"""Who may open a page of the therapist's workspace, and what everyone else is told.

No dead ends: a visitor is asked to sign in; a patient is told the page is for
therapists; a therapist (or an admin) without a therapist record is told exactly that,
with the way to finish it and who else can. Only a signed-in account with its own
therapist record reaches the page, which then shows only that record's data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rehabit.booking.models import Therapist
from rehabit.booking.people import is_admin, therapist_of
from rehabit.booking.views.common import sign_in_needed


def is_therapist_role(user: Any) -> bool:
    from rehabit.accounts.roles import THERAPIST, role_of

    return role_of(user) == THERAPIST


def not_set_up(request: HttpRequest) -> HttpResponse:
    """The page for a therapist or admin without a therapist record of their own."""
    from rehabit.booking.onboarding import steps_for

    admin = is_admin(request.user)
    context: dict[str, Any] = {
        "is_admin": admin,
        "steps": [] if admin else steps_for(request.user),
        "therapists": Therapist.objects.order_by("name")[:200] if admin else [],
    }
    return render(request, "booking/workspace/not_set_up.html", context, status=409)


def for_therapists_only(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/workspace/therapists_only.html", status=403)


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer for someone who may not use the workspace (None: they may)."""
    user = request.user
    if not user.is_authenticated:
        return sign_in_needed(request)
    if therapist_of(user) is not None:
        return None
    if is_therapist_role(user) or is_admin(user):
        return not_set_up(request)
    return for_therapists_only(request)


def therapist_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Call ``view(request, therapist, ...)`` with the signed-in person's own record."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = refusal(request)
        if refused is not None:
            return refused
        return view(request, therapist_of(request.user), *args, **kwargs)

    return wrapper


def onboarding_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Onboarding steps: any signed-in account with the therapist role (a record may not
    exist yet); a patient is told the pages are for therapists."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return sign_in_needed(request)
        if not is_therapist_role(user) and therapist_of(user) is None:
            return for_therapists_only(request)
        return view(request, *args, **kwargs)

    return wrapper
