"""Issue 10, hot paths: built once and served as bytes, the short middleware path for
anonymous API calls, and what each still does (headers, checks) — through the test client
and the real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rehabit.assessments.presenters import questionnaire_as_dict
from rehabit.assessments.result_texts import forget_saved
from tests.accounts.helpers import login, make_user, valid_answers

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/api/v1/assessment/questionnaire"

# Middleware that runs after the short path's place: it records every request it sees.
seen: list[str] = []


def recorder(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    def middleware(request: HttpRequest) -> HttpResponse:
        seen.append(request.path)
        return get_response(request)

    return middleware


@pytest.fixture
def watched(settings: Any) -> list[str]:
    """The browser's middleware, with a recorder right after the short path's place."""
    chain = list(settings.MIDDLEWARE)
    chain.insert(chain.index("rehabit.core.lean.PublicApiMiddleware") + 1, f"{__name__}.recorder")
    settings.MIDDLEWARE = chain
    seen.clear()
    return seen


def _post(client: Client, **headers: Any) -> Any:
    body = json.dumps({"answers": valid_answers()})
    return client.post("/api/v1/assessments", body, content_type="application/json", **headers)


# --- The questionnaire: bytes, ETag, 304 -----------------------------------------------------


def test_the_questionnaire_is_the_schema_s_answer_built_once_with_an_etag_and_304(
    client: Client,
) -> None:
    first = client.get(QUESTIONNAIRE)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert first["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 20
    body = first.json()
    assert body["version"] == questionnaire_as_dict()["version"]
    assert body["sections"][0]["questions"][0]["text"]
    # The same bytes again (built once), and 304 without a body for the tag.
    assert client.get(QUESTIONNAIRE).content == first.content
    again = client.get(QUESTIONNAIRE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
    stale = client.get(QUESTIONNAIRE, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200 and stale.content == first.content


def test_the_questionnaire_is_the_same_for_a_signed_in_person(client: Client) -> None:
    anonymous = client.get(QUESTIONNAIRE)
    login(client, make_user("quinn@example.org"))
    signed_in = client.get(QUESTIONNAIRE)
    assert signed_in.content == anonymous.content
    assert signed_in["ETag"] == anonymous["ETag"]


# --- The short path --------------------------------------------------------------------------


def test_anonymous_api_calls_take_the_short_path_and_signed_in_ones_the_full_one(
    client: Client, watched: list[str]
) -> None:
    assert client.get(QUESTIONNAIRE).status_code == 200
    assert _post(client).status_code == 201
    assert client.get("/api/v1/conditions").status_code == 200
    assert watched == []
    login(client, make_user("sam@example.org"))
    assert client.get(QUESTIONNAIRE).status_code == 200
    assert watched == [QUESTIONNAIRE]
    # The API's documentation page and a page always go the full way.
    anonymous = Client()
    anonymous.get("/api/v1/docs")
    anonymous.get("/")
    assert watched == [QUESTIONNAIRE, "/api/v1/docs", "/"]


def test_the_short_path_keeps_the_site_s_headers_and_never_stores_a_result(
    client: Client,
) -> None:
    full = client.get("/")  # the full path, for comparison
    created = _post(client)
    assert created.status_code == 201
    for response in (created, client.get(QUESTIONNAIRE)):
        for header in (
            "X-Frame-Options",
            "Content-Security-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        ):
            assert response[header] == full[header], header
        assert response["Content-Language"] == "en-gb"
        assert "X-Request-ID" in response
        assert not response.cookies  # no session, no CSRF cookie
    assert "no-store" in created["Cache-Control"]  # a health result: never kept
    read = client.get(f"/api/v1/assessments/{created.json()['id']}")
    assert read.status_code == 200 and "no-store" in read["Cache-Control"]
    assert read.json() == created.json()


def test_the_short_path_still_refuses_bad_input_and_unknown_hosts(
    client: Client, settings: Any
) -> None:
    body = json.dumps({"answers": {**valid_answers(), "age": "4\u00000"}})
    refused = client.post("/api/v1/assessments", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "control_character"
    escaped = client.post(  # the same character sent as a JSON escape
        "/api/v1/assessments", body.replace("\u0000", "\\u0000"), content_type="application/json"
    )
    assert escaped.status_code == 422
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(QUESTIONNAIRE, HTTP_HOST="evil.example.com").status_code == 400
    assert client.get(QUESTIONNAIRE).status_code == 200
    assert client.get("/api/v1/no-such-thing").status_code == 404


def test_a_signed_in_write_still_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, make_user("csrf@example.org"))
    assert _post(client).status_code == 403
    assert (
        Client(enforce_csrf_checks=True)
        .post(
            "/api/v1/assessments",
            json.dumps({"answers": valid_answers()}),
            content_type="application/json",
        )
        .status_code
        == 201
    )  # anonymous: nobody's account, no CSRF to check


# --- Pages the same for every visitor -------------------------------------------------------


def test_the_home_page_is_built_once_for_visitors_with_an_etag(client: Client) -> None:
    first = client.get("/")
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-cache"  # kept, but asked again every time
    assert "Cookie" in first["Vary"]
    assert client.get("/").content == first.content
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A signed-in person gets their own page (their menu), never the visitors' copy.
    login(client, make_user("hana@example.org"))
    own = client.get("/")
    assert own.status_code == 200 and "ETag" not in own
    assert b"Sign out" in own.content and b"Sign out" not in first.content
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- Queries per request ---------------------------------------------------------------------


def test_queries_of_the_hot_assessment_paths(
    client: Client,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get(QUESTIONNAIRE).status_code == 200
    forget_saved()
    # The first result after a start also writes the words' catalogue (once per process),
    # and the first from a network its rate-limit bucket (clearing stale ones first).
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(10):
        assert _post(client).status_code == 201
    # Then: the savepoint, the network's count (its bucket read and moved on), the row,
    # the release. Nothing else.
    with django_assert_num_queries(5) as captured:
        created = _post(client)
    assert created.status_code == 201
    said = [q["sql"].split()[0] for q in captured.captured_queries]
    assert said == ["SAVEPOINT", "SELECT", "UPDATE", "INSERT", "RELEASE"]
    pk = created.json()["id"]
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/assessments/{pk}").status_code == 200
    # The result page, by its link: the row.
    with django_assert_num_queries(1):
        assert client.get(f"/assessment/result/{pk}/").status_code == 200


def test_the_questionnaire_s_short_path_answers_as_the_full_one(
    client: Client, watched: list[str]
) -> None:
    """``serve_public``: a plain anonymous GET or HEAD of the questionnaire skips URL
    resolution, the input checks and the API framework, and answers the same."""
    short = client.get(QUESTIONNAIRE, HTTP_ACCEPT_LANGUAGE="en")
    head = client.head(QUESTIONNAIRE)
    signed_in = login(Client(), make_user("rory@example.org"))
    full = signed_in.get(QUESTIONNAIRE)
    assert watched == [QUESTIONNAIRE]  # only the signed-in call went the full way
    assert short.content == full.content and head.status_code == 200 and head.content == b""
    for header in ("Content-Type", "ETag", "Cache-Control", "Content-Language", "Vary"):
        assert short[header] == full[header], header
    assert short.wsgi_request.resolver_match.route == full.wsgi_request.resolver_match.route
    # A query string, or another method, is not the plain read: the usual checks apply.
    bad = client.get(QUESTIONNAIRE + "?x=%00")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "x"]
    assert client.get(QUESTIONNAIRE + "?lang=en").status_code == 200
    assert client.post(QUESTIONNAIRE, "{}", content_type="application/json").status_code == 405


# --- The assessment POST's short path ------------------------------------------------------

ASSESSMENTS = "/api/v1/assessments"
BAD_BODIES = [
    "{not json",  # 400: the body is not JSON
    "[]",
    "{}",
    '{"answers": []}',
    '{"answers": "yes"}',  # 422: not the schema's shape
    '{"answers": {"age": "forty"}}',  # 422: answers the clinical core refuses
    '{"answers": {"age": "4\\u00000"}}',  # 422: a NUL character
]


@pytest.fixture
def the_full_way(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to send the next anonymous POSTs the full way (URL resolution, django-ninja
    and ``create_assessment``), as before ``serve_public_post`` registered the short one."""
    from rehabit.core import lean

    return lambda: monkeypatch.delitem(lean._PUBLIC_POST, ASSESSMENTS)


