"""The care API: exercise library, plan and program, and the exercise log."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from rehabit.clinical.exercises import load_exercises
from tests.accounts.helpers import (  # noqa: F401  (fixtures)
    _clear_cache,
    login,
    other_patient,
    patient,
    therapist,
)
from tests.care.helpers import make_assessment, session_data

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_library(client: Client) -> None:
    response = client.get("/api/v1/exercises")
    assert response.status_code == 200
    exercises = response.json()
    assert [e["id"] for e in exercises] == [e.id for e in load_exercises()]
    first = exercises[0]
    assert {"id", "name", "conditions", "phases", "dosage", "illustration_url"} <= set(first)
    assert first["illustration_url"].startswith("http://testserver/static/exercises/")
    path = first["illustration_url"].removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert first["dosage"]["per_day"] >= 1


def test_one_exercise_and_an_unknown_one(client: Client) -> None:
    body = client.get("/api/v1/exercises/glute_bridge").json()
    assert body["name"] == "Glute bridge" and len(body["steps"]) >= 3
    assert body["should_feel"] and body["should_not_feel"] and "avoid_when" in body
    missing = client.get("/api/v1/exercises/nope")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_the_plan_and_program_of_an_assessment(client: Client) -> None:
    assessment = make_assessment()
    response = client.get(f"/api/v1/assessments/{assessment.pk}/plan")
    assert response.status_code == 200
    body = response.json()
    assert body["assessment_id"] == str(assessment.pk)
    assert body["plan"]["suppressed"] is False and body["plan"]["stage"]["phase"] == "middle"
    assert body["plan"]["medication"]["status"] == "unanswered"
    questions = {q["id"]: q for q in body["plan"]["medication"]["questions"]}
    assert "bleeding" in questions["other_bleeding_medicines"]["help"]  # why it is asked
    assert questions["kidney"].get("help") is None
    items = body["program"]["items"]
    assert [i["exercise_id"] for i in items] == [
        i.exercise.id for i in program_for(assessment).items
    ]
    assert all(i["progress"].startswith("No session is logged yet") for i in items)
    assert all(i["illustration_url"].endswith(".svg") for i in items)


def test_an_emergency_plan_is_suppressed(client: Client) -> None:
    assessment = make_assessment("emergency")
    body = client.get(f"/api/v1/assessments/{assessment.pk}/plan").json()
    assert body["plan"]["suppressed"] is True and body["plan"]["urgent_first"]
    assert body["program"]["suppressed"] is True and body["program"]["items"] == []
    response = post(
        client,
        f"/api/v1/assessments/{assessment.pk}/sessions",
        {
            "exercise_ids": ["glute_bridge"],
            "pain_during": 1,
            "pain_after": 1,
            "difficulty": "about_right",
        },
    )
    assert response.status_code == 409 and response.json()["detail"]


def test_log_a_session_and_read_the_log(client: Client) -> None:
    assessment = make_assessment()
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    data = session_data(program_for(assessment), note="Fine.")
    response = post(client, url, data)
    assert response.status_code == 201
    created = response.json()
    assert created["pain_during"] == 2 and created["note"] == "Fine."
    assert created["logged_at"].endswith("+00:00") and created["next_morning"] is None
    listing = client.get(url).json()
    assert [s["id"] for s in listing["sessions"]] == [created["id"]]
    # Twice a day, every day; in the week the program began only the days left count.
    planned = 2 * (7 - assessment.created_at.astimezone(UTC).weekday())
    assert listing["adherence"]["done"] == 1 and listing["adherence"]["planned"] == planned
    assert listing["adherence"]["time_zone"] == "UTC"
    one = client.get(f"{url}/{created['id']}")
    assert one.status_code == 200 and one.json() == created


def test_every_field_is_validated_with_field_level_errors(client: Client) -> None:
    assessment = make_assessment()
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    response = post(
        client,
        url,
        {
            "exercise_ids": [],
            "pain_during": 11,
            "pain_after": -1,
            "difficulty": "meh",
            "note": "x" * 1001,
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {
        "payload.exercise_ids",
        "payload.pain_during",
        "payload.pain_after",
        "payload.difficulty",
        "payload.note",
    } <= set(errors)
    response = post(client, url, session_data(program_for(assessment), exercise_ids=["nordic"]))
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"exercise_ids": ["Not an exercise in your program: nordic."]}
    assert body["detail"][0]["loc"] == ["body", "payload", "exercise_ids"]
    assert post(client, url, {"pain_during": 1}).status_code == 422
    assert client.post(url, "not json", content_type="application/json").status_code in (400, 422)
    assert not ExerciseSession.objects.exists()


def test_a_retry_with_the_same_idempotency_key_is_not_logged_twice(client: Client) -> None:
    assessment = make_assessment()
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    data = session_data(program_for(assessment))
    first = post(client, url, data, **{"Idempotency-Key": "k-1"})
    again = post(client, url, data, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true" and first.json()["id"] == again.json()["id"]
    assert ExerciseSession.objects.count() == 1


def test_the_next_morning_check_in_progresses_the_program(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    item = next(i for i in program.items if len(i.levels) > 1)
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    session = post(
        client, url, session_data(program, exercise_ids=[item.exercise.id], pain_during=1)
    ).json()
    check_url = f"{url}/{session['id']}"
    answer = {"next_morning": "same", "settled_within_24h": True}
    early = patch(client, check_url, answer)
    assert early.status_code == 409 and "too early" in early.json()["detail"]
    with time_machine.travel(timezone.now() + timedelta(hours=9), tick=False):
        assert patch(client, check_url, {"next_morning": "fine"}).status_code == 422
        response = patch(client, check_url, answer)
    assert response.status_code == 200
    body = response.json()
    assert body["session"]["next_morning"] == "same"
    [step] = body["progression"]
    assert (step["action"], step["from_level"], step["to_level"]) == ("step_up", 1, 2)
    assert "moved you up" in step["explanation"]
    plan = client.get(f"/api/v1/assessments/{assessment.pk}/plan").json()
    moved = next(i for i in plan["program"]["items"] if i["family"] == item.family)
    assert moved["level"] == 2 and moved["exercise_id"] == item.ladder[2]
    assert "moved you up" in moved["progress"]


def test_an_owned_log_is_the_owners_alone(patient: Any, other_patient: Any) -> None:  # noqa: F811
    assessment = make_assessment(owner=patient)
    base = f"/api/v1/assessments/{assessment.pk}"
    data = session_data(program_for(assessment))
    owner = login(Client(), patient)
    assert post(owner, f"{base}/sessions", data).status_code == 201
    session_id = ExerciseSession.objects.get().pk
    for client in (login(Client(), other_patient), Client()):
        for path in ("/plan", "/sessions", f"/sessions/{session_id}"):
            assert client.get(base + path).status_code == 404
        assert post(client, f"{base}/sessions", data).status_code == 404
        assert (
            patch(
                client,
                f"{base}/sessions/{session_id}",
                {"next_morning": "same", "settled_within_24h": True},
            ).status_code
            == 404
        )
    assert owner.get(f"{base}/sessions").json()["adherence"]["time_zone"] == "Europe/London"
    assert ExerciseSession.objects.count() == 1


def test_writes_to_an_owned_log_need_the_csrf_token(patient: Any) -> None:  # noqa: F811
    assessment = make_assessment(owner=patient)
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    client = login(Client(enforce_csrf_checks=True), patient)
    data = session_data(program_for(assessment))
    refused = post(client, url, data)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get(f"/care/{assessment.pk}/session/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert post(client, url, data, **{"X-CSRFToken": token}).status_code == 201


def test_the_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/exercises"]
    assert "get" in paths["/api/v1/exercises/{exercise_id}"]
    assert "get" in paths["/api/v1/assessments/{assessment_id}/plan"]
    sessions = paths["/api/v1/assessments/{assessment_id}/sessions"]
    assert {"get", "post"} <= set(sessions)
    assert {"201", "422", "404", "409"} <= set(sessions["post"]["responses"])
    assert "patch" in paths["/api/v1/assessments/{assessment_id}/sessions/{session_id}"]
