"""What a therapist stumbled on walking a day through the workspace (December 2026): a
refused "Restore" or "Back to the automatic program" said nothing where it was typed; the
change form offered dosage boxes the exercise does not have (then refused them) and did
not say the number in use; the program page, the alerts and a conversation had no way to
the patient's chart; the chart had no way to message the patient, nor (for a program
withheld for safety) to the form that records a clinician's examination."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.utils import timezone

from rehabit.assessments.models import Assessment
from rehabit.care.programs import program_for
from tests.care.helpers import make_assessment
from tests.charts.support import logged_with_check_in
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db

REASON = "Rest from walking for now."


def _url(clinic: Clinic) -> str:
    return f"/clinic/patients/{clinic.patient.pk}/program/"


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _form_of(page: str, anchor: str) -> str:
    """The change form of one exercise (from its first box to its submit button)."""
    start = page.index(f'id="{anchor}-exercise"')
    return page[start : page.index("</form>", start)]


def test_a_restore_refused_for_want_of_a_reason_says_so_at_its_box(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    stop = {"action": "save", "family": "walking", "exercise": "stop", "rule": "automatic",
            "note": "", "reason": REASON}  # fmt: skip
    assert therapist.post(_url(clinic), stop).status_code == 302
    response = therapist.post(_url(clinic), {"action": "reset", "family": "walking", "reason": ""})
    assert response.status_code == 422
    page = _page(response)
    stopped = page[page.index('id="stopped"') :]
    assert 'id="restore-walking-error"' in stopped, stopped[:1500]
    assert "Write the reason for the change." in stopped
    assert re.search(r'id="restore-walking"[^>]*aria-invalid="true"', stopped)
    assert "Reason for restoring it (shown to the patient)" in stopped
    assert program_for(clinic.assessment).item_for("walking") is None  # still stopped


def test_a_reset_refused_says_so_at_its_own_box_not_in_the_change_form(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    change = {"action": "save", "family": "walking", "exercise": "walking_programme",
              "rule": "hold", "note": "", "reason": "Hold the walks here."}  # fmt: skip
    assert therapist.post(_url(clinic), change).status_code == 302
    response = therapist.post(
        _url(clinic), {"action": "reset", "family": "walking", "reason": "", "note": "x"}
    )
    assert response.status_code == 422
    page = _page(response)
    assert 'id="reset-walking-error"' in page
    assert re.search(r'id="reset-walking"[^>]*aria-invalid="true"', page)
    assert 'id="walking-reason-error"' not in page  # the change form is not blamed
    item = page[page.index('id="family-walking"') :]
    assert "<details open>" in item[: item.index("</details>")]
    assert f'action="/clinic/patients/{clinic.patient.pk}/program/#family-walking"' in item


def test_the_change_form_offers_only_the_exercises_own_dosage_and_says_the_number_now(
    clinic: Clinic,
) -> None:
    page = _page(clinic.client("therapist").get(_url(clinic)))
    walking = _form_of(page, "walking")
    assert 'id="walking-minutes"' in walking and 'id="walking-days_per_week"' in walking
    for other in ("sets", "reps", "hold_seconds", "rest_seconds"):
        assert f'id="walking-{other}"' not in walking, other
    item = program_for(clinic.assessment).item_for("walking")
    assert f'Minutes <span class="hint">(now {item.dosage["minutes"]})</span>' in walking
    held = _form_of(page, "hamstring_isometric")
    assert 'id="hamstring_isometric-hold_seconds"' in held
    assert 'id="hamstring_isometric-minutes"' not in held
    added = _form_of(page, "add")  # no exercise chosen yet: every box, no number
    assert 'id="add-minutes"' in added and 'id="add-reps"' in added and "(now" not in added


def test_a_refused_box_stays_on_the_page_with_its_message(clinic: Clinic) -> None:
    data = {"action": "save", "family": "hamstring_isometric", "exercise": "isometric_heel_dig",
            "rule": "automatic", "note": "", "reason": "More.", "dosage_minutes": "5"}  # fmt: skip
    response = clinic.client("therapist").post(_url(clinic), data)
    assert response.status_code == 422
    form = _form_of(_page(response), "hamstring_isometric")
    assert 'id="hamstring_isometric-minutes-error"' in form


def test_the_program_page_the_alerts_and_a_conversation_lead_to_the_chart(
    clinic: Clinic,
) -> None:
    chart = f'href="/therapist/patients/{clinic.patient.pk}/"'
    therapist = clinic.client("therapist")
    program = _page(therapist.get(_url(clinic)))
    assert chart in program and "Back to the chart of Pat Clinic" in program
    logged_with_check_in(clinic.assessment)  # a warning sign: an alert
    alerts = _page(therapist.get("/clinic/alerts/"))
    card = alerts[alerts.index('class="card alert') :]
    assert chart in card and "Open the patient's chart" in card
    opened = therapist.post("/clinic/messages/", {"patient": clinic.patient.pk})
    assert opened.status_code == 302
    thread = _page(therapist.get(opened["Location"]))
    assert chart in thread


def test_a_therapist_without_the_share_gets_no_chart_link_in_a_conversation(
    clinic: Clinic,
) -> None:
    unshared = clinic.client("unshared")
    opened = unshared.post("/clinic/messages/", {"patient": clinic.patient.pk})
    assert opened.status_code == 302
    thread = _page(unshared.get(opened["Location"]))
    assert f"/therapist/patients/{clinic.patient.pk}/" not in thread


def test_the_chart_offers_a_message_to_the_patient(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    page = _page(therapist.get(f"/therapist/patients/{clinic.patient.pk}/"))
    form = page[page.index('id="message-patient"') - 200 :]
    form = form[: form.index("</form>")]
    assert 'action="/clinic/messages/"' in form
    assert f'name="patient" value="{clinic.patient.pk}"' in form
    assert "Message the patient" in form


def test_the_chart_of_a_withheld_program_leads_to_the_clearance_form(clinic: Clinic) -> None:
    withheld = make_assessment("urgent", owner=clinic.patient)
    Assessment.objects.filter(pk=withheld.pk).update(created_at=timezone.now())
    therapist = clinic.client("therapist")
    chart = f"/therapist/patients/{clinic.patient.pk}/"
    page = _page(therapist.get(chart))
    link = f'href="/clinic/patients/{clinic.patient.pk}/program/#clearance"'
    assert link in page and "Record a clinician's examination" in page
    program = _page(therapist.get(_url(clinic)))
    assert 'id="clearance"' in program
    # An older assessment shown on the chart: the program page is about the latest.
    older = _page(therapist.get(chart, {"assessment": clinic.assessment.pk}))
    assert "Record a clinician's examination" not in older
