"""Answers built once and served as bytes, with an ETag (issue 10).

Content that depends only on the release (the questionnaire, a content page) and the
reader's language is built once per process and kept as bytes; every request after that
costs a dictionary lookup. Each process builds its own copy from the same code and data,
so nodes agree without sharing anything (the ETag is a hash of the bytes), and a browser
or proxy that already has them gets ``304 Not Modified`` for its ``If-None-Match``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

# Clients may reuse a public answer this long before asking again (then with its ETag):
# short, because a new release can change the questionnaire.
PUBLIC_MAX_AGE = 300


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body``: the same bytes give the same tag on every node."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def public_bytes(
    request: HttpRequest,
    body: bytes,
    etag: str,
    *,
    content_type: str,
    cache_control: str = f"public, max-age={PUBLIC_MAX_AGE}",
) -> HttpResponse:
    """``body`` as a public, cacheable answer, or 304 when the client has these bytes.

    The answer varies with the reader's language (``Accept-Language``, or the language
    cookie), so it says so in ``Vary``.
    """
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response.public_page = True  # type: ignore[attr-defined]
    # 304 keeps ETag, Cache-Control and Vary (RFC 9110 15.4.5), without the body.
    conditional = get_conditional_response(request, etag=etag, response=response)
    conditional.public_page = True  # type: ignore[union-attr]
    return conditional  # type: ignore[return-value]


# --- Pages that are the same for every signed-out visitor --------------------------------

_pages: dict[tuple[str, str], tuple[bytes, str, str]] = {}
_PAGE_LIMIT = 256  # paths x languages; a page with a query string is never kept


def _plain_visitor(request: HttpRequest) -> bool:
    """A signed-out visitor asking for the page itself: no session, no pending message
    (the messages cookie), no query string."""
    from django.conf import settings

    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """Nothing in the answer belongs to this visitor: no cookie was set, no CSRF token,
    CSP nonce or session was used."""
    session = getattr(request, "session", None)
    nonce = getattr(request, "csp_nonce", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not (session is not None and session.modified)
        and not (nonce is not None and bool(nonce))
    )


def same_for_every_visitor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the page a signed-out visitor gets as bytes, once per path and language.

    For pages whose content comes from the release alone (templates and reviewed data,
    no database row): a signed-in person, a query string or a visitor with a message
    waiting gets the page rendered as usual. The kept page carries an ``ETag`` and
    ``Cache-Control: no-cache`` (a browser may keep it but asks again, and gets 304 while
    it is the same), with ``Vary: Cookie`` since signed-in people see another page.
    """
    from django.utils import translation

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _plain_visitor(request):
            return view(request, *args, **kwargs)
        key = (request.path, translation.get_language() or "")
        kept = _pages.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            if not keepable(request, response):
                return response
            body = response.content
            kept = (body, etag_of(body), response["Content-Type"])
            if len(_pages) < _PAGE_LIMIT:
                _pages[key] = kept
        body, etag, content_type = kept
        return public_bytes(
            request, body, etag, content_type=content_type, cache_control="no-cache"
        )

    return wrapper
