"""A short path through the middleware for anonymous calls to the public API (issue 10).

A call to ``/api/v1/`` that carries no session cookie is made by nobody in particular:
there is no session to load, no message to show, no sign-in to check, no staff rule or
profile to ask for. The browser's middleware (sessions, messages, allauth, the staff and
account rules) costs about half of such a request, so ``PublicApiMiddleware`` answers it
with only what still applies:

* the host check (``ALLOWED_HOSTS``) and Django's ``SecurityMiddleware`` (HTTPS redirect,
  HSTS, nosniff, referrer and opener policies);
* ``InputMiddleware`` (no control characters, the API's body size limit);
* the reader's language (cookie or ``Accept-Language``, as ``LocaleMiddleware`` picks it),
  the server's time zone, an anonymous ``request.user`` and an empty session;
* the headers every other answer gets: ``X-Frame-Options``, the Content Security Policy,
  ``Content-Language``, ``Vary`` and ``no-store`` unless the view made the answer public.

A few addresses answer the same bytes to every anonymous reader of a language (the
questionnaire): a view registered with ``serve_public`` answers a plain ``GET`` or ``HEAD``
of its exact address (no query string) without URL resolution, input checks or the API
framework's wrapper; the headers are the same as on the short path.

An anonymous write may be answered the same way (the assessment POST): a view registered
with ``serve_public_post`` answers a ``POST`` of its exact address (no query string) after
the input checks, without URL resolution or the API framework. It answers only the usual
request; for any other (a body of another shape, answers it refuses) it returns None and
the API's own operation answers as on the short path, so every refusal is worded once.

Everything else goes the full way: a request with a session cookie (a signed-in person,
whose writes need the CSRF check), the API's documentation page, and any address the API
does not know (so 404s and slash redirects stay exactly as they were).

It sits right after ``rehabit.ops.middleware.OpsMiddleware`` (request id, metrics, access
log); a middleware placed after it in ``MIDDLEWARE`` does not run for these calls, so one
that must (a rate limit, say) belongs before it or in the list of ``LEAN_CHAIN`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date

from rehabit.core.middleware import InputMiddleware

API_PREFIX = "/api/v1/"
FULL_WAY = ("/api/v1/docs",)


@cache
def _csp_header() -> tuple[str, str]:
    """The site's Content Security Policy header, built once (it has no nonce)."""
    from csp.constants import HEADER
    from csp.utils import build_policy

    return HEADER, build_policy()


@cache
def _never_cache_control() -> str:
    """The Cache-Control value ``add_never_cache_headers`` gives an answer without one."""
    blank = HttpResponse()
    add_never_cache_headers(blank)
    return blank["Cache-Control"]


def _never_cache(response: HttpResponse) -> None:
    """``add_never_cache_headers`` for an answer without Cache-Control, without parsing
    and rebuilding the header twice: the same headers (Expires: now; no-store, ...)."""
    response.headers.setdefault("Expires", http_date())
    response.headers["Cache-Control"] = _never_cache_control()


@cache
def _session_store() -> Any:
    from importlib import import_module

    return import_module(settings.SESSION_ENGINE).SessionStore


def _empty_session() -> object:
    return _session_store()(None)


View = Callable[[HttpRequest], HttpResponse]
# Exact address -> a view that needs nothing from the request but its language and its
# conditional headers (If-None-Match); see ``serve_public``.
_PUBLIC: dict[str, View] = {}
# Exact address -> a view for an anonymous POST, or None to leave it to the API's own
# operation; see ``serve_public_post``.
_PUBLIC_POST: dict[str, Callable[[HttpRequest], HttpResponse | None]] = {}


def serve_public(path: str, view: View) -> None:
    """Answer a plain GET or HEAD of ``path`` (exactly, no query string) with ``view`` on
    the short path (the API's own operation at that address stays for its documentation
    and for signed-in callers)."""
    if not path.startswith(API_PREFIX):
        raise ValueError(f"{path}: only API addresses take the short path")
    _PUBLIC[path] = view


def serve_public_post(path: str, view: Callable[[HttpRequest], HttpResponse | None]) -> None:
    """Answer an anonymous POST of ``path`` (exactly, no query string) with ``view`` on the
    short path, after the input checks; when ``view`` returns None the API's operation at
    that address answers instead (see the module's docstring)."""
    if not path.startswith(API_PREFIX):
        raise ValueError(f"{path}: only API addresses take the short path")
    _PUBLIC_POST[path] = view


@lru_cache(maxsize=64)
def _match_of(path: str) -> ResolverMatch:
    """The resolved address of a ``serve_public`` path (for metrics and logs), once."""
    return resolve(path)


class PublicApiMiddleware:
    """Anonymous API calls skip the browser's middleware (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Chained as Django chains MIDDLEWARE: an exception becomes its error page in place.
        wrap = convert_exception_to_response
        self.lean = wrap(SecurityMiddleware(wrap(InputMiddleware(wrap(self._view)))))
        self.public = wrap(SecurityMiddleware(wrap(self._public_view)))
        self.public_post = wrap(SecurityMiddleware(wrap(InputMiddleware(wrap(self._post_view)))))
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            not path.startswith(API_PREFIX)
            or path.startswith(FULL_WAY)
            or self.session_cookie in request.COOKIES
        ):
            return self.get_response(request)
        chain = self.lean
        if not request.META.get("QUERY_STRING"):
            if path in _PUBLIC and request.method in ("GET", "HEAD"):
                chain = self.public
            elif path in _PUBLIC_POST and request.method == "POST":
                chain = self.public_post
        try:
            match = resolve(path) if chain is self.lean else _match_of(path)
        except Resolver404:
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS: DisallowedHost answers 400, as everywhere
        request.resolver_match = match
        request.user = AnonymousUser()
        request.session = _empty_session()  # type: ignore[attr-defined]
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        timezone.deactivate()
        response = chain(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        header, policy = _csp_header()
        response.headers.setdefault(header, policy)
        if not getattr(response, "public_page", False) and "Cache-Control" not in response:
            _never_cache(response)
        return response

    @staticmethod
    def _public_view(request: HttpRequest) -> HttpResponse:
        return _PUBLIC[request.path_info](request)

    @classmethod
    def _post_view(cls, request: HttpRequest) -> HttpResponse:
        response = _PUBLIC_POST[request.path_info](request)
        return response if response is not None else cls._view(request)

    @staticmethod
    def _view(request: HttpRequest) -> HttpResponse:
        match = request.resolver_match
        assert match is not None
        return match.func(request, *match.args, **match.kwargs)  # type: ignore[no-any-return]
