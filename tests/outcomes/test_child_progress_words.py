"""A child's progress speaks to the parent about their child everywhere it is read: the
verdicts ("Your child's pain has come down ..."), the advice, and the bridge test's box,
steps and stop warning, from outcomes.yaml's for_a_child wording (refused at load when a
text that speaks to "you" has none); the progress page, the bridge test, the API and the
PDF report pick it; an adult's are as they were. Through the Django test client and a real
database, at the test clock (tests/clock.py)."""

from __future__ import annotations

import copy
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.outcomes import OutcomeDataError, load_outcomes, parse_outcomes
from tests.outcomes.helpers import check_days_ago, diary_form, page_text

# --- The data file ------------------------------------------------------------------------


def _data() -> Any:
    return copy.deepcopy(load_yaml("outcomes.yaml"))


def test_every_text_that_speaks_to_you_has_a_parent_s_wording() -> None:
    rules = load_outcomes()
    for key, template in {**rules.messages, **rules.advice}.items():
        child = rules.for_a_child(template)
        if "you" in template.lower().split() or "your" in template.lower().split():
            assert child != template and "your child" in child.lower(), key
    box, steps, stop_if = rules.bridge.worded(child=True)
    assert box.count("Your child") == 1 and len(steps) == len(rules.bridge.steps)
    assert steps[0].startswith("Your child lies on their back")
    assert "{limit}" in stop_if and stop_if.startswith("Your child stops at once")
    assert rules.bridge.worded() == (rules.bridge.box, rules.bridge.steps, rules.bridge.stop_if)


def test_a_text_about_the_body_without_a_parent_s_wording_is_refused() -> None:
    data = _data()
    del data["messages_for_a_child"]["nprs_better"]
    with pytest.raises(OutcomeDataError, match=r"messages\.nprs_better speaks to \"you\""):
        parse_outcomes(data)
    data = _data()
    del data["messages_for_a_child"]["advice"]["book"]
    with pytest.raises(OutcomeDataError, match=r"messages\.advice\.book"):
        parse_outcomes(data)
    data = _data()
    del data["measures"]["bridge"]["for_a_child"]["stop_if"]
    with pytest.raises(OutcomeDataError, match=r"bridge\.stop_if speaks to \"you\""):
        parse_outcomes(data)
    data = _data()
    data["measures"]["bridge"]["for_a_child"]["steps"].pop()
    with pytest.raises(OutcomeDataError, match="one for each of the 5 steps"):
        parse_outcomes(data)


def test_a_parent_s_wording_that_still_speaks_to_you_or_drops_a_value_is_refused() -> None:
    data = _data()
    data["messages_for_a_child"]["psfs_worse"] = "Your activities score went down to {now}."
    with pytest.raises(OutcomeDataError, match="same values"):
        parse_outcomes(data)
    data = _data()
    data["messages_for_a_child"]["psfs_worse"] = (
        "Your activities score has gone down from {before} to {now} out of 10."
    )
    with pytest.raises(OutcomeDataError, match='still speaks to "you"'):
        parse_outcomes(data)
    data = _data()
    data["messages_for_a_child"]["nprs_sooner"] = "Your child's pain: {now}."
    with pytest.raises(OutcomeDataError, match="no such message"):
        parse_outcomes(data)


# --- What a parent reads ------------------------------------------------------------------


def _log_a_worse_week(client: Client, assessment: Any) -> None:
    """Seven days of worse pain than at the start (now 2, worst 4): a real worsening, so
    the verdict and its advice are shown."""
    today = timezone.localdate()
    for n in range(7):
        day = today - timedelta(days=6 - n)
        response = client.post(f"/care/{assessment.pk}/diary/", diary_form(day, 7, 8))
        assert response.status_code == 302, response.content.decode()[:2000]


ADULT_VERDICTS = (
    "Your pain has gone up from",
    "Rate your activities again next week",
    "Go back to the last exercise level that felt fine.",
    "Keep the pain during exercise at or below",
)
CHILD_VERDICTS = (
    "Your child's pain has gone up from",
    "Rate your child's activities again next week",
    "Go back to the last exercise level that felt fine for your child.",
    "Keep your child's pain during exercise at or below",
)


@pytest.mark.django_db
@pytest.mark.parametrize("age", [9, 40])
def test_the_verdicts_and_advice_speak_of_the_child(client: Client, age: int) -> None:
    child = age < 16
    assessment = check_days_ago(age, 7)
    assert assessment.answers["pain_now"] == 2
    _log_a_worse_week(client, assessment)
    progress = page_text(client.get(f"/care/{assessment.pk}/progress/"))
    api = client.get(f"/api/v1/assessments/{assessment.pk}/progress").json()["progress"]
    said = " ".join([c["text"] for c in api["changes"]] + [a["text"] for a in api["advice"]])
    for body in (progress, said):
        for wording in CHILD_VERDICTS:
            assert (wording in body) is child, wording
        for wording in ADULT_VERDICTS:
            assert (wording in body) is not child, wording
    assert ("Your child's pain has gone up from 2 to 7 out of 10" in progress) is child


@pytest.mark.django_db
@pytest.mark.parametrize("age", [9, 40])
def test_the_bridge_test_is_explained_to_a_parent(client: Client, age: int) -> None:
    child = age < 16
    assessment = check_days_ago(age, days=0)
    page = page_text(client.get(f"/care/{assessment.pk}/progress/bridge/"))
    assert 'name="sore_side"' in page
    child_words = (
        "Your child uses the same one every time",
        "Your child lies on their back on the floor",
        "After a minute's rest, your child tests the other leg",
        "Your child stops at once if they feel a sharp or pulling pain",
        "pain above 3 out of 10",
    )
    adult_words = (
        "Use the same one every time",
        "Lie on your back on the floor",
        "Rest for a minute, then test the other leg",
        "Stop at once if you feel a sharp",
    )
    for wording in child_words[:-1]:
        assert (wording in page) is child, wording
    for wording in adult_words:
        assert (wording in page) is not child, wording
    assert "pain above 3 out of 10" in page


def _pdf_words(response: Any) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.django_db
def test_a_child_s_report_speaks_of_the_child(client: Client) -> None:
    assessment = check_days_ago(9, 7)
    _log_a_worse_week(client, assessment)
    words = _pdf_words(client.get(f"/care/{assessment.pk}/report.pdf"))
    for wording in (
        "Rehabit progress report of your child",
        "Share it with your child's physiotherapist or doctor.",
        "Your child's pain has gone up from 2 to 7 out of 10",
        "Go back to the last exercise level that felt fine for your child.",
        "What your child did",
        "Activities your child finds hard",
        "no real change from your child's start",
    ):
        assert wording in words, wording
    for wording in (
        "Your pain has",
        "What you did",
        "Activities you find hard",
        "Share it with your physiotherapist",
        "from your start",
    ):
        assert wording not in words, wording


@pytest.mark.django_db
def test_an_adult_s_report_keeps_its_wording(client: Client) -> None:
    assessment = check_days_ago(40, 7)
    _log_a_worse_week(client, assessment)
    words = _pdf_words(client.get(f"/care/{assessment.pk}/report.pdf"))
    assert "Your pain has gone up from 2 to 7 out of 10" in words
    assert "What you did" in words and "your child" not in words.lower()
