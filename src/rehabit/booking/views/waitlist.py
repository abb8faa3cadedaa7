"""Joining the waitlist, and accepting an offered earlier time."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rehabit.booking import limits, waitlist
from rehabit.booking.forms import WaitlistForm
from rehabit.booking.messages import RATE_LIMITED, BookingRefused
from rehabit.booking.models import WaitlistEntry, WaitlistStatus
from rehabit.booking.people import viewer_zone
from rehabit.booking.selectors import find_appointment
from rehabit.booking.timefmt import format_day, format_span
from rehabit.booking.views.common import account_required, refusal_context
from rehabit.scheduling import validate_zone


@account_required
@require_http_methods(["GET", "POST"])
def waitlist_page(request: HttpRequest) -> HttpResponse:
    zone = viewer_zone(request, request.GET.get("tz"))
    initial: dict[str, Any] = {
        "specialty": request.GET.get("specialty", ""),
        "therapist": request.GET.get("therapist") or None,
        "session": request.GET.get("session", "first_assessment"),
    }
    form = WaitlistForm(request.POST or None, initial=initial)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            limits.count_write(request)
        except BookingRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appointment = find_appointment(request.user, request.POST.get("appointment"))
        if appointment is not None and appointment.patient_id != request.user.pk:
            appointment = None
        wanted_before = datetime.combine(
            data["wanted_before"], time(0, 0), tzinfo=validate_zone(zone)
        )
        waitlist.join(
            patient=request.user,
            therapist=data["therapist"],
            specialty=data["specialty"],
            kind=data["session"],
            wanted_before=wanted_before,
            appointment=appointment,
        )
        messages.success(
            request, _("You are on the waitlist. We will e-mail you when an earlier time frees up.")
        )
        return redirect("booking:waitlist")
    entries = WaitlistEntry.objects.filter(patient=request.user, status=WaitlistStatus.WAITING)
    return render(
        request,
        "booking/waitlist.html",
        {
            "form": form,
            "zone": zone,
            "entries": [
                {"entry": e, "before": format_day(e.wanted_before, zone)}
                for e in entries.select_related("therapist")
            ],
            "appointment_id": request.GET.get("appointment", ""),
        },
        status=status,
    )


@account_required
@require_POST
def leave_waitlist(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = WaitlistEntry.objects.filter(pk=entry_id, patient=request.user).first()
    if entry is None:
        raise Http404("No such waitlist entry.")
    try:
        limits.count_write(request)
    except BookingRefused as refused:
        messages.error(request, refused.message)
        return redirect("booking:waitlist")
    waitlist.leave(entry)
    messages.success(request, _("You left the waitlist."))
    return redirect("booking:waitlist")


@account_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    found = waitlist.find_offer(token)
    if found is None or found.entry.patient_id != request.user.pk:
        raise Http404("No such offer.")
    zone = viewer_zone(request, None)
    context: dict[str, Any] = {
        "offer": found,
        "when": format_span(found.start, found.end, zone),
        "zone": zone,
        "usable": found.status == "open" and found.expires_at > timezone.now(),
    }
    if request.method == "POST":
        try:
            limits.count_write(request)
            appointment = waitlist.accept(found, patient=request.user, zone=zone, request=request)
        except BookingRefused as refused:
            context.update(refusal_context(refused, zone, found.therapist))
            context["usable"] = context["usable"] and refused.code == RATE_LIMITED
            return render(request, "booking/offer.html", context, status=refused.status)
        messages.success(
            request, _("The earlier time is yours. A confirmation is on its way by e-mail.")
        )
        return redirect("booking:appointment", appointment_id=appointment.pk)
    return render(request, "booking/offer.html", context)
