"""Every request has an id: in the response, and in every log line written meanwhile."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import pytest
from django.test import Client

from rehabit.ops.logs import JsonFormatter
from tests.ops.support import json_log

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def access_log(settings: Any) -> None:
    settings.REHABIT_ACCESS_LOG = True


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_the_response_and_every_log_line(
    client: Client, access_log: None
) -> None:
    with json_log() as lines:
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert GENERATED.fullmatch(request_id)
    assert lines, "nothing was logged"
    # Django's own "Not Found" warning and the access line, both with the id.
    assert {line["logger"] for line in lines} >= {"django.request", "rehabit.access"}
    assert {line["request_id"] for line in lines} == {request_id}
    second = client.get("/no-such-page/")
    assert second["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_the_id_a_load_balancer_sends_is_kept(client: Client, access_log: None) -> None:
    with json_log() as lines:
        response = client.get("/api/v1/conditions", HTTP_X_REQUEST_ID="lb-7f3a.9:c_1")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.9:c_1"
    (access,) = [line for line in lines if line["logger"] == "rehabit.access"]
    assert access["request_id"] == "lb-7f3a.9:c_1"
    assert access["method"] == "GET"
    assert access["path"] == "/api/v1/conditions"
    assert access["status"] == 200
    assert access["duration_ms"] >= 0


@pytest.mark.parametrize(
    "sent",
    [
        "two words",
        "x" * 129,
        "new\nline",
        '"quoted"',
        "",
        "ünïcode",
    ],
)
@pytest.mark.django_db
def test_an_id_that_is_not_a_plain_token_is_replaced(client: Client, sent: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert GENERATED.fullmatch(response["X-Request-ID"])


ASSESSMENT = "8f14e45f-ceea-467f-a0e6-7c1a1b2c3d4e"


@pytest.mark.django_db
def test_the_access_log_leaves_out_the_query_and_secrets_in_the_path(
    client: Client, access_log: None
) -> None:
    with json_log() as lines:
        client.get("/api/v1/conditions?email=pat@example.org")
        client.get("/booking/calendar/s3cr3t-feed-token.ics")
        client.get("/booking/offers/0ff3r-t0k3n/")
        # The link to an assessment nobody has claimed is its only key (found by a review).
        client.get(f"/assessment/result/{ASSESSMENT}/")
        client.get(f"/care/{ASSESSMENT}/plan/")
        client.get(f"/api/v1/assessments/{ASSESSMENT}")
    paths = [line["path"] for line in lines if line["logger"] == "rehabit.access"]
    assert paths[:3] == [
        "/api/v1/conditions",
        "/booking/calendar/<str:token>.ics",
        "/booking/offers/<str:token>/",
    ]
    assert len(paths) == 6 and all("<" in path for path in paths[3:]), paths
    text = " ".join(str(line) for line in lines)
    assert "pat@example.org" not in text
    assert "s3cr3t" not in text and "0ff3r" not in text
    assert ASSESSMENT not in text and ASSESSMENT.replace("-", "") not in text


@pytest.mark.django_db
def test_secrets_stay_out_of_the_log_when_a_middleware_answers_before_the_view(
    access_log: None, settings: Any
) -> None:
    """Django finds the view after every middleware has run: the https redirect, the slash
    redirect, a sign-in gate and a refused request answered first, and their lines wrote
    the path as it came (a review: a calendar app polling its feed over http logged the
    feed's token on every poll)."""
    from tests.accounts.helpers import login, make_user

    with json_log() as lines:
        settings.SECURE_SSL_REDIRECT = True  # read when a client's middleware is built
        feed = Client().get("/booking/calendar/s3cr3t-feed-token.ics")
        settings.SECURE_SSL_REDIRECT = False
        no_slash = Client().get(f"/care/{ASSESSMENT}/plan")
        refused = Client().get(f"/care/{ASSESSMENT}/program/?x=%01")
        gated = login(Client(), make_user("gate@example.org", complete=False))
        gate = gated.get(f"/assessment/result/{ASSESSMENT}/")
    assert (feed.status_code, no_slash.status_code) == (301, 301)
    assert refused.status_code == 400 and gate.status_code == 302
    paths = [line["path"] for line in lines if line["logger"] == "rehabit.access"]
    assert paths == [
        "/booking/calendar/<str:token>.ics",
        "/care/<uuid:assessment_id>/plan/",
        "/care/<uuid:assessment_id>/program/",
        "/assessment/result/<uuid:assessment_id>/",
    ]
    text = " ".join(str(line) for line in lines)
    assert "s3cr3t" not in text
    assert ASSESSMENT not in text and ASSESSMENT.replace("-", "") not in text


def test_the_json_formatter_writes_one_object_with_the_fields_and_the_traceback() -> None:
    import json

    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.LogRecord(
            "rehabit.test", logging.ERROR, __file__, 1, "failed %s", ("once",), sys.exc_info()
        )
    record.request_id = "r-1"
    record.status_code = 500
    record.request = "<WSGIRequest: GET '/x?secret=1'>"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed once"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "rehabit.test"
    assert entry["request_id"] == "r-1"
    assert entry["status_code"] == 500
    assert "request" not in entry  # Django's request extra holds the query string
    assert "ValueError: bad value" in entry["exception"]
    assert entry["time"].endswith("+00:00")
