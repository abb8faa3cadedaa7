"""The assessment API through Django's test client and the real database."""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

import pytest
from django.test import Client

from rehabit.assessments.models import Assessment
from rehabit.clinical import load_questionnaire
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.engine import load_model
from tests.support import REQUIRED_CONDITIONS, answers_for, completed, vignettes

pytestmark = pytest.mark.django_db


def post(client: Client, body: object) -> tuple[int, dict]:
    response = client.post(
        "/api/v1/assessments", data=json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json()


def test_questionnaire_has_every_question_with_options_and_skip_logic(client: Client) -> None:
    response = client.get("/api/v1/assessment/questionnaire")
    assert response.status_code == 200
    body = response.json()
    questionnaire = load_questionnaire()
    assert body["version"] == questionnaire.version
    ids = [q["id"] for s in body["sections"] for q in s["questions"]]
    assert ids == list(questionnaire.questions)
    by_id = {q["id"]: q for s in body["sections"] for q in s["questions"]}
    raw = {q["id"]: q for s in load_yaml("questionnaire.yaml")["sections"] for q in s["questions"]}
    for qid, question in questionnaire.questions.items():
        assert by_id[qid]["type"] == question.type
        assert by_id[qid]["required"] == question.required
        assert by_id[qid]["ask"] == question.ask
        assert [o["value"] for o in by_id[qid]["options"]] == list(question.option_values)
        assert list(by_id[qid]["exclusive"]) == [
            v for v in question.option_values if v in question.exclusive
        ]
        # The rule exactly as the reviewed data states it (clients evaluate it themselves).
        assert by_id[qid].get("show_if") == raw[qid].get("show_if")
        # A child's wording, where the data gives one (shown when the age is under 16): its
        # text, help and option labels, each option one of the question's, in its order.
        child: dict[str, Any] = {"text": question.child_text, "help": question.child_help}
        child["options"] = dict(question.child_labels) or None
        assert by_id[qid]["for_a_child"] == (child if any(child.values()) else None)
        if question.child_labels:
            labels = by_id[qid]["for_a_child"]["options"]
            assert list(labels) == [v for v in question.option_values if v in labels]
    assert by_id["bear_weight"]["for_a_child"] == {
        "text": "Can your child stand on the painful leg and take 4 steps?",
        "help": None,
        "options": {"limping": "Yes, but my child limps"},
    }
    assert by_id["walk_test"]["for_a_child"]["options"]["limp"] == "My child limped"
    # A section's heading and intro for a child's parent (2026.12.10), where they differ.
    sections = {s["id"]: s for s in body["sections"]}
    assert sections["pain"]["title"] == "Your pain"
    assert sections["pain"]["for_a_child"] == {"title": "Your child's pain", "intro": None}
    assert sections["about_you"]["for_a_child"] is None
    for section in questionnaire.sections:
        child = {"title": section.child_title, "intro": section.child_intro}
        assert sections[section.id]["for_a_child"] == (child if any(child.values()) else None)
    assert {q["ask"] for q in by_id.values()} == {"always", "when_useful"}
    assert all(not q["required"] for q in by_id.values() if q["ask"] == "when_useful")


def test_the_openapi_document_explains_the_skip_logic(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schemas["QuestionOut"]["properties"]
    show_if = fields["show_if"]["description"]
    assert "Two-valued" in show_if
    assert "no answer is false" in show_if
    assert "/static/assessments/skip_logic.js" in show_if
    assert "422" in show_if
    assert "when_useful" in fields["ask"]["description"]
    assert "under 16" in fields["for_a_child"]["description"]
    child_options = schemas["ChildWordingOut"]["properties"]["options"]
    assert "my child limps" in child_options["description"]
    assert child_options["anyOf"][0] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    skip_logic = client.get("/static/assessments/skip_logic.js")
    assert skip_logic.status_code == 200
    version = schemas["AssessmentIn"]["properties"]["questionnaire_version"]["description"]
    assert "earlier version" in version and "422" in version


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_post_stores_and_returns_the_result(client: Client, level: str) -> None:
    status, body = post(client, {"answers": answers_for(level)})
    assert status == 201, body
    assert body["disposition"]["level"] == level
    assert body["questionnaire_version"] == load_questionnaire().version
    assert math.isclose(sum(c["probability"] for c in body["causes"]), 1.0, abs_tol=1e-6)
    probabilities = [c["probability"] for c in body["causes"] if not c["red_flag"]]
    assert probabilities == sorted(probabilities, reverse=True)
    stored = Assessment.objects.get(pk=body["id"])
    assert stored.disposition == level
    assert stored.answers == answers_for(level)

    again = client.get(f"/api/v1/assessments/{body['id']}")
    assert again.status_code == 200
    assert again.json() == body


def test_red_flags_are_listed_with_their_disposition(client: Client) -> None:
    status, body = post(client, {"answers": answers_for("emergency")})
    assert status == 201
    assert body["red_flags"], "an emergency vignette must name its warning sign"
    assert all({"id", "label"} <= set(flag) for flag in body["red_flags"])
    assert body["disposition"]["headline"]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"no_such_question": 1}, "no_such_question", "Unknown question"),
        ({"age": "thirty"}, "age", "whole number"),
        ({"age": 3000}, "age", "between"),
        ({"pain_now": 11}, "pain_now", "between"),
    ],
)
def test_bad_answers_get_field_level_errors_and_store_nothing(
    client: Client, change: dict, field: str, fragment: str
) -> None:
    answers = {**answers_for("self_care"), **change}
    status, body = post(client, {"answers": answers})
    assert status == 422
    assert field in body["errors"], body
    assert any(fragment.lower() in m.lower() for m in body["errors"][field]), body
    assert any(d["loc"][-1] == field for d in body["detail"])
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # The cauda equina follow-ups apply only after a "yes" or "not sure" to the screen.
        ({"pelvic_changes": "no", "saddle_numbness": "no"}, "saddle_numbness"),
        # A pop is asked only after a sudden start.
        ({"onset": "gradually", "earlier_pain": "no"}, "earlier_pain"),
        # The knee bend test is never asked after a pop (a not rule).
        ({"pop": "yes", "knee_bend_test": "no_pain"}, "knee_bend_test"),
    ],
)
def test_an_answer_to_a_question_that_does_not_apply_is_refused(
    client: Client, change: dict, field: str
) -> None:
    # Every other answer applies (prune drops those the change makes inapplicable).
    answers = {**completed({**answers_for("self_care"), **change}), field: change[field]}
    assert load_questionnaire().questions[field].show_if is not None
    status, body = post(client, {"answers": answers})
    assert status == 422, body
    assert set(body["errors"]) == {field}, body
    assert "only applies when" in " ".join(body["errors"][field])
    assert any(d["loc"][-1] == field for d in body["detail"])
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "flag_id"),
    [
        ({"breathless_or_chest_pain": "not_sure"}, "pulmonary_embolism"),
        ({"fever": "not_sure", "very_unwell": "no"}, "fever"),
        (
            {
                "pelvic_changes": "not_sure",
                "saddle_numbness": "not_sure",
                "bladder_trouble": "no",
                "bladder_bowel_leak": "no",
                "sexual_function_change": "no",
            },
            "ces_saddle_numbness",
        ),
    ],
)
def test_a_not_sure_on_a_red_flag_question_is_never_reported_as_a_yes(
    client: Client, change: dict, flag_id: str
) -> None:
    flag = next(f for f in load_model().red_flags if f.id == flag_id)
    assert flag.label_unsure and flag.label_unsure != flag.label
    status, body = post(client, {"answers": completed({**answers_for("self_care"), **change})})
    assert status == 201, body
    fired = {f["id"]: f for f in body["red_flags"]}
    assert fired[flag_id]["label"] == flag.label_unsure
    assert fired[flag_id]["disposition"] == flag.disposition
    assert body["disposition"]["level"] == flag.disposition
    # The "yes" wording appears nowhere in what the person is told.
    assert flag.label not in json.dumps(body)
    # The same answer as a "yes" is told as a "yes".
    yes = {k: "yes" if v == "not_sure" else v for k, v in change.items()}
    status, body = post(client, {"answers": completed({**answers_for("self_care"), **yes})})
    assert status == 201, body
    assert {f["id"]: f["label"] for f in body["red_flags"]}[flag_id] == flag.label