def _stored_row(pk: str) -> dict[str, Any]:
    """The row as the database holds it, column by column (no model in between)."""
    from uuid import UUID

    from rehabit.assessments.models import Assessment

    key = Assessment._meta.pk.get_db_prep_value(UUID(pk), connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Assessment._meta.db_table} WHERE id = %s", [key])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_assessment_post_s_short_path_answers_and_stores_as_the_full_one(
    client: Client,
    the_full_way: Callable[[], None],
    watched: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``serve_public_post``: an anonymous POST skips URL resolution and django-ninja, and
    gives the same status, headers, body and stored row (but for its new id)."""
    from ninja.operation import Operation

    operations: list[str] = []
    run = Operation.run

    def counted(self: Operation, request: HttpRequest, **kwargs: Any) -> Any:
        operations.append(request.path)
        return run(self, request, **kwargs)

    monkeypatch.setattr(Operation, "run", counted)
    body = json.dumps({"answers": valid_answers()})
    with time_machine.travel(datetime.now(UTC), tick=False):  # the same created_at, Expires
        short = client.post(ASSESSMENTS, body, content_type="application/json")
        the_full_way()
        full = client.post(ASSESSMENTS, body, content_type="application/json")
    assert watched == []  # both on the short middleware path; only the view differs
    assert operations == [ASSESSMENTS]  # django-ninja ran for the full way alone
    assert short.status_code == full.status_code == 201
    short_id, full_id = short.json()["id"], full.json()["id"]
    assert short_id != full_id
    assert short.content.replace(short_id.encode(), full_id.encode()) == full.content
    for header in ("Content-Type", "Cache-Control", "Expires", "Content-Language", "Vary"):
        assert short[header] == full[header], header
    short_row, full_row = _stored_row(short_id), _stored_row(full_id)
    assert short_row.pop("id") != full_row.pop("id")
    assert short_row == full_row


@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_bad_assessment_post_gets_the_full_path_s_refusal_on_the_short_one(
    client: Client, the_full_way: Callable[[], None], body: str
) -> None:
    """Whatever the short path does not take (a body of another shape, answers the core
    refuses) is answered by the API's own operation: the same status and words."""
    from rehabit.assessments.models import Assessment

    short = client.post(ASSESSMENTS, body, content_type="application/json")
    the_full_way()
    full = client.post(ASSESSMENTS, body, content_type="application/json")
    assert 400 <= short.status_code < 500
    assert (short.status_code, short.content) == (full.status_code, full.content)
    assert short["Content-Type"] == full["Content-Type"]
    assert not Assessment.objects.exists()


