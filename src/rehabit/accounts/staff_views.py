"""Pages for therapists and admins. Every read of a patient's record is audited by the
selector (``rehabit.accounts.records``), which also refuses sessions without MFA."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rehabit.accounts.records import get_patient_record
from rehabit.accounts.roles import is_staff_role


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in therapists and admins only; everyone else gets a 404 (deny by default,
    without confirming that the page exists)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_role(request.user):
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@staff_required
def patient_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    record = get_patient_record(request, patient_id)
    return render(request, "accounts/staff/patient_record.html", {"record": record})
