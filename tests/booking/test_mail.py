"""E-mails through a real SMTP server (aiosmtpd), with their calendar files parsed back
by icalendar and checked field by field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar

from rehabit.accounts.models import Profile
from rehabit.booking import reminders, services
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Reminder
from rehabit.booking.people import zone_of
from tests.booking.support import (
    Mailbox,
    book,
    calendar_part,
    free_start,
    make_patient,
    make_therapist,
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
    body = text_body(to_therapist)
    assert "Pat Booker booked an online session with you." in body
    # The rule told to the therapist, in their zone: what binds the patient, not them.
    deadline = (start - timedelta(hours=24)).astimezone(ZoneInfo("Europe/London"))
    assert "The patient can cancel or move this appointment online until" in body
    assert deadline.strftime("%H:%M") in body and "Europe/London" in body
    assert "You can move or cancel it at any time." in body
    assert "You can cancel or move this appointment" not in body
    assert "write to your therapist" not in body

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
    moved_notice = text_body(mailbox.to(therapist.user.email)[0])
    assert moved_notice.count("You moved this session") == 1
    assert "The patient can cancel or move this appointment online until" in moved_notice
    assert "write to your therapist" not in moved_notice

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


def test_a_therapist_who_never_saved_a_profile_reads_times_in_the_therapist_zone(
    mailbox: Mailbox, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A therapist's zone is the therapist record's (their working hours are in it), for
    every message, not UTC until they happen to save a profile."""
    therapist = make_therapist("Nora Newyork", zone="America/New_York")
    Profile.objects.filter(user=therapist.user).update(time_zone="")
    start = free_start(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, therapist, start)
    run_queued_tasks("test-worker")
    (booked,) = mailbox.to(therapist.user.email)
    local = start.astimezone(ZoneInfo("America/New_York"))
    for text in (text_body(booked), str(booked["Subject"])):
        assert local.strftime("%H:%M") in text
        assert "America/New York" in text and "UTC" not in text
    _, event, _ = parse(booked)
    assert event["DTSTART"].params["TZID"] == "America/New_York"

    Reminder.objects.filter(appointment=appointment, kind="24h").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    reminders.sweep("test-worker")
    (reminded,) = [m for m in mailbox.to(therapist.user.email) if m is not booked]
    assert "America/New York" in text_body(reminded) and "UTC" not in text_body(reminded)

    # One rule decides everyone's zone: the therapist record over a profile's choice.
    user = get_user_model().objects.get(pk=therapist.user.pk)
    assert zone_of(user) == "America/New_York"
    Profile.objects.filter(user=user).update(time_zone="Asia/Tokyo")
    assert zone_of(get_user_model().objects.get(pk=user.pk)) == "America/New_York"
    assert zone_of(patient) == "Asia/Kolkata"
    nobody = make_patient("no.zone@example.org", "No Zone")
    Profile.objects.filter(user=nobody).update(time_zone="")
    assert zone_of(get_user_model().objects.get(pk=nobody.pk)) == "UTC"


def test_mails_for_a_session_inside_the_change_window_do_not_name_a_deadline_gone(
    mailbox: Mailbox,
    patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Walk 4: booked less than 24 hours ahead, the confirmation said "You can cancel or
    move this appointment online until" a time before the booking itself."""
    start = free_start(therapist, after=timedelta(hours=2))
    assert start - timezone.now() < timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, start)
    run_queued_tasks("test-worker")
    (to_patient,) = mailbox.to(patient.email)
    body = text_body(to_patient)
    assert "This appointment can no longer be cancelled or moved online" in body
    assert "24 hours before it starts" in body and "write to your therapist" in body
    assert "You can cancel or move this appointment online until" not in body
    (to_therapist,) = mailbox.to(therapist.user.email)
    body = text_body(to_therapist)
    assert "The patient can no longer cancel or move this appointment online" in body
    assert "You can move or cancel it at any time." in body
    assert "The patient can cancel or move this appointment online until" not in body
