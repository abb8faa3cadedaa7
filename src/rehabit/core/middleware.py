"""Middleware for pages that may carry personal health information."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _


class PrivateHealthDataMiddleware:
    """Mark every response that is not a public static asset as ``no-store``.

    Assessment results, answers and (later) records are personal health data; browsers
    and shared proxies must not keep copies (OWASP ASVS V14). Views whose content is
    public (education pages) opt out by setting ``response.public_page = True``; shown to
    someone signed in, such a page still carries their name in the navigation (and perhaps
    a message for them), so it is ``private``: their browser may keep it, no shared cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        if not getattr(response, "public_page", False):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        elif getattr(getattr(request, "user", None), "is_authenticated", False):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class InputMiddleware:
    """Refuse a request carrying a character no field may hold, before any view reads it.

    One place for every way text arrives (``rehabit.core.inputs``): the address, the query
    string (names and values; single-line), a form body (names single-line, values may
    span lines) and a JSON body (every key and string, at any depth). An API request
    (``/api/``) gets 422 in the API's field-error shape, naming where the character is; a
    page gets 400 with the same sentence and the text that was sent, without the
    character, so nothing typed is lost. API bodies over ``REHABIT_API_MAX_BODY_BYTES``
    get 413 before they are read.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
    SECRET_WORDS = ("password", "csrf", "token", "secret", "code", "key")
    # Request headers whose values are stored (the rest are never written anywhere).
    STORED_HEADERS = ("Idempotency-Key",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refusal(request)
        return refused if refused is not None else self.get_response(request)

    @staticmethod
    def _is_api(request: HttpRequest) -> bool:
        return request.path_info.startswith("/api/")

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        from django.conf import settings

        if self._is_api(request):
            limit = int(settings.REHABIT_API_MAX_BODY_BYTES)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return self._too_large(limit)
        problem = self._find(request)
        if problem is None:
            return None
        loc, message = problem
        if self._is_api(request):
            return self._api_answer(loc, message)
        return self._page_answer(request, message)

    def _find(self, request: HttpRequest) -> tuple[list[str], str] | None:
        from rehabit.core.inputs import field_problem

        if field_problem("", request.path_info) is not None:
            names = self._path_names(request)
            field = names[0] if names else _("address")
            return ["path", *names], field_problem(field, request.path_info) or ""
        for name, values in request.GET.lists():
            for value in (name, *values):
                problem = field_problem(name, value)
                if problem is not None:
                    return ["query", name], problem
        for header in self.STORED_HEADERS:
            # From META, as request.headers would read it (building request.headers parses
            # every header, a cost each public API call paid for nothing).
            value = request.META.get("HTTP_" + header.upper().replace("-", "_"))
            if value is not None and field_problem(header, value) is not None:
                return ["header", header], field_problem(header, value) or ""
        content_type = request.content_type or ""
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return None
        if content_type in self.FORM_TYPES:
            if self._is_api(request):
                # The API reads the raw body (its size is capped above); reading it first
                # keeps it readable after the form is parsed from it (a multipart form would
                # otherwise be streamed, and the API's read of the body would fail with 500).
                request.body  # noqa: B018
            return self._form_problem(request)
        if content_type == "application/json" or content_type.endswith("+json"):
            return self._json_problem(request)
        return None

    @staticmethod
    def _path_names(request: HttpRequest) -> list[str]:
        from django.urls import Resolver404, resolve

        from rehabit.core.inputs import character_problem

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return []
        bad = [k for k, v in match.kwargs.items() if character_problem(str(v)) is not None]
        return bad[:1]

    @staticmethod
    def _form_problem(request: HttpRequest) -> tuple[list[str], str] | None:
        from django.http.multipartparser import MultiPartParserError

        from rehabit.core.inputs import field_problem

        try:
            fields = request.POST
        except (MultiPartParserError, ValueError):
            return None  # Django answers a malformed body itself
        for name, values in fields.lists():
            problem = field_problem(name, name)
            for value in values:
                problem = problem or field_problem(name, value, multiline=True)
            if problem is not None:
                return ["form", name], problem
        return None

    def _json_problem(self, request: HttpRequest) -> tuple[list[str], str] | None:
        import json

        body = request.body
        if _plain_json(body):
            return None  # no forbidden character can be in it (see _plain_json)
        try:
            return _json_walk(json.loads(body), ["body", "payload"])
        except ValueError:
            return None  # not JSON: the API says so itself
        except RecursionError:
            return ["body"], _("The body is nested too deeply.")

    @staticmethod
    def _too_large(limit: int) -> HttpResponse:
        from django.http import JsonResponse

        message = _("The request is too large: send at most %(kib)d KiB.") % {"kib": limit // 1024}
        return JsonResponse({"detail": message}, status=413)

    @staticmethod
    def _api_answer(loc: list[str], message: str) -> HttpResponse:
        from django.http import JsonResponse

        body = {
            "detail": [{"loc": loc, "msg": message, "type": "control_character"}],
            "errors": {".".join(loc[1:]) or "__all__": [message]},
        }
        return JsonResponse(body, status=422)

    def _page_answer(self, request: HttpRequest, message: str) -> HttpResponse:
        from django.shortcuts import render

        from rehabit.core.inputs import without_forbidden

        sent: list[tuple[str, str]] = []
        if request.method == "POST" and (request.content_type or "") in self.FORM_TYPES:
            for name, values in request.POST.lists():
                if any(word in name.lower() for word in self.SECRET_WORDS):
                    continue
                for value in values:
                    kept = without_forbidden(value)
                    if kept.strip():
                        sent.append((without_forbidden(name, multiline=False), kept))
        return render(
            request,
            "core/bad_input.html",
            {
                "message": message,
                "sent": sent,
                "back": _back_to(request.path),
            },
            status=400,
        )


def _back_to(path: str) -> str:
    """The refused page's own address as a link that stays on this site: the path without
    the refused characters, never starting with two slashes or a slash and a backslash
    (browsers read ``/\\evil.example`` as ``//evil.example``, another site)."""
    from rehabit.core.inputs import without_forbidden

    return "/" + without_forbidden(path, multiline=False).lstrip("/\\")


# In UTF-8 JSON text a character no field may hold can only arrive escaped (a backslash:
# \u0000, \n, \ud800 ...), or raw as DEL, a C1 control (C2 80..C2 9F) or an encoded
# surrogate (ED A0..ED BF, which json.loads lets through); raw C0 controls are not JSON.
_RAW_FORBIDDEN = re.compile(rb"[\\\x7f]|\xc2[\x80-\x9f]|\xed[\xa0-\xbf]")


def _plain_json(body: bytes) -> bool:
    """Whether this JSON body surely holds no forbidden character, without parsing it: the
    walk over every key and string is skipped for the usual request (it cost as much as
    the rest of the input rules together)."""
    import json

    if json.detect_encoding(body) != "utf-8" or b"\\" in body or b"\x7f" in body:
        return False
    # The two lead bytes are rare (accented letters, Greek ...): the pattern only then.
    return not (b"\xc2" in body or b"\xed" in body) or _RAW_FORBIDDEN.search(body) is None


def _json_walk(value: object, loc: list[str]) -> tuple[list[str], str] | None:
    """The first string (key or value) in a JSON document with a forbidden character."""
    from rehabit.core.inputs import field_problem

    if isinstance(value, str):
        problem = field_problem(".".join(loc[2:]) or "body", value, multiline=True)
        return (loc, problem) if problem is not None else None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = field_problem(".".join([*loc[2:], key]), key)
            if problem is not None:
                return [*loc, key], problem
            found = _json_walk(item, [*loc, str(key)])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _json_walk(item, [*loc, str(index)])
            if found is not None:
                return found
    return None