def test_the_short_path_takes_only_a_plain_anonymous_post(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """A query string, a session cookie or another method go the usual way."""
    from rehabit.core import lean

    answered: list[str] = []
    short = lean._PUBLIC_POST[ASSESSMENTS]

    def spy(request: HttpRequest) -> HttpResponse | None:
        answered.append(request.get_full_path())
        return short(request)

    monkeypatch.setitem(lean._PUBLIC_POST, ASSESSMENTS, spy)
    assert _post(client).status_code == 201
    assert answered == [ASSESSMENTS]
    assert (
        client.post(
            ASSESSMENTS + "?x=1",
            json.dumps({"answers": valid_answers()}),
            content_type="application/json",
        ).status_code
        == 201
    )
    assert client.get(ASSESSMENTS).status_code == 405
    login(client, make_user("pat@example.org"))
    assert _post(client).status_code == 201
    assert answered == [ASSESSMENTS]
    # Too large a body is refused before it is read, as on every API address.
    settings.REHABIT_API_MAX_BODY_BYTES = 64
    too_large = Client().post(ASSESSMENTS, "x" * 100, content_type="application/json")
    assert too_large.status_code == 413


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_assessment_is_its_count_and_one_insert(client: Client) -> None:
    """After the first result (which writes its catalogue with it, in one transaction),
    a result is one transaction with one commit: the network's rate-limit count (its
    bucket read and moved on, security review 2 finding 4) and the INSERT."""
    assert _post(client).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        assert _post(client).status_code == 201
    said = [q["sql"].split()[0] for q in captured.captured_queries]
    # (SQLite's BEGIN IMMEDIATE and COMMIT are logged as statements, PostgreSQL's are not.)
    assert [s for s in said if s not in ("BEGIN", "COMMIT")] == ["SELECT", "UPDATE", "INSERT"]
    assert said.count("BEGIN") <= 1 and said.count("COMMIT") <= 1
