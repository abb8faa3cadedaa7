"""Booking moments of issue 13: "Add to calendar" on the confirmation page, a way to write
to the therapist wherever we say "write to your therapist", and one row per appointment
with its earlier times folded."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from rehabit.booking import ics, services
from rehabit.booking.models import Appointment
from rehabit.booking.people import display_name, zone_of
from tests.accounts.helpers import login
from tests.booking.support import book, free_start

pytestmark = pytest.mark.django_db
WRITE_FORM = re.compile(
    r'<form method="post" action="/clinic/messages/" class="write-to-therapist">(.*?)</form>', re.S
)


def _without_stamp(content: bytes) -> tuple[Any, ...]:
    """The calendar's method, zones and event, without the moment it was made (DTSTAMP)
    and the calendar's own random UID."""
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    del event["DTSTAMP"]
    zones = [z.to_ical() for z in calendar.walk("VTIMEZONE")]
    return str(calendar["METHOD"]), zones, event.to_ical()


def test_the_confirmation_page_offers_the_calendar_file_of_the_e_mail(
    patient: Any, therapist: Any, other_patient: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    client = login(Client(), patient)
    page = client.get(f"/booking/appointments/{appointment.pk}/").content.decode()
    link = f'href="/booking/appointments/{appointment.pk}/session.ics" download>Add to my calendar'
    assert link in page
    response = client.get(f"/booking/appointments/{appointment.pk}/session.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    day = appointment.start.astimezone(ZoneInfo("Asia/Kolkata")).date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="rehabit-session-{day}.ics"'
    mailed = ics.appointment_ics(
        appointment, recipient=patient, recipient_name=display_name(patient), zone=zone_of(patient)
    )
    # The very file the confirmation e-mail carries (but for the moment it was made).
    assert _without_stamp(response.content) == _without_stamp(mailed)
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == appointment.ical_uid
    assert "Asia/Kolkata" in response.content.decode()  # in the patient's own zone
    # The therapist gets theirs; nobody else gets one.
    assert (
        login(Client(), therapist.user, mfa=True)
        .get(f"/booking/appointments/{appointment.pk}/session.ics")
        .status_code
        == 200
    )
    other = login(Client(), other_patient).get(
        f"/booking/appointments/{appointment.pk}/session.ics"
    )
    assert other.status_code == 404


def test_after_a_move_the_file_updates_the_same_event(patient: Any, therapist: Any) -> None:
    first = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    moved = services.reschedule(first.pk, actor=patient, start=first.start + timedelta(days=1))
    client = login(Client(), patient)
    old_link = client.get(f"/booking/appointments/{first.pk}/session.ics")
    event = Calendar.from_ical(old_link.content).walk("VEVENT")[0]
    assert str(event["UID"]) == first.ical_uid == moved.ical_uid
    assert int(event["SEQUENCE"]) == moved.sequence > first.sequence
    assert event.decoded("DTSTART") == moved.start


def test_inside_the_change_window_the_patient_can_write_to_the_therapist(
    patient: Any, therapist: Any
) -> None:
    soon = free_start(therapist, after=timedelta(hours=3))
    appointment = book(patient, therapist, soon)
    client = login(Client(), patient)
    for path in ("", "cancel/", "reschedule/"):
        page = client.get(f"/booking/appointments/{appointment.pk}/{path}").content.decode()
        assert "please contact your therapist" not in page.lower()
        assert "write to your therapist" in page.lower()
        form = WRITE_FORM.search(page)
        assert form, path
        assert f'name="therapist" value="{therapist.pk}"' in form.group(1)
        assert f"Write to {therapist.name}" in form.group(1)
    opened = client.post("/clinic/messages/", {"therapist": therapist.pk})
    assert opened.status_code == 302 and re.match(
        r"/clinic/messages/[0-9a-f-]+/$", opened["Location"]
    )


def test_outside_the_window_the_appointment_page_has_no_extra_write_button(
    patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    page = login(Client(), patient).get(f"/booking/appointments/{appointment.pk}/").content
    assert b'class="write-to-therapist"' not in page


def test_a_session_moved_three_times_and_cancelled_is_one_row(patient: Any, therapist: Any) -> None:
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    times = [appointment.start]
    for days in (1, 2, 3):
        appointment = services.reschedule(
            appointment.pk, actor=patient, start=times[0] + timedelta(days=days)
        )
        times.append(appointment.start)
    services.cancel(appointment.pk, actor=patient, reason="Feeling better")
    assert Appointment.objects.filter(patient=patient).count() == 4
    page = login(Client(), patient).get("/booking/appointments/").content.decode()
    rows = page[page.index('class="appointment-rows"') :]
    rows = rows[: rows.index("</ul>\n")]
    assert rows.count('<li><a href="/booking/appointments/') == 1
    assert f'href="/booking/appointments/{appointment.pk}/"' in rows
    assert "Moved from 3 earlier times" in rows
    assert rows.count("Moved") >= 3 and "Cancelled" in rows


def test_a_moved_session_still_coming_up_is_listed_once_with_its_earlier_time(
    patient: Any, therapist: Any
) -> None:
    first = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    moved = services.reschedule(first.pk, actor=patient, start=first.start + timedelta(days=1))
    page = login(Client(), patient).get("/booking/appointments/").content.decode()
    assert page.count(f'href="/booking/appointments/{moved.pk}/"') == 1
    assert f'href="/booking/appointments/{first.pk}/"' not in page
    assert "Moved from an earlier time" in page
    assert timezone.now() < moved.start


def test_old_move_and_cancel_pages_lead_to_the_session_as_it_is_now(
    patient: Any, therapist: Any
) -> None:
    # A move or cancel page opened from an earlier time (the browser's back button, an
    # older e-mail) showed that time as "Booked", said it could still be changed, and
    # offered only a message to the therapist.
    first = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    moved = services.reschedule(first.pk, actor=patient, start=first.start + timedelta(days=1))
    client = login(Client(), patient)
    for page, form in (("reschedule", "Choose a new time"), ("cancel", "Cancel the session")):
        response = client.get(f"/booking/appointments/{first.pk}/{page}/")
        assert response.status_code == 302
        assert response["Location"] == f"/booking/appointments/{moved.pk}/{page}/"
        assert form in client.get(response["Location"]).content.decode()
    services.cancel(moved.pk, actor=patient, reason="")
    for old in (first, moved):
        for page in ("reschedule", "cancel"):
            response = client.get(f"/booking/appointments/{old.pk}/{page}/")
            assert response["Location"] == f"/booking/appointments/{moved.pk}/"
    assert "Cancelled" in client.get(f"/booking/appointments/{moved.pk}/").content.decode()
