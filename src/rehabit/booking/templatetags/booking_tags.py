from typing import Any

from django import template

from rehabit.booking.specialties import specialty_for

register = template.Library()


@register.filter
def booking_specialty(causes: Any) -> str:
    """The specialty to search for, given an assessment's ranked causes."""
    return specialty_for(causes if isinstance(causes, list) else [])
