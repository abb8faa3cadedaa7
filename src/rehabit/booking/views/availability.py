"""The availability page: the usual week as a grid of time ranges (with pasted hours as an
import), the booking rules with the notice in hours, and a month calendar of dates with
other hours and time off. The therapist's own, or (admins only) any therapist's.

Every form keeps what was sent when something is wrong and says what, at the field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from rehabit.booking import availability as actions
from rehabit.booking.models import Appointment, Therapist
from rehabit.booking.month_calendar import build_month, month_of, overrides_by_day
from rehabit.booking.people import display_name, is_admin, therapist_of
from rehabit.booking.rules_text import explain
from rehabit.booking.schedule import appointments_between, day_bounds, local_today
from rehabit.booking.timefmt import format_span, format_when, zone_label
from rehabit.booking.views.therapist_access import refusal
from rehabit.booking.views.week_editor import WeekEditor, check_override_rows, row_views
from rehabit.booking.week_grid import Range, hours_text
from rehabit.booking.workspace_forms import BookingRulesForm, OverrideDayForm, TimeOffRangeForm
from rehabit.core import inputs
from rehabit.scheduling import RulesError

OVERRIDE_ROWS = 3  # time rows shown for a date's hours


def _editable(request: HttpRequest, therapist_id: int | None) -> Therapist | HttpResponse:
    """The signed-in therapist's own record, or (admins only) any therapist's."""
    if therapist_id is None:
        refused = refusal(request)
        if refused is not None:
            return refused
        return Therapist.objects.get(user=request.user)
    if not request.user.is_authenticated:
        return refusal(request) or HttpResponse(status=403)
    found = Therapist.objects.filter(pk=therapist_id).first()
    # Their own only while the account holds the therapist role (``therapist_of``): one
    # whose role was taken away signs in as a patient, without a second factor (a review).
    mine = found is not None and found == therapist_of(request.user)
    if found is not None and (mine or is_admin(request.user)):
        return found
    raise Http404("No such therapist.")


def _month_shown(request: HttpRequest, today: date) -> tuple[date, str]:
    text = request.GET.get("month", "")
    if not text:
        return month_of(today), ""
    try:
        return month_of(inputs.parse_date(f"{text}-01")), ""
    except inputs.InputRefused as refused:
        return month_of(today), refused.message


def _upcoming(therapist: Therapist, today: date) -> list[dict[str, Any]]:
    grouped = overrides_by_day(
        therapist.overrides.filter(day__gte=today).values_list("day", "start", "end")
    )
    return [
        {
            "day": day,
            "hours": ", ".join(hours_text(s, e) for s, e in spans) if spans else _("Not working"),
        }
        for day, spans in sorted(grouped.items())
    ]


class Page:
    """The forms of the page, bound to what was sent for the one action posted."""

    def __init__(self, request: HttpRequest, therapist: Therapist) -> None:
        post = request.POST if request.method == "POST" else None
        self.action = post.get("action", "") if post is not None else ""
        grid_post = post is not None and (
            self.action in {"weekly", "import"} or "add" in post or "remove" in post
        )
        self.week = WeekEditor.from_post(post) if grid_post else WeekEditor.for_therapist(therapist)
        if grid_post and self.action not in {"weekly", "import"}:
            self.action = "grid"
        self.rules = BookingRulesForm(
            post if self.action == "settings" else None,
            initial=BookingRulesForm.initial_from(therapist),
        )
        self.override = OverrideDayForm(post if self.action == "override" else None)
        self.override_rows: list[Any] = []
        self.override_check: Any = None
        self.time_off = TimeOffRangeForm(
            post if self.action == "time_off" else None, zone=therapist.time_zone
        )
        # Booked sessions inside a day off or time off just saved: they stay booked.
        self.kept: list[Appointment] = []


def _save(request: HttpRequest, therapist: Therapist, page: Page) -> bool | None:
    """Carry out the posted action: True saved, False refused (messages on the page),
    None for a grid button that only changes what is shown."""
    action, post = page.action, request.POST
    if action == "grid" or action == "import":
        page.week.apply(request)
        return None
    if action == "weekly":
        hours = page.week.check()
        if hours is None:
            return False
        actions.set_weekly_hours(therapist, hours, request)
        return True
    if action == "settings":
        if not page.rules.is_valid():
            return False
        actions.update_rules(therapist, page.rules.values(), request)
        return True
    if action == "override":
        return _save_override(request, therapist, page)
    if action == "remove_override":
        actions.remove_override(therapist, inputs.parse_date(post.get("day", "")), request)
        return True
    if action == "time_off":
        if not page.time_off.is_valid():
            return False
        start, end = page.time_off.instants(therapist.time_zone)
        actions.add_time_off(therapist, start, end, page.time_off.cleaned_data["reason"], request)
        page.kept = list(
            Appointment.objects.active()
            .filter(therapist=therapist, start__lt=end, end__gt=start)
            .select_related("patient")
            .order_by("start")
        )
        return True
    if action == "remove_time_off":
        actions.remove_time_off(therapist, post.get("time_off_id"), request)
        return True
    messages.error(request, _("That button is not known here; nothing was changed."))
    return False


def _save_override(request: HttpRequest, therapist: Therapist, page: Page) -> bool:
    form = page.override
    valid = form.is_valid()
    day = form.cleaned_data.get("day") if valid else None
    where = day.isoformat() if day else _("that date")
    page.override_rows, page.override_check = check_override_rows(request.POST, where)
    if not valid or not page.override_check.ok:
        return False
    spans = page.override_check.spans
    if form.cleaned_data["not_working"] and spans:
        form.add_error(
            "not_working",
            _("Either tick “not working that day” or give the hours, not both."),
        )
        return False
    if not form.cleaned_data["not_working"] and not spans:
        form.add_error(
            "not_working",
            _("Give the hours of that day, or tick “not working that day”."),
        )
        return False
    actions.set_override(therapist, day, spans, request)
    if not spans:
        page.kept = list(appointments_between(therapist, day, day))
    return True


def _still_booked(therapist: Therapist, kept: list[Appointment]) -> SafeString:
    """The sessions that stay booked in the time just marked off: each patient, the time
    on the therapist's clock with its zone, and links to move or cancel it."""
    head = ngettext(
        "This session in the time you marked off stays booked; move it or cancel it "
        "if you will not hold it:",
        "These %(count)d sessions in the time you marked off stay booked; move or cancel "
        "each one you will not hold:",
        len(kept),
    ) % {"count": len(kept)}
    items = format_html_join(
        "; ",
        '{}, {} (<a href="{}">{}</a>, <a href="{}">{}</a>)',
        (
            (
                display_name(appointment.patient),
                format_span(appointment.start, appointment.end, therapist.time_zone),
                reverse("booking:reschedule", args=[appointment.pk]),
                _("move it"),
                reverse("booking:cancel", args=[appointment.pk]),
                _("cancel it"),
            )
            for appointment in kept
        ),
    )
    return format_html("{} {}.", head, items)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, therapist_id: int | None = None) -> HttpResponse:
    found = _editable(request, therapist_id)
    if isinstance(found, HttpResponse):
        return found
    therapist = found
    page = Page(request, therapist)
    status = 200
    if request.method == "POST":
        try:
            saved = _save(request, therapist, page)
        except (RulesError, inputs.InputRefused) as exc:
            why = explain(exc) if isinstance(exc, RulesError) else str(exc)
            messages.error(request, _("That change was not saved: %(why)s") % {"why": why})
            saved = False
        if saved:
            messages.success(request, _("Your availability was saved."))
            if page.kept:
                messages.warning(request, _still_booked(therapist, page.kept))
            query = {"month": request.GET["month"]} if request.GET.get("month") else {}
            return redirect(request.path + ("?" + urlencode(query) if query else ""))
        status = 422 if saved is False else 200
    return render(
        request, "booking/availability.html", _context(request, therapist, page), status=status
    )


