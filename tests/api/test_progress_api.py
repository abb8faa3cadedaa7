"""The progress API (``rehabit.api.progress``): diary entries, measures with scores and
verdicts, the trend and the PDF report, in the OpenAPI document, with the assessment's
access rule; and who reads a child's verdicts and advice: "your child" for the parent who
answers for them (the account's owner), the patient's own words for the treating
therapist, as the progress pages say them (``care.selectors.read_by_a_parent``). Through the
Django test client on the real database, at the test clock (tests/clock.py)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import (  # noqa: F401  (fixtures)
    _clear_cache,
    login,
    other_patient,
    patient,
)
from tests.care.helpers import make_assessment
from tests.clinic.support import Clinic, make_clinic
from tests.outcomes.helpers import assessment_days_ago
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db


def api(assessment: Any, path: str) -> str:
    return f"/api/v1/assessments/{assessment.pk}/{path}"


def post(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def test_the_openapi_document_has_every_endpoint_and_the_pdf() -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    base = "/api/v1/assessments/{assessment_id}/"
    for path in ("diary", "measures", "measures/activities", "measures/psfs",
                 "measures/bridge", "progress", "report"):  # fmt: skip
        assert base + path in paths, path
    report = paths[base + "report"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in report


def test_a_week_in_the_diary_gives_a_verdict_and_the_trend(client: Client) -> None:
    assessment = assessment_days_ago(7)
    today = timezone.localdate()
    for n, worst in enumerate([4, 3, 2, 2, 1, 1, 1]):
        day = today - timedelta(days=6 - n)
        response = post(client, api(assessment, "diary"), {
            "entry_date": day.isoformat(), "pain_now": 0, "pain_worst": worst,
            "sleep_disturbed": n == 0, "next_morning": "better"})  # fmt: skip
        assert response.status_code == 201, response.content
    again = post(client, api(assessment, "diary"), {"pain_now": 1, "pain_worst": 1})
    assert again.status_code == 200  # today's entry replaced
    diary = client.get(api(assessment, "diary")).json()
    assert len(diary["entries"]) == 7 and diary["streak"]["in_a_row"] == 7
    trend = client.get(api(assessment, "progress")).json()
    pain = next(c for c in trend["charts"] if c["key"] == "pain")
    worst = next(s for s in pain["series"] if s["key"] == "pain_worst")
    assert [p["value"] for p in worst["points"]] == [4, 3, 2, 2, 1, 1, 1]
    assert pain["band"] == {"low": 2.0, "high": 6.0, "start": 4.0}
    assert trend["progress"]["verdict"] == "better"
    worst_change = trend["progress"]["changes"][0]
    assert worst_change["verdict"] == "better" and worst_change["needed"] == 2.0


def test_bad_diary_input_is_422_naming_each_field(client: Client) -> None:
    assessment = assessment_days_ago(3)
    far = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = post(client, api(assessment, "diary"),
                    {"entry_date": far, "pain_now": 6, "pain_worst": 2})  # fmt: skip
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"entry_date", "pain_worst"}
    schema = post(client, api(assessment, "diary"), {"pain_now": 11, "pain_worst": 2})
    assert schema.status_code == 422


def test_measures_psfs_and_bridge(client: Client) -> None:
    assessment = assessment_days_ago(0)
    assert post(client, api(assessment, "measures/psfs"), {"ratings": [1, 2, 3]}).status_code == 409
    named = post(client, api(assessment, "measures/activities"),
                 {"activities": ["Running", "Stairs", "Sitting in the car"]}, "put")  # fmt: skip
    assert named.status_code == 200 and named.json()["activities"][2] == "Sitting in the car"
    wrong = post(client, api(assessment, "measures/psfs"), {"ratings": [1, 2]})
    assert wrong.status_code == 422
    rated = post(client, api(assessment, "measures/psfs"), {"ratings": [2, 4, 6]})
    assert rated.status_code == 201 and rated.json()["score"] == 4.0
    locked = post(client, api(assessment, "measures/activities"),
                  {"activities": ["A", "B", "C"]}, "put")  # fmt: skip
    assert locked.status_code == 409
    bridge = post(client, api(assessment, "measures/bridge"), {"sore_side": 12, "other_side": 16})
    assert bridge.status_code == 201 and bridge.json()["values"]["symmetry_percent"] == 75
    measures = client.get(api(assessment, "measures")).json()
    assert [m["measure"] for m in measures["measures"]] == ["psfs", "bridge"]
    assert measures["progress"]["verdict"] == "too_early"


def test_the_report_is_a_pdf_for_those_who_may_read_it(
    client: Client,
    patient: Any,  # noqa: F811
    other_patient: Any,  # noqa: F811
) -> None:
    assessment = assessment_days_ago(2, owner=patient)
    owner = login(Client(), patient)
    response = owner.get(api(assessment, "report"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Rehabit progress report" in text
    assert login(Client(), other_patient).get(api(assessment, "report")).status_code == 404
    assert Client().get(api(assessment, "report")).status_code in (403, 404)
    # Writes need the owner, with the CSRF token.
    stranger = post(login(Client(), other_patient), api(assessment, "diary"),
                    {"pain_now": 1, "pain_worst": 2})  # fmt: skip
    assert stranger.status_code == 404
    csrf = Client(enforce_csrf_checks=True)
    login(csrf, patient)
    refused = post(csrf, api(assessment, "diary"), {"pain_now": 1, "pain_worst": 2})
    assert refused.status_code == 403


# --- A child's progress, read by the parent and by the therapist ---------------------------

READS = ("progress", "measures")  # the two reads that carry the verdicts and advice


@pytest.fixture
def clinic(db: Any) -> Clinic:
    """A parent who shares their record with their child's therapist, and a week of worse
    pain logged for their child of 9 (pain now 2 at the check, 7 each day since)."""
    clinic = make_clinic()
    child = make_assessment(
        owner=clinic.patient, answers=completed({**answers_for("self_care"), "age": 9})
    )
    Assessment.objects.filter(pk=child.pk).update(created_at=timezone.now() - timedelta(days=7))
    clinic.assessment = Assessment.objects.get(pk=child.pk)
    parent = login(Client(), clinic.patient)
    today = timezone.localdate()
    for n in range(7):
        day = (today - timedelta(days=6 - n)).isoformat()
        response = parent.post(
            f"/api/v1/assessments/{child.pk}/diary",
            {"entry_date": day, "pain_now": 7, "pain_worst": 8},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    return clinic


def said(client: Client, clinic: Clinic, read: str) -> str:
    """The verdicts' and the advice's words in one read of the API."""
    response = client.get(f"/api/v1/assessments/{clinic.assessment.pk}/{read}")
    assert response.status_code == 200, response.content
    progress = response.json()["progress"]
    assert progress["verdict"] == "worse"
    return " ".join(
        [c["text"] for c in progress["changes"]] + [a["text"] for a in progress["advice"]]
    )


@pytest.mark.parametrize("read", READS)
def test_the_parent_reads_about_their_child(clinic: Clinic, read: str) -> None:
    words = said(login(Client(), clinic.patient), clinic, read)
    assert "Your child's pain has gone up from 2 to 7 out of 10" in words
    assert "Go back to the last exercise level that felt fine for your child." in words
    assert "Your pain has" not in words


@pytest.mark.parametrize("read", READS)
def test_the_treating_therapist_reads_the_patient_s_own_words(clinic: Clinic, read: str) -> None:
    words = said(clinic.client("therapist"), clinic, read)
    assert "Your pain has gone up from 2 to 7 out of 10" in words
    assert "Go back to the last exercise level that felt fine." in words
    assert "your child" not in words.lower()
