from django.conf import settings
from django.http import HttpRequest

from rehabit.core.emergency import current_number


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "emergency_number": current_number(),
        "minimum_age": settings.REHABIT_MINIMUM_AGE,
        "unclaimed_days": settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS,
    }
