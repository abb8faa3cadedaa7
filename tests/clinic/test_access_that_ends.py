"""Access a therapist holds ends when it should, and a read is audited however it comes
(found by a review of the code as an attacker would read it):

* an account whose therapist role is taken away keeps its ``Therapist`` row (the sessions
  are history) but none of the therapist's access: it signs in as a patient does, without
  a second factor, and read messages, the schedule and the appointments before;
* a session that has taken place cannot be moved: moving a session held two months ago
  into next week made a new one, and with it the 30 days of access to the patient's record
  that had run out, without the patient booking anything;
* acknowledging an alert a second time returns it (the patient's warning signs) and is
  audited as a read."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.accounts.roles import PATIENT, assign_role
from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.booking.models import Appointment, AppointmentStatus
from rehabit.booking.people import display_name
from rehabit.clinic import messaging
from rehabit.clinic.errors import Refused
from rehabit.clinic.models import Alert
from rehabit.mail.models import OutgoingMessage
from tests.accounts.helpers import login
from tests.booking.support import free_start
from tests.clinic.support import Clinic
from tests.clinic.test_alerts import _check_in_page, _log

pytestmark = pytest.mark.django_db

WORDS = "My sciatica is worse and my foot is numb"


def _reads(client: Any, clinic: Clinic, thread: Any) -> dict[str, Any]:
    appointment = clinic.appointment.pk
    return {
        "thread page": client.get(f"/clinic/messages/{thread.pk}/"),
        "thread API": client.get(f"/api/v1/messages/threads/{thread.pk}"),
        "schedule page": client.get("/therapist/schedule/"),
        "schedule API": client.get("/api/v1/therapist/schedule"),
        "appointment page": client.get(f"/booking/appointments/{appointment}/"),
        "appointment API": client.get(f"/api/v1/appointments/{appointment}"),
    }


def test_a_therapist_whose_role_is_taken_away_reads_nothing_of_their_patients(
    clinic: Clinic,
) -> None:
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, WORDS)
    before = _reads(clinic.client("therapist"), clinic, thread)
    assert {name: r.status_code for name, r in before.items()} == dict.fromkeys(before, 200)
    assert WORDS in before["thread page"].content.decode()

    user = clinic.therapist.user
    assign_role(user, PATIENT)
    client = login(Client(), user)  # a patient's sign-in: no second factor
    after = _reads(client, clinic, thread)
    patient_name = display_name(clinic.patient)
    for name, response in after.items():
        body = response.content.decode()
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        assert WORDS not in body and patient_name not in body, name
    assert client.get("/api/v1/appointments").json() == []
    moved = client.patch(
        f"/api/v1/appointments/{clinic.appointment.pk}",
        json.dumps({"start": free_start(clinic.therapist, after=timedelta(days=9)).isoformat()}),
        content_type="application/json",
    )
    assert moved.status_code == 404
    sent = client.post(
        f"/api/v1/messages/threads/{thread.pk}/messages",
        json.dumps({"body": "Hello"}),
        content_type="application/json",
    )
    assert sent.status_code in (403, 404)
    assert messaging.side_of(user, thread) is None


def test_a_patient_is_told_their_therapist_has_gone_and_no_mail_goes_to_them(
    clinic: Clinic,
) -> None:
    """The role taken away, the account is nobody's therapist: the patient's conversation
    with it closes, saying why, and nothing written reaches the account, not even the
    "a new message is waiting" e-mail (a review: it was still posted)."""
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, WORDS)
    mails = OutgoingMessage.objects.filter(kind="message", recipient=clinic.therapist.user)
    assert mails.count() == 1
    messaging.send(clinic.therapist.user, thread, "Thank you, I will call you")

    assign_role(clinic.therapist.user, PATIENT)
    patient = clinic.client("patient")
    page = patient.get(f"/clinic/messages/{thread.pk}/")
    body = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert WORDS in body  # the conversation so far stays the patient's to read
    assert (
        f"{clinic.therapist.name} no longer sees patients on Rehabit, so messages can no "
        "longer be sent here."
    ) in body
    assert 'name="body"' not in body
    sent = patient.post(f"/clinic/messages/{thread.pk}/", {"body": "Are you there?"}, follow=True)
    assert (
        f"{clinic.therapist.name} no longer sees patients on Rehabit, so messages can no "
        "longer be sent."
    ) in " ".join(sent.content.decode().split())
    api = patient.post(
        f"/api/v1/messages/threads/{thread.pk}/messages",
        json.dumps({"body": "Are you there?"}),
        content_type="application/json",
    )
    assert api.status_code == 403, api.content
    assert patient.get(f"/api/v1/messages/threads/{thread.pk}").json()["can_send"] is False
    assert not thread.messages.filter(body="Are you there?").exists()
    assert mails.count() == 1  # nothing new for the account


def test_a_therapist_whose_role_is_taken_away_is_not_offered_to_write_to(
    clinic: Clinic,
) -> None:
    offer = f'name="therapist" value="{clinic.unshared.pk}"'  # booked, no conversation yet
    patient = clinic.client("patient")
    assert offer in patient.get("/clinic/messages/").content.decode()
    assign_role(clinic.unshared.user, PATIENT)
    assert offer not in patient.get("/clinic/messages/").content.decode()
    with pytest.raises(Refused):
        messaging.open_thread(clinic.patient, therapist_id=clinic.unshared.pk)


def test_a_therapist_whose_role_is_taken_away_leaves_the_search_and_their_settings(
    clinic: Clinic,
) -> None:
    """The by-id availability page asked only whose record it was, not the role: the
    account, signed in as a patient without a second factor, still changed the hours and
    the booking horizon, and patients still found and booked it (a review)."""
    therapist = clinic.therapist
    page = f"/booking/therapists/{therapist.pk}/availability/"
    assert clinic.client("therapist").get(page).status_code == 200
    assert therapist.name in Client().get("/booking/").content.decode()
    horizon = therapist.horizon_days

    assign_role(therapist.user, PATIENT)
    client = login(Client(), therapist.user)
    assert client.get(page).status_code == 404
    settings = {"action": "settings", "notice_hours": "1", "horizon_days": "365"}
    assert client.post(page, settings).status_code == 404
    therapist.refresh_from_db()
    assert therapist.horizon_days == horizon
    assert not therapist.is_listed  # unlisted as a deactivated therapist is
    assert therapist.name not in Client().get("/booking/").content.decode()
    # Their sessions stay: the record is kept, only the search and the bookings end.
    assert Appointment.objects.filter(pk=clinic.appointment.pk, therapist=therapist).exists()


def test_a_session_held_cannot_be_moved_to_reopen_the_record(clinic: Clinic) -> None:
    start = timezone.now() - timedelta(days=60)
    length = clinic.appointment.end - clinic.appointment.start
    Appointment.objects.filter(pk=clinic.appointment.pk).update(start=start, end=start + length)
    chart = f"/api/v1/patients/{clinic.patient.pk}/chart"
    therapist = clinic.client("therapist")
    assert therapist.get(chart).status_code == 404  # the 30 days have run out
    later = free_start(clinic.therapist, after=timedelta(days=5)).isoformat()
    for who in ("therapist", "patient"):
        moved = clinic.client(who).patch(
            f"/api/v1/appointments/{clinic.appointment.pk}",
            json.dumps({"start": later}),
            content_type="application/json",
        )
        assert moved.status_code == 409, moved.content
        assert moved.json()["code"] == "already_held"
        assert moved.json()["detail"] == (
            "This session has already taken place, so it cannot be moved. Book a new session "
            "instead."
        )
    assert therapist.get(chart).status_code == 404
    held = Appointment.objects.get(pk=clinic.appointment.pk)
    assert held.status == AppointmentStatus.BOOKED and held.start == start  # nothing changed


def test_acknowledging_an_alert_again_is_audited_as_a_read(clinic: Clinic) -> None:
    _check_in_page(clinic, _log(clinic, 20), next_morning="same", settled_within_24h="yes",
                   signs=["fever"])  # fmt: skip
    alert = Alert.objects.get()
    therapist = clinic.client("therapist")
    url = f"/api/v1/alerts/{alert.pk}/acknowledge"
    assert therapist.post(url).status_code == 200
    reads = AuditEntry.objects.filter(
        subject_id=clinic.patient.pk, action=AuditAction.RECORD_VIEWED, target_type="alert"
    )
    before = reads.count()
    again = therapist.post(url)
    assert again.status_code == 200 and again.json()["signs"]
    assert reads.count() == before + 1
