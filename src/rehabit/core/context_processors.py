from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "emergency_number": settings.REHABIT_EMERGENCY_NUMBER,
        "minimum_age": settings.REHABIT_MINIMUM_AGE,
    }
