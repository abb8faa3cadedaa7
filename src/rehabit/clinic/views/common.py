"""Helpers shared by the clinic's pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rehabit.clinic.relations import therapist_record


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to sign in (and come back here)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            url = (
                resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
            )
            return HttpResponseRedirect(url)
        return view(request, *args, **kwargs)

    return wrapper


def therapist_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in therapists with a therapist profile; everyone else gets "not found"."""

    @wraps(view)
    @signed_in
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if therapist_record(request.user) is None:
            raise Http404(_("This page is for therapists."))
        return view(request, *args, **kwargs)

    return wrapper
