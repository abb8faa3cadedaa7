from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rehabit.education.content import load_overview


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    response = render(request, "core/home.html", {"overview": load_overview()})
    response.public_page = True  # type: ignore[attr-defined]
    return response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
