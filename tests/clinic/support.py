"""Builders for the clinic tests: a small practice with every kind of relationship."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rehabit.accounts.consent import set_sharing
from rehabit.booking.models import Appointment, Therapist
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_patient, make_therapist
from tests.care.helpers import make_assessment


@dataclass
class Clinic:
    therapist: Therapist  # booked by the patient, who shares their record with them
    patient: Any
    assessment: Any
    appointment: Appointment
    unshared: Therapist  # booked by the patient, no share: messages yes, record no
    stranger: Therapist  # no relationship at all
    other_patient: Any

    def client(self, who: str) -> Client:
        users = {
            "therapist": self.therapist.user,
            "unshared": self.unshared.user,
            "stranger": self.stranger.user,
            "patient": self.patient,
            "other_patient": self.other_patient,
        }
        staff = who in ("therapist", "unshared", "stranger")
        return login(Client(), users[who], mfa=staff)


def make_clinic() -> Clinic:
    therapist = make_therapist("Tara Therapist")
    unshared = make_therapist("Uma Unshared")
    stranger = make_therapist("Sam Stranger")
    patient = make_patient("pat.clinic@example.org", "Pat Clinic")
    other = make_patient("olga.other@example.org", "Olga Other")
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    book(patient, unshared, free_start(unshared, after=timedelta(days=3)))
    book(other, stranger, free_start(stranger, after=timedelta(days=2)))
    set_sharing(patient, therapist.user, True, source="test")
    assessment = make_assessment(owner=patient)
    return Clinic(therapist, patient, assessment, appointment, unshared, stranger, other)


def start_session(appointment: Appointment) -> None:
    """Move the clock's view of the appointment: it started an hour ago (for attendance)."""
    start = timezone.now() - timedelta(hours=1)
    length = appointment.end - appointment.start
    Appointment.objects.filter(pk=appointment.pk).update(start=start, end=start + length)
    appointment.refresh_from_db()


ALERT_LISTS = ("/clinic/alerts/", "/api/v1/alerts")


def queries_to_list_alerts(client: Client) -> int:
    """The queries the alerts page and the API's list make together, read after a first
    visit (which records the session)."""
    client.get(ALERT_LISTS[0])
    with CaptureQueriesContext(connection) as queries:
        for url in ALERT_LISTS:
            assert client.get(url).status_code == 200, url
    return len(queries)
