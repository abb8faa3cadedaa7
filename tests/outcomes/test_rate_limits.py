"""Security review 2, findings 3 and 4: the PDF report (about a second of CPU each) is
limited per person and per client network, on its page and in the API; diary days and
the two measures are limited per signed-in person, or per assessment nobody owns. A
refused request makes no report and stores nothing; a form is shown again as it was sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from rehabit.outcomes.models import DiaryEntry, FunctionActivity, MeasureRecord
from tests.accounts.helpers import login
from tests.outcomes.helpers import assessment_days_ago, diary_form

pytestmark = pytest.mark.django_db

HOME = {"REMOTE_ADDR": "203.0.113.7"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.9"}


@pytest.fixture
def reports_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reports made (a stand-in for the PDF builder, which takes a second each)."""
    made: list[str] = []

    def report_response(assessment: Any, *, patient_name: str = "") -> HttpResponse:
        made.append(str(assessment.pk))
        return HttpResponse(b"%PDF-", content_type="application/pdf")

    monkeypatch.setattr("rehabit.outcomes.report.report_response", report_response)
    return made


def _page(assessment: Any) -> str:
    return f"/care/{assessment.pk}/report.pdf"


def _api(assessment: Any, path: str = "report") -> str:
    return f"/api/v1/assessments/{assessment.pk}/{path}"


def test_reports_are_limited_per_network_on_the_page_and_in_the_api(
    client: Client, settings: Any, reports_made: list[str]
) -> None:
    settings.REHABIT_REPORTS_PER_NETWORK = 3
    assessment = assessment_days_ago(3)
    assert client.get(_page(assessment), **HOME).status_code == 200
    assert client.get(_api(assessment), **HOME).status_code == 200
    assert client.get(_page(assessment), **HOME).status_code == 200
    page = client.get(_page(assessment), **HOME)
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    wait = int(page["Retry-After"])
    assert wait == 1200
    html = page.content.decode()
    assert "Error 429" in html and "Please wait a moment" in html  # the site's error page
    assert (
        "Many reports have been made here in a short time, so making them is paused for a "
        "moment. Please try again in 20 minutes."
    ) in html
    assert f'href="/care/{assessment.pk}/progress/"' in html  # back to where it came from
    api = client.get(_api(assessment), **HOME)
    assert api.status_code == 429 and int(api["Retry-After"]) == api.json()["retry_after"]
    assert api.json()["detail"].endswith("Please try again in 20 minutes.")
    assert len(reports_made) == 3  # no report made for a refused request
    # Another network is not affected; this one may have one more after the wait.
    assert client.get(_page(assessment), **ELSEWHERE).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert client.get(_api(assessment), **HOME).status_code == 200
        assert client.get(_page(assessment), **HOME).status_code == 429
    # A report that is not there (404) is not counted.
    settings.REHABIT_REPORTS_PER_NETWORK = 1
    unknown = "/api/v1/assessments/00000000-0000-4000-8000-000000000000/report"
    assert [client.get(unknown, **ELSEWHERE).status_code for _ in range(3)] == [404] * 3


def test_reports_are_limited_per_person(
    patient: Any, other_patient: Any, settings: Any, reports_made: list[str]
) -> None:
    settings.REHABIT_REPORTS_PER_USER = 2
    mine = assessment_days_ago(3, owner=patient)
    theirs = assessment_days_ago(3, owner=other_patient)
    me, them = login(Client(), patient), login(Client(), other_patient)
    assert [me.get(_page(mine)).status_code for _ in range(2)] == [200, 200]
    assert me.get(_api(mine)).status_code == 429
    assert me.get(_page(mine)).status_code == 429
    assert them.get(_page(theirs)).status_code == 200  # the same network, another person
    assert reports_made == [str(mine.pk)] * 2 + [str(theirs.pk)]


def test_a_diary_day_past_the_limit_keeps_what_was_typed(client: Client, settings: Any) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 2
    assessment = assessment_days_ago(3)
    url = f"/care/{assessment.pk}/diary/"
    today = timezone.localdate()
    for days in (2, 1):
        assert client.post(url, diary_form(today - timedelta(days=days), 3, 5)).status_code == 302
    form = diary_form(today, 6, 7, activity="Walked the dog to the park")
    refused = client.post(url, form)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert wait == 1800
    html = refused.content.decode()
    assert (
        escape(
            "That is many entries in a short time, so saving is paused for a moment. Please try "
            "again in 30 minutes. Nothing was saved."
        )
        in html
    )
    assert "Walked the dog to the park" in html and 'value="6" checked' in html
    assert 'value="7" checked' in html
    assert DiaryEntry.objects.filter(assessment=assessment).count() == 2
    # Another assessment nobody owns has its own count.
    other = assessment_days_ago(3)
    assert client.post(f"/care/{other.pk}/diary/", form).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert client.post(url, form).status_code == 302
    assert DiaryEntry.objects.filter(assessment=assessment).count() == 3


def test_naming_activities_past_the_limit_keeps_the_names(client: Client, settings: Any) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 1
    assessment = assessment_days_ago(3)
    today = timezone.localdate()
    assert client.post(f"/care/{assessment.pk}/diary/", diary_form(today, 1, 2)).status_code == 302
    url = f"/care/{assessment.pk}/progress/activities/"
    named = {"step": "name", "activity": ["Running uphill", "Stairs", "Sitting long"]}
    refused = client.post(url, named)
    assert refused.status_code == 429 and "Retry-After" in refused
    html = refused.content.decode()
    assert "saving is paused for a moment" in html
    assert all(f'value="{name}"' in html for name in named["activity"])
    assert not FunctionActivity.objects.exists()
    bridge = client.post(f"/care/{assessment.pk}/progress/bridge/", {"reps_left": "12"})
    assert bridge.status_code == 429 and not MeasureRecord.objects.exists()


def test_the_api_s_diary_and_measures_are_limited_per_person(
    patient: Any, other_patient: Any, settings: Any
) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 2
    me, them = login(Client(), patient), login(Client(), other_patient)
    first, second = assessment_days_ago(3, owner=patient), assessment_days_ago(3, owner=patient)
    theirs = assessment_days_ago(3, owner=other_patient)
    day = {"pain_now": 1, "pain_worst": 2}
    post = "application/json"
    assert me.post(_api(first, "diary"), day, content_type=post).status_code == 201
    activities = {"activities": ["Running", "Stairs", "Sitting"]}
    named = me.put(_api(second, "measures/activities"), activities, content_type=post)
    assert named.status_code == 200
    # Counted per person, across their assessments.
    refused = me.post(_api(second, "measures/psfs"), {"ratings": [3, 4, 5]}, content_type=post)
    assert refused.status_code == 429
    assert set(refused.json()) == {"detail", "retry_after"}
    assert int(refused["Retry-After"]) == refused.json()["retry_after"] == 1800
    assert not MeasureRecord.objects.exists()
    assert me.post(_api(first, "diary"), day, content_type=post).status_code == 429
    assert them.post(_api(theirs, "diary"), day, content_type=post).status_code == 201
