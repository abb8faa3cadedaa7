"""The progress and diary pages read by someone other than the patient (a therapist the
patient shares with, from the chart's link "The patient's progress page, with the
tables"): they speak about the patient, not to them. Through the Django test client on
the real database; who may read them is the audited record rule's, unchanged."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import login
from tests.clinic.support import Clinic, make_clinic
from tests.outcomes.helpers import diary_form

pytestmark = pytest.mark.django_db

# What the pages say to the patient, which a therapist should not read as said to them.
SAID_TO_THE_PATIENT = (
    "Your progress",
    "Since your assessment",
    "You logged on",
    "Every entry helps",
    "Your first entry",
    "Your charts appear",
    "Changes to your plan",
    "Your measures",
    "from your start",
    "Activities you find hard",
    "once you have rated your activities",
    "Log today's pain",
    "Book a physiotherapist",
)


def main(response: Any) -> str:
    """The words of the page's own content (not the site's header and footer)."""
    body = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<main" + body)))


@pytest.fixture
def clinic(db: Any) -> Clinic:
    """A patient who shares their record with their therapist, with three diary days and
    one rating of their activities."""
    clinic = make_clinic()
    Assessment.objects.filter(pk=clinic.assessment.pk).update(
        created_at=timezone.now() - timedelta(days=6)
    )
    patient = login(Client(), clinic.patient)
    today = timezone.localdate()
    for days_ago, now, worst in ((2, 5, 6), (1, 4, 5), (0, 3, 5)):
        entry = diary_form(today - timedelta(days=days_ago), now, worst)
        assert patient.post(f"/care/{clinic.assessment.pk}/diary/", entry).status_code == 302
    url = f"/care/{clinic.assessment.pk}/progress/activities/"
    patient.post(url, {"step": "name", "activity": ["Running", "Stairs", "Sitting"]})
    rated = patient.post(url, {"step": "rate", "rating_1": "3", "rating_2": "4", "rating_3": "5"})
    assert rated.status_code == 302
    return clinic


def test_the_therapist_reads_the_progress_page_about_the_patient(clinic: Clinic) -> None:
    response = clinic.client("therapist").get(f"/care/{clinic.assessment.pk}/progress/")
    assert response.status_code == 200
    body = response.content.decode()
    text = main(response)
    assert "<title>Progress of Pat Clinic" in body
    assert "Progress of Pat Clinic" in text
    assert "Since the patient's assessment on" in text
    assert "They logged on 3 days in the last 7. 3 days in a row." in text
    # The verdicts' own words are the patient's: quoted as what the patient reads.
    verdict = text.split("Is this real improvement?", 1)[1]
    assert "Worst pain in 24 hours: No real change yet. The patient reads: “Your pain is" in verdict
    assert "Pain now: Worse. The patient reads: “Your pain has gone up" in verdict
    assert "Activities the patient finds hard: Not enough entries yet." in verdict
    # The advice is the patient's too; booking a physiotherapist is theirs to do.
    assert "The patient is advised: “Go back to the last exercise level" in verdict
    assert (
        "This chart appears here once the patient has rated their activities 1 more time." in text
    )
    assert "is no real change from the patient's start" in text
    assert "The patient's measures" in text
    outside_quotes = re.sub(r"“[^”]*”", "", text)
    for said in SAID_TO_THE_PATIENT:
        assert said not in outside_quotes, said
    # The chart of activities is named about the patient too (title, table caption).
    assert "Activities the patient finds hard (0 = cannot do, 10 = as before)" in text


def test_the_patient_still_reads_the_page_written_to_them(clinic: Clinic) -> None:
    patient = login(Client(), clinic.patient)
    text = main(patient.get(f"/care/{clinic.assessment.pk}/progress/"))
    assert "Your progress" in text and "Since your assessment on" in text
    assert "You logged on 3 days in the last 7. 3 days in a row." in text
    assert "Every entry helps" in text and "Your measures" in text
    assert "Book a physiotherapist" in text  # their pain now is really worse
    assert "The patient reads" not in text and "Progress of" not in text
    assert "They logged" not in text and "the patient" not in text.replace("Pat Clinic", "")


def test_the_therapist_reads_the_diary_about_the_patient_without_its_reminder(
    clinic: Clinic,
) -> None:
    response = clinic.client("therapist").get(f"/care/{clinic.assessment.pk}/diary/")
    assert response.status_code == 200
    text = main(response)
    assert "Pain diary of Pat Clinic" in text
    assert "They logged on 3 days in the last 7." in text
    assert "The patient's last entries, newest first" in text
    assert "See the patient's progress" in text
    for said in ("Your pain diary", "You logged", "See your progress", "Your last entries",
                 "What you did", "A gentle reminder", "Sign in to get a reminder"):  # fmt: skip
        assert said not in text, said


# --- The PDF report, the activities and the bridge test --------------------------------------

# What the report says to the patient, which a therapist downloading it should not read as
# said to them (outside what it quotes as the patient's).
REPORT_SAID_TO_THE_PATIENT = (
    "Share it with your physiotherapist",
    "your local emergency number",
    "Changes to your plan",
    "What you did",
    "Activities you find hard",
    "from your start",
)


def report_words(response: Any) -> str:
    from pypdf import PdfReader

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def report_text(clinic: Clinic, **kwargs: Any) -> str:
    """The report's words as rendered before it becomes a PDF (charts left out)."""
    from rehabit.outcomes.report import report_html

    assessment = Assessment.objects.get(pk=clinic.assessment.pk)  # made 6 days ago
    body = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", report_html(assessment, **kwargs),
                  flags=re.S)  # fmt: skip
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_therapist_s_report_is_about_the_patient(clinic: Clinic) -> None:
    """The report a therapist downloads for their patient was the patient's own, to the
    therapist: "Share it with your physiotherapist", "What you did"."""
    response = clinic.client("therapist").get(f"/care/{clinic.assessment.pk}/report.pdf")
    words = report_words(response)
    assert words.startswith("Rehabit progress report of Pat Clinic")
    assert "This report is about the patient: what they recorded, and what Rehabit" in words
    # (The number is the deployment's or the reader's country's: not this test's business.)
    assert re.search(
        r"In an emergency, the patient is told to call \d+ or their local emergency", words
    )
    assert "The patient was told: “You can start with self-care at home”" in words
    for said in REPORT_SAID_TO_THE_PATIENT:
        assert said not in words, said

    text = report_text(clinic, patient_name="Pat Clinic")
    table = text.split("Is this real improvement?", 1)[1].split("The patient's self-care plan")[0]
    assert "The patient reads" in table
    assert "Activities the patient finds hard Not enough entries yet “Rate your activities" in table
    assert "Pain now Worse “Your pain has gone up from 2 to 4" in table
    assert "is no real change from the patient's start" in table  # the pain chart's band
    assert "What they did" in text
    assert "Activities the patient finds hard (0 = cannot do, 10 = as before)" in text
    assert "The patient is advised: “Go back to the last exercise level" in table
    assert "The patient's self-care plan" in text and "The patient's exercises" in text
    outside_quotes = re.sub(r"“[^”]*”", "", text)
    for said in (*REPORT_SAID_TO_THE_PATIENT, "Your answers", "You can start", "Log your pain",
                 "Your pain", "Call your emergency number", "between your legs"):  # fmt: skip
        assert said not in outside_quotes, said


