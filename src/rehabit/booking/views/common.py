"""Helpers shared by the booking views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import urlencode


def sign_in_url(request: HttpRequest) -> str:
    return resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})


def sign_in_needed(request: HttpRequest) -> HttpResponse:
    """403 with a way forward: appointment pages are never shown to anonymous visitors."""
    return render(
        request, "booking/sign_in_needed.html", {"sign_in_url": sign_in_url(request)}, status=403
    )


def account_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_needed(request)
        return view(request, *args, **kwargs)

    return wrapper


def refusal_context(refused: Any, zone: str, therapist: Any) -> dict[str, Any]:
    from rehabit.booking.presenters import slot_view

    return {
        "refusal": refused,
        "alternatives": [
            slot_view(s, zone, therapist_id=therapist.pk, therapist_zone=therapist.time_zone)
            for s in refused.alternatives
        ],
    }
