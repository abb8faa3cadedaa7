"""The progress and diary pages read by someone other than the patient (a therapist the
patient shares with, from the chart's link "The patient's progress page, with the
tables"): they speak about the patient, not to them. Through the Django test client on
the real database; who may read them is the audited record rule's, unchanged."""

from __future__ import annotations

import html
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
