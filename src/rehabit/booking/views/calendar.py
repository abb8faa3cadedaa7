"""The personal calendar feed and its settings page; one session's calendar file."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.booking import feeds, ics, video
from rehabit.booking.models import CalendarFeed
from rehabit.booking.people import display_name, language_of, zone_of
from rehabit.booking.selectors import appointment_for
from rehabit.booking.views.common import account_required
from rehabit.core.links import absolute_url


@account_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    feed_url = ""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "create":
        token = feeds.create(request.user, request)
        feed_url = absolute_url(reverse("booking:feed", args=[token]))
    elif action == "revoke":
        feeds.revoke(request.user, request)
    current = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "booking/feed.html",
        {
            "feed": current,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        },
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = feeds.owner_of(token)
    if owner is None:
        raise Http404("No such calendar.")
    # In the owner's language, as their e-mails: the calendar program asking has its own
    # Accept-Language, which is not the person's choice.
    with translation.override(language_of(owner)):
        content = ics.feed_ics(
            feeds.appointments_for_feed(owner),
            owner=owner,
            owner_name=display_name(owner),
            zone=zone_of(owner),
        )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rehabit.ics"'
    return response


@account_required
@require_GET
def appointment_file(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    """ "Add to my calendar": the calendar file of the session, the same one its e-mail
    carries (one UID across moves, so a calendar updates the event instead of adding a
    second), in the participant's own zone. Only the two participants get it."""
    found = appointment_for(request.user, appointment_id).current()
    if not video.is_participant(request.user, found):
        raise Http404("Only the two participants have this session in their calendar.")
    zone = zone_of(request.user)
    content = ics.appointment_ics(
        found, recipient=request.user, recipient_name=display_name(request.user), zone=zone
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    name = ics.download_name(found, zone)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