def _context(request: HttpRequest, therapist: Therapist, page: Page) -> dict[str, Any]:
    now = timezone.now()
    zone = therapist.time_zone
    today = local_today(therapist, now)
    shown, month_problem = _month_shown(request, today)
    first_shown, last_shown = shown - timedelta(days=7), shown + timedelta(days=45)
    lo, hi = day_bounds(first_shown, last_shown, zone)
    month = build_month(
        shown,
        today=today,
        zone=zone,
        overrides=overrides_by_day(
            therapist.overrides.filter(day__gte=first_shown, day__lte=last_shown).values_list(
                "day", "start", "end"
            )
        ),
        time_off=therapist.time_off.filter(start__lt=hi, end__gt=lo).values_list(
            "start", "end", "reason"
        ),
    )
    override_where = _("that date")
    return {
        "therapist": therapist,
        "own": therapist.user_id == request.user.pk,
        **page.week.context(),
        "rules_form": page.rules,
        "override_form": page.override,
        "override_rows": row_views(
            "o",
            page.override_rows + [Range()] * max(0, OVERRIDE_ROWS - len(page.override_rows)),
            page.override_check,
            override_where,
        ),
        "weekday_heads": [(WEEKDAYS[d], WEEKDAYS_ABBR[d]) for d in range(7)],
        "override_day_errors": (
            page.override_check.errors.get((-1, "row"), []) if page.override_check else []
        ),
        "time_off_form": page.time_off,
        "overrides": _upcoming(therapist, today),
        "time_off": [
            {"item": t, "start": format_when(t.start, zone), "end": format_when(t.end, zone)}
            for t in therapist.time_off.filter(end__gt=now).order_by("start")
        ],
        "month": month,
        "month_problem": month_problem,
        "zone_label": zone_label(now, zone),
        "failed": page.action,
    }
