"""A therapist's messaging settings: how soon they usually reply."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rehabit.clinic.messaging import reply_days
from rehabit.clinic.models import MAX_REPLY_DAYS, MessagingSettings
from rehabit.clinic.relations import therapist_record
from rehabit.clinic.views.common import therapist_only
from rehabit.core.inputs import whole_number


@require_http_methods(["GET", "POST"])
@therapist_only
def messaging_settings(request: HttpRequest) -> HttpResponse:
    therapist = therapist_record(request.user)
    assert therapist is not None  # therapist_only
    errors: dict[str, list[str]] = {}
    value: str = str(reply_days(therapist))
    if request.method == "POST":
        value = request.POST.get("reply_within_days", "").strip()
        days = whole_number(value, 1, MAX_REPLY_DAYS)
        if days is None:
            errors["reply_within_days"] = [
                _("Enter a whole number of working days from 1 to %(max)s.")
                % {"max": MAX_REPLY_DAYS}
            ]
        else:
            MessagingSettings.objects.update_or_create(
                therapist=therapist,
                defaults={"reply_within_days": days, "updated_at": timezone.now()},
            )
            flash.success(request, _("Saved. Patients see this on every message page."))
            return redirect("clinic:settings")
    return render(
        request,
        "clinic/settings.html",
        {"value": value, "errors": errors, "max": MAX_REPLY_DAYS},
        status=422 if errors else 200,
    )
