"""Closing an account cancels the person's upcoming sessions through the booking actions
first (security finding 9): inside the change window too, the therapist is told by e-mail
with a calendar cancellation, and the freed time goes to the waitlist."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from rehabit.accounts.erasure import erase_account
from rehabit.audit.models import AuditEntry
from rehabit.booking import waitlist
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.messages import patient_may_change
from rehabit.booking.models import Appointment, WaitlistOffer
from rehabit.mail import outbox
from tests.accounts.helpers import PASSWORD, login
from tests.booking.support import (
    FIRST,
    Mailbox,
    book,
    calendar_part,
    free_start,
    make_therapist,
    text_body,
)

pytestmark = pytest.mark.django_db


def test_closing_the_account_cancels_upcoming_sessions_and_tells_each_therapist(
    mailbox: Mailbox,
    patient: Any,
    other_patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    second = make_therapist("Sid Second", zone="America/New_York")
    soon = free_start(therapist, after=timedelta(hours=3))  # inside the 24-hour window
    later = free_start(second, after=timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        inside = book(patient, therapist, soon)
        outside = book(patient, second, later)
    assert not patient_may_change(inside), "the patient could not cancel it online"
    # Someone waits for an earlier time with the first therapist.
    waitlist.join(
        patient=other_patient,
        therapist=therapist,
        specialty="",
        kind=FIRST,
        wanted_before=soon + timedelta(days=1),
    )
    run_queued_tasks("before")
    outbox.send_due("before")
    mailbox.messages.clear()

    client = login(Client(), patient)
    client.post(client.get("/account/data/delete/")["Location"], {"password": PASSWORD})
    warning = client.get("/account/data/delete/").content.decode()
    assert "upcoming sessions are cancelled first, even those less than a day away" in warning
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/data/delete/", {"confirm": "on"})
    assert response.status_code == 302
    run_queued_tasks("after")
    outbox.send_due("after")

    assert not Appointment.objects.filter(pk__in=[inside.pk, outside.pk]).exists()
    cancels = AuditEntry.objects.filter(action="booking.cancelled", subject_id=patient.pk)
    assert {e.target_id for e in cancels} == {str(inside.pk), str(outside.pk)}
    assert WaitlistOffer.objects.filter(entry__patient=other_patient, start=soon).exists()

    (to_first,) = mailbox.to(therapist.user.email)
    (to_second,) = mailbox.to(second.user.email)
    assert not mailbox.to(patient.email), "the erased person gets nothing more"
    body = text_body(to_first)
    assert "cancelled" in body and "closed their Rehabit account" in body
    assert "Pat" not in body and "Booker" not in body and patient.email not in body
    assert "(GMT" in body or "(BST" in body or "Europe/London" in body
    raw, part = calendar_part(to_second)
    calendar = Calendar.from_ical(raw)
    (event,) = calendar.events
    assert str(calendar["METHOD"]) == "CANCEL" and part.get_param("method") == "CANCEL"
    assert str(event["UID"]) == outside.ical_uid
    assert int(event["SEQUENCE"]) == outside.sequence + 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.start == later
    # Named like every other calendar file: what and which day, on the therapist's clock.
    day = later.astimezone(ZoneInfo("America/New_York")).date().isoformat()
    assert part.get_filename() == f"rehabit-cancelled-session-{day}.ics"
    # The session's time on the second therapist's clock, its zone named (EST or EDT by date).
    assert re.search(r"\((EST|EDT), America/New.York\)", text_body(to_second))


def test_past_sessions_are_erased_without_notices(
    mailbox: Mailbox,
    patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import time_machine

    with django_capture_on_commit_callbacks(execute=True):
        past = book(patient, therapist, free_start(therapist))
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=True):
        run_queued_tasks("before")
        outbox.send_due("before")
        mailbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            erase_account(patient)
        run_queued_tasks("after")
        outbox.send_due("after")
    assert not Appointment.objects.filter(pk=past.pk).exists()
    assert mailbox.messages == []
    assert not AuditEntry.objects.filter(action="booking.cancelled").exists()
