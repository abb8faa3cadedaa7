"""Middleware for pages that may carry personal health information."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivateHealthDataMiddleware:
    """Mark every response that is not a public static asset as ``no-store``.

    Assessment results, answers and (later) records are personal health data; browsers
    and shared proxies must not keep copies (OWASP ASVS V14). Views whose content is
    public (education pages) opt out by setting ``response.public_page = True``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(response, "public_page", False) and "Cache-Control" not in response:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
