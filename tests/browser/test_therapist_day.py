"""A therapist's day on a desktop, in real Chromium, from a booked patient to a signed
note: the therapist opens "Patients", the patient's chart (the clinician's intake
summary, the log with the patient's own note), starts a first video assessment from its
template, fills the tele-examination, is refused signing without a plan (nothing typed
is lost), signs, and adds an addendum; the note is printed and downloaded as PDF. axe
finds no serious or critical problem on any page.

Written to be extended into the whole day of issue 11 (invitation -> availability ->
booked patient -> chart -> note signed -> program changed -> the patient sees the change
on a phone): each part is a step function taking the ``Day``; the onboarding steps live
in test_therapist_onboarding.py, the program steps belong to the clinic's tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from rehabit.accounts.consent import set_sharing
from rehabit.charts.models import ClinicalNote
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_patient, make_therapist
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in
from tests.care.helpers import make_assessment
from tests.charts.support import logged_with_check_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENT_NOTE_SHOWN = "Felt a twinge on the third set"


@dataclass
class Day:
    page: Any
    base: str
    therapist: Any
    patient: Any
    appointment: Any
    assessment: Any


def booked_patient(page: Any, base: str) -> Day:
    """A therapist with a patient who booked them, shares their record, did the online
    assessment and logged a session with a note (the step after availability)."""
    therapist = make_therapist("Tara Therapist")
    patient = make_patient("pat.day@example.org", "Pat Day")
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(hours=2)))
    set_sharing(patient, therapist.user, True, source="test")
    assessment = make_assessment(owner=patient)
    logged_with_check_in(assessment)
    sign_in(page, base, therapist.user, mfa=True)
    return Day(page, base, therapist, patient, appointment, assessment)


def open_chart(day: Day) -> None:
    page = day.page
    page.goto(day.base + "/therapist/")
    nav = page.get_by_role("navigation", name="Therapist workspace")
    nav.get_by_role("link", name="Patients").click()
    page.wait_for_url("**/therapist/patients/")
    assert_accessible(page)
    page.get_by_role("link", name="Pat Day").click()
    page.wait_for_url(f"**/therapist/patients/{day.patient.pk}/")
    intake = page.locator("section.intake")
    assert intake.get_by_role("heading", name="Intake summary").is_visible()
    assert "31-year-old woman" in intake.inner_text()
    assert intake.get_by_role("heading", name="Red flags asked and answered").is_visible()
    assert PATIENT_NOTE_SHOWN in page.locator("table.session-log").inner_text()
    assert_accessible(page)


def sign_note(day: Day) -> ClinicalNote:
    page = day.page
    page.get_by_label("First video assessment").check()
    page.get_by_role("button", name="Start the note").click()
    page.wait_for_url(f"**/therapist/patients/{day.patient.pk}/notes/*/")
    subjective = page.get_by_label("Subjective")
    assert subjective.input_value().startswith("Online intake (")
    assert_accessible(page)
    page.get_by_label("Objective").fill("Antalgic gait, guarded on sit to stand.")
    page.get_by_label("Gait").select_option("antalgic")
    page.get_by_label("Slump test").select_option("posterior_thigh")
    page.get_by_label("Straight leg raise: angle at symptoms (estimated)").fill("55")
    page.get_by_label("Assessment", exact=True).fill("Grade 1 hamstring strain, mid belly.")
    page.get_by_role("button", name="Sign the note").click()
    # No plan yet: refused, with the reason, and every word still there.
    assert page.get_by_role("alert").is_visible()
    assert "Write this before signing" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Gait").input_value() == "antalgic"
    assert page.get_by_label("Objective").input_value().startswith("Antalgic gait")
    assert_accessible(page)
    page.get_by_label("Plan", exact=True).fill("Isometrics, walking; review in one week.")
    page.get_by_role("button", name="Sign the note").click()
    page.wait_for_url(f"**/therapist/patients/{day.patient.pk}/notes/*/")
    assert page.get_by_text("The note is signed. It can no longer be changed.").is_visible()
    assert "Signed by Tara Therapist" in page.locator(".signature").inner_text()
    assert_accessible(page)
    page.get_by_label("Addendum", exact=True).fill("The patient also reported night cramps.")
    page.get_by_role("button", name="Add the addendum").click()
    assert page.locator(".addendum").get_by_text("night cramps").is_visible()
    note = ClinicalNote.objects.get(patient=day.patient)
    assert note.is_signed and note.exam["slump"] == "posterior_thigh"
    assert note.exam["straight_leg_raise_angle"] == 55
    return note


def print_and_download(day: Day, note: ClinicalNote) -> None:
    page = day.page
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Print view").click()
    page.wait_for_url("**/print/")
    assert "Grade 1 hamstring strain" in page.locator("body").inner_text()
    assert_accessible(page)


def test_booked_patient_to_chart_to_signed_note(page: Any, live_server: Any) -> None:
    day = booked_patient(page, live_server.url)
    open_chart(day)
    note = sign_note(day)
    print_and_download(day, note)


def test_the_patients_progress_chart_keeps_the_pages_text_size_on_a_desktop(
    page: Any, live_server: Any
) -> None:
    """Progress charts are drawn at a phone's width and scale with their box. The patient's
    progress page caps them at 26rem; the therapist's chart page did not, so on a desktop
    the chart filled the column and its text grew to about 35 px."""
    from django.utils import timezone

    from rehabit.assessments.models import Assessment
    from tests.browser.test_progress_flow import CHART_TEXT_PX, WEEK
    from tests.outcomes.helpers import diary_form

    day = booked_patient(page, live_server.url)
    Assessment.objects.filter(pk=day.assessment.pk).update(
        created_at=timezone.now() - timedelta(days=6)
    )
    patient = login(Client(), day.patient)
    today = timezone.localdate()
    for n, (now, worst) in enumerate(WEEK):
        entry = diary_form(today - timedelta(days=6 - n), now, worst)
        response = patient.post(f"/care/{day.assessment.pk}/diary/", entry)
        assert response.status_code == 302
    page.goto(f"{day.base}/therapist/patients/{day.patient.pk}/")
    texts = page.evaluate(CHART_TEXT_PX)
    assert len(texts) >= 10, texts
    largest = max(texts, key=lambda t: t[1])
    assert largest[1] <= 20, f"{largest[0]!r} is {largest[1]:.1f} px"
    box = page.locator("svg.chart-svg").first.bounding_box()
    assert box is not None and box["width"] <= 26 * 16 + 1
    assert_accessible(page)
