from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rehabit.education.content import get_condition_page, load_condition_pages, load_overview


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    pages = load_condition_pages()
    overview = load_overview()
    causes = [
        {"id": cause["id"], "text": cause["text"], "page": pages.get(cause["id"])}
        for cause in overview["causes"]
    ]
    response = render(request, "education/overview.html", {"overview": overview, "causes": causes})
    response.public_page = True  # type: ignore[attr-defined]
    return response


@require_GET
def condition(request: HttpRequest, condition_id: str) -> HttpResponse:
    page = get_condition_page(condition_id)
    if page is None:
        raise Http404("No such condition page.")
    response = render(request, "education/condition.html", {"page": page})
    response.public_page = True  # type: ignore[attr-defined]
    return response
