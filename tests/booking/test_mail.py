"""E-mails through a real SMTP server (aiosmtpd), with their calendar files parsed back
by icalendar and checked field by field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from rehabit.booking import services
from rehabit.booking.management.commands.worker import run_queued_tasks
from tests.booking.support import (
    Mailbox,
    book,
    calendar_part,
    free_start,
    text_body,
)

pytestmark = pytest.mark.django_db


def parse(message: Any) -> tuple[Calendar, Any, Any]:
    raw, part = calendar_part(message)
    calendar = Calendar.from_ical(raw)
    (event,) = calendar.events
    return calendar, event, part


def test_booking_move_and_cancel_mails_carry_one_evolving_calendar_event(
    mailbox: Mailbox,
    patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = free_start(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, therapist, start, share_record=True)
    run_queued_tasks("test-worker")
    assert len(mailbox.messages) == 2
    (to_patient,) = mailbox.to(patient.email)
    (to_therapist,) = mailbox.to(therapist.user.email)

    # The patient (Asia/Kolkata) gets times in IST; the therapist (Europe/London) in UK time.
    calendar, event, part = parse(to_patient)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert part.get_param("method") == "REQUEST"
    assert str(event["UID"]) == appointment.ical_uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.start == start and event.end == start + timedelta(minutes=45)
    assert event.start.tzinfo.key == "Asia/Kolkata"  # type: ignore[union-attr]
    assert event["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Kolkata"]
    join = f"/booking/appointments/{appointment.pk}/join/"
    assert str(event["LOCATION"]).endswith(join)
    assert str(event["CONFERENCE"]).endswith(join)
    assert "Tara Therapist" in str(event["SUMMARY"])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == f"mailto:{patient.email}"
    local = start.astimezone(ZoneInfo("Asia/Kolkata"))
    body = text_body(to_patient)
    assert local.strftime("%H:%M") in body and "IST, Asia/Kolkata" in body
    assert "Your online session with Tara Therapist is booked." in body
    assert "24 hours before it starts" in body  # the change window, as enforced
    assert local.strftime("%H:%M") in to_patient["Subject"]

    _, event, _ = parse(to_therapist)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert "Pat Booker booked an online session with you." in text_body(to_therapist)

    mailbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule(
            appointment.pk, actor=therapist.user, start=start + timedelta(days=1)
        )
    run_queued_tasks("test-worker")
    (to_patient,) = mailbox.to(patient.email)
    calendar, event, _ = parse(to_patient)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == appointment.ical_uid  # the same event, updated
    assert int(event["SEQUENCE"]) == 1
    assert event.start == start + timedelta(days=1)
    body = text_body(to_patient)
    assert "Tara Therapist moved this session to a new time." in body
    assert f"/booking/appointments/{moved.pk}/" in body
    assert text_body(mailbox.to(therapist.user.email)[0]).count("You moved this session") == 1

    mailbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(moved.pk, actor=patient, reason="Better already")
    run_queued_tasks("test-worker")
    for message in mailbox.messages:
        calendar, event, part = parse(message)
        assert str(calendar["METHOD"]) == "CANCEL" and part.get_param("method") == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == appointment.ical_uid
        assert int(event["SEQUENCE"]) == 2
    assert "Pat Booker cancelled this session." in text_body(mailbox.to(therapist.user.email)[0])
    assert "Better already" in text_body(mailbox.to(therapist.user.email)[0])


def test_each_notice_is_sent_once_even_when_the_worker_runs_twice(
    mailbox: Mailbox, patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, free_start(therapist))
    run_queued_tasks("a")
    run_queued_tasks("b")
    assert len(mailbox.messages) == 2
