"""The input check's quick test of a JSON body (``_plain_json``, issue 10): byte searches
first, the pattern only when a rare lead byte is there; the same answer as the pattern."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rehabit.core.middleware import _RAW_FORBIDDEN, _plain_json

BODIES = [
    b'{"answers": {"age": 40}}',
    b'{"a": "\\u0000"}',  # an escape: a backslash
    b'{"a": "\x7f"}',  # DEL
    '{"a": "\x85"}'.encode(),  # a C1 control: C2 85
    '{"a": "\u00a9 \u00e9"}'.encode(),  # C2 A9 and C3 A9: allowed
    b'{"a": "\xed\xa0\x80"}',  # an encoded surrogate
    '{"a": "\ud7ff \ue000"}'.encode(),  # ED 9F BF, EE 80 80: allowed
    b'{"a": "\xc2"}',  # a lone lead byte (not UTF-8: the API says so itself)
    '{"a": "x"}'.encode("utf-16"),
    '{"a": "x"}'.encode("utf-8-sig"),
    b"",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_quick_test_answers_as_the_pattern(body: bytes) -> None:
    expected = json.detect_encoding(body) == "utf-8" and _RAW_FORBIDDEN.search(body) is None
    assert _plain_json(body) is expected


def test_a_query_is_checked_however_the_request_holds_it(rf: Any) -> None:
    """The query is not parsed when a WSGI request has no query string (it would be
    empty); one that holds its query otherwise (set by hand, or already read) is checked."""
    from django.http import HttpRequest, HttpResponse, QueryDict

    from rehabit.core.middleware import InputMiddleware

    check = InputMiddleware(lambda request: HttpResponse("ok"))
    assert check(rf.get("/api/v1/conditions")).status_code == 200
    assert check(rf.get("/api/v1/conditions?x=%00")).status_code == 422
    by_hand = HttpRequest()
    by_hand.method, by_hand.path_info = "GET", "/api/v1/conditions"
    by_hand.GET = QueryDict("x=%00")
    assert check(by_hand).status_code == 422
    read = rf.get("/api/v1/conditions")
    read.GET = QueryDict("x=%00")
    assert check(read).status_code == 422
