"""Booking a time, and seeing, moving, cancelling and joining an appointment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.booking import chains, day_parts, idempotency, limits, services, video
from rehabit.booking import messages as msg
from rehabit.booking import slots as engine
from rehabit.booking.forms import BookForm, CancelForm, DayPartForm, parse_start
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, AppointmentStatus, SessionKind
from rehabit.booking.patient_summary import patient_summary
from rehabit.booking.people import (
    display_name,
    set_sharing,
    shares_record,
    therapist_of,
    viewer_zone,
)
from rehabit.booking.presenters import appointment_view, iso_utc, slots_by_day
from rehabit.booking.selectors import appointment_for, listed_therapist, recent_for, upcoming_for
from rehabit.booking.timefmt import format_span, in_zone, zone_label
from rehabit.booking.views.common import account_required, refusal_context, sign_in_url
from rehabit.scheduling import Reason, UnknownTimeZone, validate_zone


def _zone_problem(requested: str | None) -> str:
    if not requested:
        return ""
    try:
        validate_zone(requested)
    except UnknownTimeZone as exc:
        return msg.unknown_zone(requested, exc.suggestion)
    return ""


def _kind_label(kind: str) -> str:
    return str(SessionKind(kind).label) if kind in SessionKind.values else kind


def _book_refusal(
    request: HttpRequest, context: dict[str, Any], refused: BookingRefused
) -> HttpResponse:
    context.update(refusal_context(refused, context["zone"], context["therapist"]))
    return render(request, "booking/book.html", context, status=refused.status)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = listed_therapist(therapist_id)
    requested_zone = request.GET.get("tz")
    zone = viewer_zone(request, requested_zone)
    kind = request.GET.get("session", "")
    now = timezone.now()
    context: dict[str, Any] = {
        "therapist": therapist,
        "zone": zone,
        "zone_problem": _zone_problem(requested_zone),
        "kind": kind,
        "kind_label": _kind_label(kind),
        "sign_in_url": sign_in_url(request),
    }
    try:
        start = parse_start(request.GET.get("start", ""))
    except BookingRefused as refused:
        return _book_refusal(request, context, refused)
    session_type = therapist.session_types.filter(kind=kind, is_offered=True).first()
    if session_type is None:
        refused = BookingRefused(
            Reason.UNKNOWN_SESSION_TYPE.value,
            msg.refusal(
                Reason.UNKNOWN_SESSION_TYPE,
                therapist=therapist,
                kind_label=_kind_label(kind),
                offered=", ".join(str(s) for s in therapist.session_types.filter(is_offered=True)),
            ),
        )
        return _book_refusal(request, context, refused)
    end = start + timedelta(minutes=session_type.duration_minutes)
    context.update(
        {
            "session_type": session_type,
            "start_iso": iso_utc(start),
            "when": format_span(start, end, zone),
            "therapist_when": format_span(start, end, therapist.time_zone),
            "same_zone": zone_label(start, zone) == zone_label(start, therapist.time_zone),
            "policy": msg.booking_policy_sentence(
                start - timedelta(hours=msg.window_hours()), zone, now
            ),
        }
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return render(request, "booking/sign_in_needed.html", context, status=403)
        return _book_post(request, context, therapist, kind, start, now)
    if request.user.is_authenticated:
        # Back to this page after booking it: the time is taken, by this person. Their
        # appointment, not "Sorry, that time was just taken".
        own = Appointment.objects.filter(
            patient=request.user,
            therapist=therapist,
            start=start,
            session_type=session_type,
            status=AppointmentStatus.BOOKED,
        ).first()
        if own is not None:
            messages.info(request, _("You have booked this time: here is your appointment."))
            return redirect("booking:appointment", appointment_id=own.pk)
    schedule = engine.schedule_of(therapist.pk, now)
    verdict = engine.check(schedule, kind, start, now) if schedule else None
    if verdict is None or not verdict.ok:
        reason = Reason.NOT_OFFERED.value
        if verdict is not None and verdict.reason is not None:
            reason = verdict.reason.value
        refused = BookingRefused(
            reason,
            msg.refusal(reason, therapist=therapist),
            engine.alternatives(schedule, kind, max(start, now), now) if schedule else [],
        )
        return _book_refusal(request, context, refused)
    if request.user.is_authenticated:
        context["form"] = BookForm(initial={"share_record": shares_record(request.user, therapist)})
    return render(request, "booking/book.html", context)


def _book_post(
    request: HttpRequest, context: dict[str, Any], therapist: Any, kind: str, start: Any, now: Any
) -> HttpResponse:
    form = BookForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "booking/book.html", context, status=422)
    try:
        limits.count_write(request)
    except BookingRefused as refused:
        return _book_refusal(request, context, refused)
    share = form.cleaned_data["share_record"]
    body = {"therapist": therapist.pk, "kind": kind, "start": iso_utc(start), "share": share}

    def work() -> idempotency.Outcome:
        try:
            appointment = services.book(
                patient=request.user,
                therapist_id=therapist.pk,
                kind=kind,
                start=start,
                share_record=share,
                request=request,
                now=now,
            )
        except BookingRefused as refused:
            return idempotency.Outcome(
                refused.status, {"code": refused.code, "message": refused.message}
            )
        set_sharing(appointment, request)
        return idempotency.Outcome(201, {"appointment_id": str(appointment.pk)})

    try:
        outcome = idempotency.run(
            request.user,
            "web:" + form.cleaned_data["idempotency_key"],
            idempotency.fingerprint("POST", request.path, body),
            work,
        )
    except idempotency.KeyMisuse as exc:
        messages.error(request, exc.message)
        return redirect(request.get_full_path())
    if outcome.status == 201:
        if not outcome.replayed:
            messages.success(
                request, _("Your session is booked. A confirmation is on its way by e-mail.")
            )
        return redirect("booking:appointment", appointment_id=outcome.body["appointment_id"])
    schedule = engine.schedule_of(therapist.pk, timezone.now())
    refused = BookingRefused(
        outcome.body.get("code", msg.TAKEN),
        outcome.body.get("message", ""),
        engine.alternatives(schedule, kind, max(start, now), timezone.now()) if schedule else [],
    )
    return _book_refusal(request, context, refused)


@account_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    zone = viewer_zone(request, request.GET.get("tz"))
    now = timezone.now()
    coming, past = chains.split(upcoming_for(request.user, now), recent_for(request.user, now))

    def row(chain: chains.Chain) -> dict[str, Any]:
        view = appointment_view(chain.latest, request.user, zone, now)
        view["history"] = chains.history_rows(chain, zone)
        return view

    upcoming = [row(c) for c in coming]
    recent = [row(c) for c in past]
    return render(
        request,
        "booking/appointments.html",
        {
            "upcoming": upcoming,
            "recent": recent,
            "zone": zone,
            "zone_label": zone_label(now, zone),
            # A therapist's own list: no "Book a session", a link to their schedule instead.
            "is_therapist": therapist_of(request.user) is not None,
        },
    )


@account_required
@require_GET
def appointment(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    found = appointment_for(request.user, appointment_id)
    current = found.current()
    if current.pk != found.pk:
        # Links in e-mails always lead to the appointment's current time.
        return redirect("booking:appointment", appointment_id=current.pk)
    zone = viewer_zone(request, request.GET.get("tz"))
    view = appointment_view(found, request.user, zone)
    context = {
        **view,
        "zone": zone,
        "summary": patient_summary(request, found),
        "patient_name": display_name(found.patient),
        "moved_from_view": (
            appointment_view(found.moved_from, request.user, zone) if found.moved_from else None
        ),
        # Once the patient can no longer move or cancel it online, the page says "write to
        # your therapist" under "Change or cancel", with "Write to <name>" right there: the
        # one way to write on the page (the panel's "Message your therapist" above it
        # opened the same thread).
        "write_below": view["is_patient"] and view["active"] and not view["may_change"],
    }
    return render(request, "booking/appointment.html", context)


def _to_the_session_now(request: HttpRequest, found: Any, page: str) -> HttpResponse | None:
    """An old move or cancel page (a time the session was moved from, or a session already
    cancelled) would show that time as booked, with no way to change it: it leads to the
    same page for the session's current time instead, or to the session's own page once
    it is no longer booked. A form sent from such a page (kept open, or resent after Back)
    leads to the session's own page, saying why (phone walk 6: a refusal named the old
    time as "Now booked")."""
    current = found.current()
    if current.pk == found.pk and current.is_active:
        return None
    if request.method != "GET":
        messages.info(
            request,
            _("This session has already been moved or cancelled. Here is where it stands now."),
        )
        return redirect("booking:appointment", appointment_id=current.pk)
    if not current.is_active:
        return redirect("booking:appointment", appointment_id=current.pk)
    return redirect(page, appointment_id=current.pk)


@account_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    """Pick a new time, then confirm it (old and new time shown with their zones); only the
    confirmation moves the session. The current time is marked and cannot be picked."""
    found = appointment_for(request.user, appointment_id)
    if (elsewhere := _to_the_session_now(request, found, "booking:reschedule")) is not None:
        return elsewhere
    zone = viewer_zone(request, request.GET.get("tz"))
    now = timezone.now()
    view = appointment_view(found, request.user, zone, now)
    therapist = found.therapist
    kind = found.session_type.kind
    # The list of new times may keep to a part of the day (``?time_of_day=``, in the
    # address, so a pick posted from it comes back to the same list).
    part_form = DayPartForm(request.GET if day_parts.PARAMETER in request.GET else None)
    part = day_parts.chosen(part_form.cleaned_data if part_form.is_valid() else {})
    context: dict[str, Any] = {
        **view,
        "zone": zone,
        "zone_label": zone_label(now, zone),
        "therapist": therapist,
        "part_form": part_form,
        "requested_zone": request.GET.get("tz", ""),
        **day_parts.page_context(request, part, zone_label(now, zone)),
    }
    status = 200 if part_form.is_valid() or not part_form.is_bound else 422
    picked = request.GET.get("start", "") if request.method == "GET" else ""
    if picked:
        # A time picked from the list is an address (?start=), not a form sent: Back and
        # reload show the same confirmation, never "Confirm Form Resubmission", and once
        # the session has moved they lead to its current time (above).
        try:
            slot = services.preview_move(
                found.pk, actor=request.user, start=parse_start(picked), zone=zone, now=now
            )
        except BookingRefused as refused:
            context.update(refusal_context(refused, zone, therapist))
            status = refused.status
        else:
            return _confirm_move(request, context, found, slot)
    if request.method == "POST":
        confirmed = request.POST.get("confirm") == "yes"
        try:
            start = parse_start(request.POST.get("start", ""))
            if not confirmed:
                slot = services.preview_move(
                    found.pk, actor=request.user, start=start, zone=zone, now=now
                )
                return _confirm_move(request, context, found, slot)
            limits.count_write(request)
            moved = services.reschedule(
                found.pk, actor=request.user, start=start, zone=zone, request=request, now=now
            )
        except BookingRefused as refused:
            context.update(refusal_context(refused, zone, therapist))
            status = refused.status
        else:
            messages.success(
                request, _("Your session was moved. Both of you get the new time by e-mail.")
            )
            return redirect("booking:appointment", appointment_id=moved.pk)
    if view["may_change"]:
        today = in_zone(now, zone).date()
        schedule = engine.schedule_of(therapist.pk, now, exclude=found.pk)
        free = (
            engine.slots_between(schedule, kind, today, today + timedelta(days=13), zone, now)
            if schedule
            else []
        )
        days = slots_by_day(
            free, zone, therapist_id=therapist.pk, therapist_zone=therapist.time_zone, part=part
        )
        context["days"] = days if any(day["slots"] for day in days) else []
        context["others_free"] = bool(free) and not context["days"]
        context["current_iso"] = iso_utc(found.start)
    return render(request, "booking/reschedule.html", context, status=status)


def _confirm_move(
    request: HttpRequest, context: dict[str, Any], found: Any, slot: Any
) -> HttpResponse:
    zone, therapist_zone = context["zone"], found.therapist.time_zone
    context.update(
        {
            "new_iso": iso_utc(slot.start),
            "new_when": format_span(slot.start, slot.end, zone),
            "new_therapist_when": format_span(slot.start, slot.end, therapist_zone),
        }
    )
    return render(request, "booking/reschedule_confirm.html", context)


@account_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    found = appointment_for(request.user, appointment_id)
    if (elsewhere := _to_the_session_now(request, found, "booking:cancel")) is not None:
        return elsewhere
    zone = viewer_zone(request, request.GET.get("tz"))
    if request.user.pk == found.patient_id:
        reader = found.therapist.name
    elif request.user.pk == found.therapist.user_id:
        reader = display_name(found.patient)
    else:  # an administrator: both are e-mailed
        reader = _("the patient and the therapist")
    form = CancelForm(request.POST or None, reader=reader)
    context: dict[str, Any] = {
        **appointment_view(found, request.user, zone),
        "zone": zone,
        "form": form,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            limits.count_write(request)
            services.cancel(
                found.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                zone=zone,
                request=request,
            )
        except BookingRefused as refused:
            context["refusal"] = refused
            status = refused.status
        else:
            messages.success(request, _("The session was cancelled. Both of you get an e-mail."))
            return redirect("booking:appointment", appointment_id=found.pk)
    return render(request, "booking/cancel.html", context, status=status)


@account_required
@require_GET
def join(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    found = appointment_for(request.user, appointment_id).current()
    if not video.is_participant(request.user, found):
        from django.http import Http404

        raise Http404("Only the two participants can join.")
    zone = viewer_zone(request, None)
    if not video.is_open(found):
        context = {**appointment_view(found, request.user, zone), "zone": zone}
        return render(request, "booking/join_closed.html", context, status=403)
    url = video.room_url(found, request.user, display_name(request.user))
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response
