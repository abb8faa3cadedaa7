"""Finding a therapist and a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from rehabit.booking import day_parts, freshness
from rehabit.booking import slots as engine
from rehabit.booking.forms import SearchForm, WeekForm
from rehabit.booking.models import SessionKind, Therapist
from rehabit.booking.people import viewer_zone
from rehabit.booking.presenters import (
    iso_utc,
    slot_view,
    slots_by_day,
    therapist_card,
    therapist_cards,
)
from rehabit.booking.selectors import listed_therapist
from rehabit.booking.timefmt import (
    format_day,
    format_time,
    format_when,
    format_zone_short,
    in_zone,
    zone_label,
)
from rehabit.core.browser_zone import remembered_zone
from rehabit.core.caching import keepable
from rehabit.scheduling import Slot

DAYS_SHOWN = 7
# Therapists per search page, soonest first: a page of 200 cards is slow to make and to
# read on a phone (issue 10: p95 <= 100 ms with 200 therapists).
PAGE_SIZE = 20


def _zone_guess(request: HttpRequest) -> bool:
    """Let the browser's zone be filled in when nobody chose one yet (neither the person,
    nor the browser earlier in this session)."""
    return "tz" not in request.GET and bool(getattr(request, "zone_guess", True))


def _kept_key(request: HttpRequest) -> str | None:
    """The key of this search page in the shared cache (``rehabit.booking.freshness``), or
    None when the page may hold something of this visitor's: signed in, or a message
    waiting. Everything the page depends on is in the key: the address's query, the
    language, the zone the browser reported for this session and whether to ask for it."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > 512 or request.user.is_authenticated or "messages" in request.COOKIES:
        return None
    session = getattr(request, "session", None)
    if session is not None and "_messages" in session:
        return None
    return freshness.key(
        "search",
        get_language(),
        query,
        remembered_zone(request) or "",
        bool(getattr(request, "zone_guess", False)),
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search page; the same for every signed-out visitor asking the same question in
    the same few seconds, so it is kept that long (``rehabit.booking.freshness``)."""
    key = _kept_key(request)
    if key is None:
        return _search(request)
    body, generation = freshness.lookup(key)
    if body is not None:
        return HttpResponse(body, content_type="text/html; charset=utf-8")
    response = _search(request)
    if keepable(request, response):
        freshness.keep(key, generation, response.content)
    return response


def _search_slots(slots: list[Slot], zone: str, therapist_id: int) -> list[dict[str, Any]]:
    """What the search page shows of each slot (``presenters.slot_view`` without the
    therapist's own clock, which this page does not show)."""
    prefix = reverse("booking:book", args=[therapist_id]) + "?"
    views = []
    for slot in slots:
        start = slot.start
        iso = iso_utc(start)
        views.append(
            {
                "start": start,
                "iso": iso,
                "time": format_time(start, zone),
                "zone": format_zone_short(start, zone),
                "day": format_day(start, zone),
                "when": format_when(start, zone),
                "url": prefix
                + urlencode({"session": slot.session_type_id, "start": iso, "tz": zone}),
            }
        )
    return views


def _show_what_is_shown(form: Any, **shown: Any) -> None:
    """Fill the controls the address left out (a link such as ``?specialty=hip`` from a
    result) with what the page shows, so the zone selector never names another zone than
    the times are in; a value that was given, even a wrong one, is left for its error."""
    if not form.is_bound:
        return
    data = form.data.copy()
    for name, value in shown.items():
        if not data.get(name):
            data[name] = value
    form.data = data


def _page_number(request: HttpRequest, count: int) -> tuple[int, int]:
    """(this page, how many): ``?page=`` when it is a page there is, else the nearest one
    (a page number is a link the site wrote, not something typed)."""
    pages = max(1, -(-count // PAGE_SIZE))
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1
    return min(max(number, 1), pages), pages


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


def _valid_data(form: Any) -> dict[str, Any]:
    """The values of the form's valid fields: a wrong value in one control (a zone, a time
    of day typed into the address) is shown with its error, and the page still answers
    the rest of the question rather than dropping every choice."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)


def _first_at_night(
    therapists: list[Therapist], kind: str, now: datetime, part: day_parts.DayPart, zone: str
) -> dict[int, list[Slot]]:
    """The earliest free time at night of each of ``therapists`` (those of the page with
    no free time in the daytime), when the page shows the daytime: a therapist free only
    at night says so, rather than the night's times being left out unsaid."""
    if part is not day_parts.DayPart.DAYTIME or not therapists:
        return {}
    schedules = engine.load_schedules([t.pk for t in therapists], now, therapists=therapists)
    night = day_parts.DayPart.NIGHT
    return day_parts.earliest(list(schedules.values()), kind, now, night, zone, 1)


def _search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = _valid_data(form)
    zone = viewer_zone(request, data.get("tz") or None)
    kind = data.get("session") or SessionKind.FIRST_ASSESSMENT
    part = day_parts.chosen(data, day_parts.PAGE_DEFAULT)
    if not form.is_bound:
        # the same form: its choices read once
        form.initial = {"tz": zone, "session": kind, day_parts.PARAMETER: part.value}
    _show_what_is_shown(form, tz=zone, session=kind, **{day_parts.PARAMETER: part.value})
    now = timezone.now()
    therapists, earliest = day_parts.search_therapists(
        specialty=data.get("specialty", ""),
        language=data.get("language", ""),
        kind=kind,
        now=now,
        part=part,
        zone=zone,
    )
    page, pages = _page_number(request, len(therapists))
    shown = therapists[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cards = therapist_cards(shown)
    at_night = _first_at_night([t for t in shown if not earliest.get(t.pk)], kind, now, part, zone)
    results = []
    for therapist in shown:
        card = cards[therapist.pk]
        card["slots"] = _search_slots(earliest.get(therapist.pk, []), zone, therapist.pk)
        card["night_slots"] = _search_slots(at_night.get(therapist.pk, []), zone, therapist.pk)
        results.append(card)
    return render(
        request,
        "booking/search.html",
        {
            "form": form,
            "results": results,
            "total": len(therapists),
            "first": (page - 1) * PAGE_SIZE + 1,
            "last": (page - 1) * PAGE_SIZE + len(shown),
            "pages": pages,
            "previous_url": _page_url(request, page - 1) if page > 1 else "",
            "next_url": _page_url(request, page + 1) if page < pages else "",
            "zone": zone,
            "zone_label": zone_label(now, zone),
            "kind": kind,
            "specialty": data.get("specialty", ""),
            "zone_guess": _zone_guess(request),
            **day_parts.page_context(request, part, zone_label(now, zone)),
        },
        status=200 if form.is_valid() or not form.is_bound else 422,
    )


@require_GET
def therapist(request: HttpRequest, therapist_id: int) -> HttpResponse:
    found = listed_therapist(therapist_id)
    form = WeekForm(request.GET or None)
    data = _valid_data(form)
    zone = viewer_zone(request, data.get("tz") or None)
    part = day_parts.chosen(data, day_parts.PAGE_DEFAULT)
    offered = [s for s in found.session_types.all() if s.is_offered]
    kinds = {s.kind for s in offered}
    kind = data.get("session") or (
        SessionKind.FIRST_ASSESSMENT
        if SessionKind.FIRST_ASSESSMENT in kinds
        else next(iter(kinds), "")
    )
    now = timezone.now()
    today = in_zone(now, zone).date()
    first_day = max(data.get("start") or today, today)
    last_day = first_day + timedelta(days=DAYS_SHOWN - 1)
    # The last day bookings are open on (found.horizon_days ahead): a later week is empty
    # because it is not open yet, not because the therapist is busy.
    open_until = today + timedelta(days=found.horizon_days)
    next_week = first_day + timedelta(days=DAYS_SHOWN)
    schedule = engine.schedule_of(found.pk, now, therapist=found)
    free = (
        engine.slots_between(schedule, kind, first_day, last_day, zone, now)
        if schedule and kind in kinds
        else []
    )
    days = slots_by_day(
        free, zone, therapist_id=found.pk, therapist_zone=found.time_zone, part=part
    )
    has_times = any(day["slots"] for day in days)
    # This week's free times the part leaves out (for the daytime: the night's).
    left_out = len(free) - sum(len(day["slots"]) for day in days)
    next_free = []
    next_at_night = []
    if not has_times and schedule and kind in kinds:
        next_free = day_parts.next_in_part(schedule, kind, now, part, zone)
        if not next_free and part is day_parts.DayPart.DAYTIME:
            # Free only at night: say when, never leave the only times out unsaid.
            night = day_parts.DayPart.NIGHT
            next_at_night = day_parts.next_in_part(schedule, kind, now, night, zone)
    if not form.is_bound:
        form = WeekForm(
            initial={
                "tz": zone,
                "session": kind,
                "start": first_day,
                day_parts.PARAMETER: part.value,
            }
        )
    _show_what_is_shown(form, tz=zone, session=kind, **{day_parts.PARAMETER: part.value})
    return render(
        request,
        "booking/therapist.html",
        {
            "card": therapist_card(found),
            "therapist": found,
            "form": form,
            "zone": zone,
            "zone_label": zone_label(now, zone),
            "therapist_zone_label": zone_label(now, found.time_zone),
            "kind": kind,
            "offered": offered,
            "days": days,
            "has_times": has_times,
            # Free times this week, but none in the chosen part of the day.
            "others_free": bool(free) and not has_times,
            "first_day": first_day,
            "previous_week": first_day - timedelta(days=DAYS_SHOWN) if first_day > today else None,
            "next_week": next_week if next_week <= open_until else None,
            "not_open_yet": first_day > open_until,
            "open_days": found.horizon_days,
            "next_free": [
                slot_view(s, zone, therapist_id=found.pk, therapist_zone=found.time_zone)
                for s in next_free
            ],
            "next_at_night": [
                slot_view(s, zone, therapist_id=found.pk, therapist_zone=found.time_zone)
                for s in next_at_night
            ],
            "left_out": left_out,
            "zone_guess": _zone_guess(request),
            **day_parts.page_context(request, part, zone_label(now, zone)),
        },
        status=200 if form.is_valid() or not form.is_bound else 422,
    )
