"""The therapist's own pages: home (next session, patients who need attention, today and
this week), the day and week calendar, and the therapist profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.booking.attention import needing_attention
from rehabit.booking.models import Therapist
from rehabit.booking.onboarding import steps_for
from rehabit.booking.schedule import (
    coming_days,
    local_today,
    next_session,
    schedule_context,
    session_row,
)
from rehabit.booking.therapist_profile import details_of, save_profile
from rehabit.booking.views.therapist_access import therapist_page
from rehabit.booking.workspace_forms import TherapistProfileForm
from rehabit.core import inputs
from rehabit.scheduling import RulesError

SINCE_KEY = "rehabit.workspace_since"


def _since(request: HttpRequest, therapist: Therapist, now: datetime) -> datetime | None:
    """The therapist's previous visit: read once per signed-in session (so what was new
    stays listed while they work) and moved on to now for the next session."""
    if SINCE_KEY in request.session:
        stored = request.session[SINCE_KEY]
        return parse_datetime(stored) if stored else None
    from rehabit.accounts.models import Profile
    from rehabit.accounts.preferences import profile_of

    since = profile_of(request.user).workspace_seen_at
    request.session[SINCE_KEY] = since.isoformat() if since else ""
    Profile.objects.filter(user=request.user).update(workspace_seen_at=now)
    return since


def _day_asked(request: HttpRequest, today: date) -> tuple[date, str]:
    text = request.GET.get("date", "")
    if not text:
        return today, ""
    try:
        return inputs.parse_date(text), ""
    except inputs.InputRefused as refused:
        return today, refused.message


@require_GET
@therapist_page
def home(request: HttpRequest, therapist: Therapist) -> HttpResponse:
    now = timezone.now()
    since = _since(request, therapist, now)
    context: dict[str, Any] = schedule_context(therapist, local_today(therapist, now), now)
    context.update(coming_days(therapist, now))
    upcoming = next_session(therapist, now)
    context.update(
        {
            "therapist": therapist,
            "next": session_row(upcoming, therapist.time_zone, now) if upcoming else None,
            "attention": needing_attention(therapist, since, now),
            "since": since,
            "steps_left": [step for step in steps_for(request.user) if not step.done],
        }
    )
    return render(request, "booking/workspace/home.html", context)


@require_GET
@therapist_page
def schedule(request: HttpRequest, therapist: Therapist) -> HttpResponse:
    now = timezone.now()
    day, problem = _day_asked(request, local_today(therapist, now))
    view = "day" if request.GET.get("view") == "day" else "week"
    context = schedule_context(therapist, day, now)
    context.update({"therapist": therapist, "view": view, "date_problem": problem})
    return render(
        request, "booking/workspace/schedule.html", context, status=422 if problem else 200
    )


@require_http_methods(["GET", "POST"])
@therapist_page
def profile(request: HttpRequest, therapist: Therapist) -> HttpResponse:
    form = TherapistProfileForm(
        request.POST if request.method == "POST" else None,
        initial=TherapistProfileForm.initial_from(details_of(therapist)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(request.user, form.details(), request)
        except RulesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your therapist profile was saved."))
            return redirect("workspace:profile")
    return render(
        request,
        "booking/workspace/profile.html",
        {"form": form, "therapist": therapist},
        status=422 if form.errors else 200,
    )
