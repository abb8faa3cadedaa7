"""Security review 2, finding 4: new assessments are rate-limited per client network and
per signed-in person (300 anonymous POSTs had taken 5.8 s), on the short path of anonymous
calls (``rehabit.core.lean``) and the full one alike; and every API operation that counts
a limit documents its 429."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import login, make_user, valid_answers

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/assessments"
HOME = {"REMOTE_ADDR": "203.0.113.7"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.9"}


def _post(client: Client, answers: dict[str, Any] | None = None, path: str = ASSESSMENTS,
          **headers: Any) -> Any:  # fmt: skip
    body = json.dumps({"answers": valid_answers() if answers is None else answers})
    return client.post(path, body, content_type="application/json", **headers)


def _is_paused(response: Any) -> int:
    """The 429 answer's wait, after checking its shape: detail, retry_after, Retry-After."""
    assert response.status_code == 429, response.content
    body = response.json()
    assert set(body) == {"detail", "retry_after"}
    assert int(response["Retry-After"]) == body["retry_after"] > 0
    assert "new ones are paused for a moment. Please try again in" in body["detail"]
    assert "Nothing was stored." in body["detail"]
    return int(body["retry_after"])


def test_anonymous_assessments_are_limited_per_network(client: Client, settings: Any) -> None:
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 3
    assert [_post(client, **HOME).status_code for _ in range(3)] == [201] * 3
    # Answers the clinical core refuses are not counted.
    assert _post(client, {"age": "forty"}, **HOME).status_code == 422
    wait = _is_paused(_post(client, **HOME))
    assert wait == 1200  # one more every 20 minutes
    assert "try again in 20 minutes" in _post(client, **HOME).json()["detail"]
    # The full way (a query string leaves the short path) counts and answers the same.
    full = _post(client, path=ASSESSMENTS + "?via=full", **HOME)
    assert _is_paused(full) == wait and full.json() == _post(client, **HOME).json()
    assert Assessment.objects.count() == 3  # nothing stored by a refused request
    assert _post(client, **ELSEWHERE).status_code == 201  # another network is not affected
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert _post(client, **HOME).status_code == 201
        assert _post(client, **HOME).status_code == 429
    assert Assessment.objects.count() == 5


def test_a_signed_in_person_is_limited_on_their_own(settings: Any) -> None:
    settings.REHABIT_ASSESSMENTS_PER_USER = 2
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 10
    first = login(Client(), make_user("first@example.org"))
    second = login(Client(), make_user("second@example.org"))
    assert [_post(first, **HOME).status_code for _ in range(2)] == [201, 201]
    wait = _is_paused(_post(first, **HOME))
    assert wait == 1800
    # Refused by the person's limit: not counted on the network either.
    assert [_post(second, **HOME).status_code for _ in range(2)] == [201, 201]
    assert Assessment.objects.filter(owner__email="first@example.org").count() == 2
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert _post(first, **HOME).status_code == 201


def test_every_counted_operation_documents_its_429() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/assessments/{assessment_id}"
    counted = [
        ("/api/v1/assessments", "post"),
        (base + "/report", "get"),
        (base + "/diary", "post"),
        (base + "/measures/activities", "put"),
        (base + "/measures/psfs", "post"),
        (base + "/measures/bridge", "post"),
        (base + "/sessions", "post"),
        (base + "/sessions/{session_id}", "patch"),
        ("/api/v1/messages/threads/{thread_id}/messages", "post"),
    ]
    for path, method in counted:
        answer = paths[path][method]["responses"]["429"]
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/RateLimitedOut"}, path
    shape = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(shape["RateLimitedOut"]["required"]) == {"detail", "retry_after"}
