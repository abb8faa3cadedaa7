"""Marking a session attended or a no-show: the therapist, once it started; both see it."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.booking.models import Appointment
from tests.clinic.support import Clinic, start_session

pytestmark = pytest.mark.django_db


def test_the_therapist_marks_a_started_session_and_both_see_it(clinic: Clinic) -> None:
    start_session(clinic.appointment)
    therapist = clinic.client("therapist")
    url = f"/clinic/appointments/{clinic.appointment.pk}/attendance/"
    page = therapist.get(url)
    assert page.status_code == 200 and "Did the patient attend?" in page.content.decode()
    response = therapist.post(url, {"attendance": "no_show"})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=clinic.appointment.pk).attendance == "no_show"
    for who in ("therapist", "patient"):
        body = clinic.client(who).get(f"/booking/appointments/{clinic.appointment.pk}/")
        assert body.status_code == 200
        assert '<strong id="attendance">Did not attend</strong>' in body.content.decode(), who
    entry = AuditEntry.objects.filter(target_type="appointment", action="record.changed").get()
    assert entry.details == {"change": "attendance", "from": "", "to": "no_show"}
    assert entry.subject_id == clinic.patient.pk
    # A correction replaces the mark, audited again.
    therapist.post(url, {"attendance": "attended"})
    assert Appointment.objects.get(pk=clinic.appointment.pk).attendance == "attended"
    changes = AuditEntry.objects.filter(target_type="appointment", action="record.changed")
    assert changes.count() == 2


def test_a_session_not_begun_shows_no_attendance(clinic: Clinic) -> None:
    """Before the start there is nothing to read or mark: no "Attendance: Not marked yet"
    on a session days away (a phone walk found it worrying), and no link that could only
    say "once the session has started"."""
    page = f"/booking/appointments/{clinic.appointment.pk}/"
    assert clinic.appointment.start > timezone.now()
    for who in ("therapist", "patient"):
        body = clinic.client(who).get(page).content.decode()
        assert 'id="attendance"' not in body and "Mark attendance" not in body, who
    start_session(clinic.appointment)
    for who in ("therapist", "patient"):
        body = clinic.client(who).get(page).content.decode()
        assert '<strong id="attendance">Not marked yet</strong>' in body, who
        assert ("Mark attendance" in body) is (who == "therapist"), who


def test_a_cancelled_session_shows_no_attendance_to_mark(clinic: Clinic) -> None:
    from rehabit.booking import services

    page = f"/booking/appointments/{clinic.appointment.pk}/"
    services.cancel(clinic.appointment.pk, actor=clinic.patient, reason="Feeling better")
    start_session(clinic.appointment)  # its time has come: still nothing to mark
    for who in ("therapist", "patient"):
        body = clinic.client(who).get(page).content.decode()
        assert "Cancelled" in body and 'id="attendance"' not in body, who


def test_not_before_the_start_and_not_a_made_up_value(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    url = f"/clinic/appointments/{clinic.appointment.pk}/attendance/"
    response = therapist.post(url, {"attendance": "attended"}, follow=True)
    assert "once the session has started" in response.content.decode()
    assert Appointment.objects.get(pk=clinic.appointment.pk).attendance == ""
    start_session(clinic.appointment)
    bad = therapist.post(url, {"attendance": "maybe"})
    assert bad.status_code == 422 and "Choose attended or did not attend." in bad.content.decode()
    assert Appointment.objects.get(pk=clinic.appointment.pk).attendance == ""


def test_the_api_marks_attendance_for_the_sessions_therapist_only(clinic: Clinic) -> None:
    url = f"/api/v1/appointments/{clinic.appointment.pk}/attendance"
    body = json.dumps({"attendance": "attended"})
    early = clinic.client("therapist").put(url, body, content_type="application/json")
    assert early.status_code == 409
    start_session(clinic.appointment)
    for who in ("patient", "unshared", "stranger"):
        refused = clinic.client(who).put(url, body, content_type="application/json")
        assert refused.status_code == 404, who
    done = clinic.client("therapist").put(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["attendance"] == "attended"
    bad = clinic.client("therapist").put(
        url, json.dumps({"attendance": "late"}), content_type="application/json"
    )
    assert bad.status_code == 422


def test_a_marked_past_session_reads_attended_not_booked(clinic: Clinic) -> None:
    """Once marked, the status is the attendance, on the session's page and in both
    people's lists (it read "Booked" under the mark)."""
    past = timezone.now() - timedelta(days=2)
    length = clinic.appointment.end - clinic.appointment.start
    Appointment.objects.filter(pk=clinic.appointment.pk).update(start=past, end=past + length)
    therapist = clinic.client("therapist")
    therapist.post(
        f"/clinic/appointments/{clinic.appointment.pk}/attendance/", {"attendance": "attended"}
    )
    for who in ("therapist", "patient"):
        page = clinic.client(who).get(f"/booking/appointments/{clinic.appointment.pk}/")
        assert re.search(r'id="status">\s*Attended\s*<', page.content.decode()), who
        listed = clinic.client(who).get("/booking/appointments/").content.decode()
        assert re.search(r'class="status status-attended">Attended<', listed), who
    chart = therapist.get(f"/therapist/patients/{clinic.patient.pk}/").content.decode()
    assert "Attended" in chart and "Booked (Attended)" not in chart


def test_a_therapists_own_list_names_each_patient_and_offers_no_booking(clinic: Clinic) -> None:
    """The list is written for patients; a therapist reading it (the appointment page's
    "All my appointments") saw "Nothing booked. Book a session" and past rows without the
    patient's name."""
    past = timezone.now() - timedelta(days=2)
    length = clinic.appointment.end - clinic.appointment.start
    Appointment.objects.filter(pk=clinic.appointment.pk).update(start=past, end=past + length)
    from django.test import Client

    from tests.accounts.helpers import login
    from tests.booking.support import make_therapist

    new = login(Client(), make_therapist("Nell New").user, mfa=True)
    listed = new.get("/booking/appointments/").content.decode()
    assert "Nothing booked with you yet." in listed and "Nothing booked. " not in listed
    assert 'href="/therapist/schedule/"' in listed
    mine = clinic.client("therapist").get("/booking/appointments/").content.decode()
    assert "patient: Pat Clinic" in mine and 'href="/therapist/schedule/"' in mine
    own = clinic.client("patient").get("/booking/appointments/").content.decode()
    assert "with Tara Therapist" in own and "/therapist/schedule/" not in own