def test_the_report_from_the_api_is_about_the_patient_too_and_names_the_readers_number(
    clinic: Clinic,
) -> None:
    from rehabit.accounts.models import Profile

    api = f"/api/v1/assessments/{clinic.assessment.pk}/report"
    words = report_words(clinic.client("therapist").get(api))
    assert words.startswith("Rehabit progress report of Pat Clinic")
    # The patient's own download names the emergency number of their zone's country.
    Profile.objects.filter(user=clinic.patient).update(time_zone="America/Denver")
    words = report_words(login(Client(), clinic.patient).get(api))
    assert words.startswith("Rehabit progress report Data up to")
    assert "In an emergency, call 911 or your local emergency number." in words


def test_the_patient_s_own_report_still_speaks_to_them(clinic: Clinic) -> None:
    patient = login(Client(), clinic.patient)
    words = report_words(patient.get(f"/care/{clinic.assessment.pk}/report.pdf"))
    assert words.startswith("Rehabit progress report Data up to")
    assert "Share it with your physiotherapist or doctor." in words
    assert re.search(r"In an emergency, call \d+ or your local emergency number\.", words)
    text = report_text(clinic)
    assert "Activities you find hard (0 = cannot do, 10 = as before)" in text
    assert "What you did" in text and "from your start" in text
    assert "the patient" not in text and "Pat Clinic" not in text and "“" not in text


def test_the_therapist_reads_the_activities_and_the_bridge_test_about_the_patient(
    clinic: Clinic,
) -> None:
    therapist = clinic.client("therapist")
    response = therapist.get(f"/care/{clinic.assessment.pk}/progress/activities/")
    assert response.status_code == 200
    assert "<title>Activities Pat Clinic finds hard" in response.content.decode()
    text = main(response)
    assert "Activities Pat Clinic finds hard Back to the patient's progress" in text
    assert "The activities the patient named, which they rate" in text
    assert "Running Stairs Sitting" in text
    assert "Only the patient can rate them." in text
    for said in ("Activities you find hard", "Back to your progress", " you", "your"):
        assert said not in text, said

    response = therapist.get(f"/care/{clinic.assessment.pk}/progress/bridge/")
    assert response.status_code == 200
    assert "<title>Single-leg bridge test of Pat Clinic" in response.content.decode()
    text = main(response)
    assert "Single-leg bridge test of Pat Clinic Back to the patient's progress" in text
    assert "A strength test the patient counts themselves" in text
    # The steps are the patient's (the reviewed data's, written to them): what they are told.
    assert "How the patient is told to do it They need: “A sturdy chair" in text
    assert "Only the patient can record this test." in text
    before_the_steps = text.split("How the patient is told to do it", 1)[0]
    after_the_steps = text.split("Only the patient can record this test.", 1)[1]
    for said in ("you", "You", "your", "Save the test"):
        assert said not in before_the_steps + after_the_steps, said


def test_the_patient_still_reads_the_activities_and_the_bridge_test_written_to_them(
    clinic: Clinic,
) -> None:
    patient = login(Client(), clinic.patient)
    text = main(patient.get(f"/care/{clinic.assessment.pk}/progress/activities/"))
    assert "Activities you find hard Back to your progress" in text
    assert "For each activity, how well can you do it today?" in text
    text = main(patient.get(f"/care/{clinic.assessment.pk}/progress/bridge/"))
    assert "Single-leg bridge test Back to your progress A strength test you count yourself" in text
    assert "How to do it You need:" in text and "Full repetitions on your sore leg" in text
    assert "the patient" not in text and "Pat Clinic" not in text