def test_unknown_option_lists_the_allowed_values(client: Client) -> None:
    questionnaire = load_questionnaire()
    single = next(q for q in questionnaire.questions.values() if q.type == "single")
    answers = {**answers_for("self_care"), single.id: "martian"}
    status, body = post(client, {"answers": answers})
    assert status == 422
    message = " ".join(body["errors"][single.id])
    assert single.options[0].value in message


def test_missing_required_answer_is_reported(client: Client) -> None:
    answers = answers_for("self_care")
    required = next(q.id for q in load_questionnaire().questions.values() if q.required)
    answers.pop(required, None)
    status, body = post(client, {"answers": answers})
    assert status == 422
    assert required in body["errors"]


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "yes"}, [], "text"])
def test_malformed_bodies_get_422_not_500(client: Client, body: object) -> None:
    status, payload = post(client, body)
    assert status == 422
    assert payload["detail"]


def test_invalid_json_is_a_client_error(client: Client) -> None:
    response = client.post("/api/v1/assessments", data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("path", ["/api/v1/assessments", "/api/v1/assessments?lang=en"])
def test_a_form_instead_of_json_is_a_client_error_and_stores_nothing(
    client: Client, path: str
) -> None:
    """A multipart or url-encoded form (a browser form pointed at the API) gets a 4xx
    saying the body cannot be read, on the short path and the full one; it was a 500 when
    the input check had streamed the multipart form before the API read the body."""
    multipart = client.post(path, data={"answers": "{}"})
    encoded = client.post(
        path, data="answers=%7B%7D", content_type="application/x-www-form-urlencoded"
    )
    for response in (multipart, encoded):
        assert response.status_code == 400, response.content
        assert "parse request body" in response.json()["detail"]
    nul = client.post(path, data={"answers": "a\x00b"})
    assert nul.status_code == 422
    assert nul.json()["detail"][0]["loc"] == ["form", "answers"]
    assert nul.json()["detail"][0]["type"] == "control_character"
    assert Assessment.objects.count() == 0


def test_unknown_assessment_is_404(client: Client) -> None:
    response = client.get(f"/api/v1/assessments/{uuid.uuid4()}")
    assert response.status_code == 404


def test_every_vignette_round_trips_through_the_api(client: Client, settings: Any) -> None:
    # More vignettes than one network may store in an hour (REHABIT_ASSESSMENTS_PER_NETWORK).
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = len(vignettes())
    for case in vignettes():
        status, body = post(client, {"answers": case["answers"]})
        assert status == 201, (case.get("id"), body)
    assert Assessment.objects.count() == len(vignettes())


def test_conditions_lists_every_condition_of_the_differential(client: Client) -> None:
    response = client.get("/api/v1/conditions")
    assert response.status_code == 200
    by_id = {c["id"]: c for c in response.json()}
    assert set(by_id) >= REQUIRED_CONDITIONS
    assert by_id["dvt"]["serious"] is True
    assert by_id["hamstring_strain"]["serious"] is False
    assert all(c["summary"] and c["name"] for c in by_id.values())


def test_openapi_document_and_docs_are_served(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in (
        "/api/v1/assessment/questionnaire",
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}",
        "/api/v1/conditions",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # no inline script: CSP-safe


def test_a_signed_in_persons_assessment_is_theirs_from_the_first_write() -> None:
    from tests.accounts.helpers import login, make_user

    owner = make_user("owner.api@example.org")
    client = login(Client(enforce_csrf_checks=True), owner)
    token = "t" * 32  # a CSRF secret of the client's choosing: cookie and header match
    client.cookies["csrftoken"] = token
    response = client.post(
        "/api/v1/assessments",
        data=json.dumps({"answers": answers_for("self_care")}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    stored = Assessment.objects.get(pk=response.json()["id"])
    assert stored.owner == owner
    # Not readable by link by anyone else.
    assert Client().get(f"/api/v1/assessments/{stored.pk}").status_code in (403, 404)


def test_a_signed_in_write_without_the_csrf_token_is_refused_and_stores_nothing() -> None:
    from tests.accounts.helpers import login, make_user

    client = login(Client(enforce_csrf_checks=True), make_user("forged@example.org"))
    before = Assessment.objects.count()
    response = client.post(
        "/api/v1/assessments",
        data=json.dumps({"answers": answers_for("self_care")}),
        content_type="application/json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Assessment.objects.count() == before


def test_an_anonymous_assessment_has_no_owner(client: Client) -> None:
    status, body = post(client, {"answers": answers_for("self_care")})
    assert status == 201
    assert Assessment.objects.get(pk=body["id"]).owner is None


# --- A client that cached an earlier questionnaire ---------------------------------------


def test_answers_to_the_previous_questionnaire_are_read_in_todays_questions(
    client: Client,
) -> None:
    answers = {**answers_for("soon"), "bear_weight": "yes"}
    old = {**answers, "limp": "yes"}  # 2026.12.1 asked the limp as its own question
    status, body = post(client, {"answers": old})
    assert status == 422 and list(body["errors"]) == ["limp"]
    assert body["errors"]["limp"] == [
        "Unknown question 'limp': questionnaire 2026.12.1 asked it. Send "
        '"questionnaire_version": "2026.12.1" with answers to that version, or answer the '
        f"current questionnaire ({load_questionnaire().version})."
    ]
    assert not Assessment.objects.exists()
    status, body = post(client, {"answers": old, "questionnaire_version": "2026.12.1"})
    assert status == 201, body
    assert body["questionnaire_version"] == load_questionnaire().version
    stored = Assessment.objects.get(pk=body["id"])
    assert stored.answers == {**answers, "bear_weight": "limping"}
    assert "You limp when you walk." in json.dumps(body)
    # The current version, named, is the same as no version.
    status, named = post(
        client, {"answers": answers, "questionnaire_version": load_questionnaire().version}
    )
    assert status == 201
    assert named["disposition"] == post(client, {"answers": answers})[1]["disposition"]


@pytest.mark.parametrize("version", ["1999.1.1", "", "2026.12.1 ", "x" * 10_000])
def test_an_unknown_questionnaire_version_is_refused_and_stores_nothing(
    client: Client, version: str
) -> None:
    status, body = post(client, {"answers": answers_for("soon"), "questionnaire_version": version})
    assert status == 422, body
    [message] = body["errors"]["questionnaire_version"]
    assert message.startswith("Unknown questionnaire version") and "The current one is" in message
    assert not Assessment.objects.exists()


def test_a_nul_byte_in_the_questionnaire_version_is_refused_and_stores_nothing(
    client: Client,
) -> None:
    body = {"answers": answers_for("soon"), "questionnaire_version": "2026.12.1\x00"}
    status, payload = post(client, body)
    assert status == 422 and payload["detail"], payload
    assert not Assessment.objects.exists()
