from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from rehabit.booking.specialties import specialty_for

register = template.Library()


@register.filter
def booking_specialty(causes: Any) -> str:
    """The specialty to search for, given an assessment's ranked causes."""
    return specialty_for(causes if isinstance(causes, list) else [])


@register.simple_tag
def booking_search_url(causes: Any) -> str:
    """The booking search for an assessment's ranked causes: the specialty of the first
    cause that has one (the result page's, the plan's, the program's and the check-in's
    "Book" links all search the same way)."""
    return f"{reverse('booking:search')}?{urlencode({'specialty': booking_specialty(causes)})}"


@register.inclusion_tag("booking/_next_session.html", takes_context=True)
def next_session(context: Any) -> dict[str, Any]:
    """The signed-in person's next session as the patient, for the account page (which
    may not import booking: accounts is built on by booking): when, in the viewer's zone
    with the zone named, with whom, join, move or cancel; ``item`` None when there is
    none ("No session booked")."""
    from rehabit.booking.people import viewer_zone
    from rehabit.booking.presenters import next_session_view

    request = context["request"]
    return {"item": next_session_view(request.user, viewer_zone(request))}
