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
