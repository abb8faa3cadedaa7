"""Finding a therapist and a time."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rehabit.booking import slots as engine
from rehabit.booking.forms import SearchForm, WeekForm
from rehabit.booking.models import SessionKind
from rehabit.booking.people import viewer_zone
from rehabit.booking.presenters import slot_view, slots_by_day, therapist_card, therapist_cards
from rehabit.booking.selectors import listed_therapist
from rehabit.booking.timefmt import in_zone, zone_label

DAYS_SHOWN = 7


def _zone_guess(request: HttpRequest) -> bool:
    """Let the browser's zone be filled in when nobody chose one yet (neither the person,
    nor the browser earlier in this session)."""
    return "tz" not in request.GET and bool(getattr(request, "zone_guess", True))


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    zone = viewer_zone(request, data.get("tz") or None)
    kind = data.get("session") or SessionKind.FIRST_ASSESSMENT
    if not form.is_bound:
        form = SearchForm(initial={"tz": zone, "session": kind})
    now = timezone.now()
    therapists, earliest = engine.search_therapists(
        specialty=data.get("specialty", ""), language=data.get("language", ""), kind=kind, now=now
    )
    cards = therapist_cards(therapists)
    results = []
    for therapist in therapists:
        card = cards[therapist.pk]
        card["slots"] = [
            slot_view(s, zone, therapist_id=therapist.pk, therapist_zone=therapist.time_zone)
            for s in earliest.get(therapist.pk, [])
        ]
        results.append(card)
    return render(
        request,
        "booking/search.html",
        {
            "form": form,
            "results": results,
            "zone": zone,
            "zone_label": zone_label(now, zone),
            "kind": kind,
            "specialty": data.get("specialty", ""),
            "zone_guess": _zone_guess(request),
        },
        status=200 if form.is_valid() or not form.is_bound else 422,
    )


@require_GET
def therapist(request: HttpRequest, therapist_id: int) -> HttpResponse:
    found = listed_therapist(therapist_id)
    form = WeekForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    zone = viewer_zone(request, data.get("tz") or None)
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
    schedule = engine.schedule_of(found.pk, now)
    free = (
        engine.slots_between(schedule, kind, first_day, last_day, zone, now)
        if schedule and kind in kinds
        else []
    )
    next_free = []
    if not free and schedule and kind in kinds:
        next_free = engine.earliest([schedule], kind, now, per_therapist=1).get(found.pk, [])
    if not form.is_bound:
        form = WeekForm(initial={"tz": zone, "session": kind, "start": first_day})
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
            "days": slots_by_day(free, zone, therapist_id=found.pk, therapist_zone=found.time_zone),
            "first_day": first_day,
            "previous_week": first_day - timedelta(days=DAYS_SHOWN) if first_day > today else None,
            "next_week": first_day + timedelta(days=DAYS_SHOWN),
            "next_free": [
                slot_view(s, zone, therapist_id=found.pk, therapist_zone=found.time_zone)
                for s in next_free
            ],
            "zone_guess": _zone_guess(request),
        },
        status=200 if form.is_valid() or not form.is_bound else 422,
    )
