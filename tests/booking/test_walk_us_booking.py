"""A phone walk as a new patient in the United States (en-US, America/New_York): one way to
write to the therapist on the confirmation page; reminders and calendar files that say only
what the patient can still do when they read them; a calendar file named for what it is and
the day it is on."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar

from rehabit.accounts.models import Profile
from rehabit.booking import reminders, services
from rehabit.booking.messages import patient_may_change
from rehabit.booking.models import Reminder
from rehabit.booking.timefmt import format_when
from tests.accounts.helpers import login
from tests.booking.support import Mailbox, book, free_start, make_patient, text_body

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
WRITE_FORMS = re.compile(r'<form method="post" action="/clinic/messages/"[^>]*>(.*?)</form>', re.S)
MOVE_OR_CANCEL = "See, move or cancel the appointment"


@pytest.fixture
def us_patient(db: Any) -> Any:
    user = make_patient("sam.walker@example.org", "Sam Walker", zone=NEW_YORK)
    Profile.objects.filter(user=user).update(language="en-us")
    user.__dict__.pop("_rehabit_profile", None)
    return user


def _write_forms(page: str) -> list[str]:
    return WRITE_FORMS.findall(page)


def test_the_confirmation_page_inside_the_window_has_one_way_to_write(
    us_patient: Any, therapist: Any
) -> None:
    """Booked 3 hours ahead, the page said "Message your therapist" under the summary and
    "Write to Tara Therapist" under "Change or cancel": two buttons to the same thread."""
    appointment = book(us_patient, therapist, free_start(therapist, after=timedelta(hours=3)))
    page = login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), us_patient).get(
        f"/booking/appointments/{appointment.pk}/"
    )
    text = page.content.decode()
    (form,) = _write_forms(text)
    assert f'name="therapist" value="{therapist.pk}"' in form
    assert "Write to Tara Therapist" in form
    assert "Message your therapist" not in text
    # Further from the session, where "Change or cancel" has its own buttons, the one way
    # to write is the panel's.
    later = book(us_patient, therapist, free_start(therapist, after=timedelta(days=3)))
    text = (
        login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), us_patient)
        .get(f"/booking/appointments/{later.pk}/")
        .content.decode()
    )
    (form,) = _write_forms(text)
    assert "Message your therapist" in form and "Write to" not in text
    # The therapist still has theirs on the session inside the window.
    text = (
        login(Client(), therapist.user, mfa=True)
        .get(f"/booking/appointments/{appointment.pk}/")
        .content.decode()
    )
    (form,) = _write_forms(text)
    assert "Message the patient" in form


def test_reminders_after_the_cut_off_do_not_offer_to_move_or_cancel(
    mailbox: Mailbox, us_patient: Any, therapist: Any
) -> None:
    appointment = book(us_patient, therapist, free_start(therapist, after=timedelta(days=3)))
    for kind, before in (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1))):
        due = appointment.start - before
        with time_machine.travel(due + timedelta(seconds=30), tick=False):
            assert reminders.sweep("w1") == 2, kind
            assert not patient_may_change(appointment, timezone.now())
    mails = mailbox.to(us_patient.email)
    assert len(mails) == 2
    for mail in mails:
        body = text_body(mail)
        assert "can no longer be canceled or moved online" in body, body
        assert MOVE_OR_CANCEL not in body and "move or cancel" not in body.lower()
        assert "See the appointment and write to your therapist:" in body
        assert f"/booking/appointments/{appointment.pk}/" in body
    # The therapist can still move or cancel it at any time, and is told so.
    for mail in mailbox.to(therapist.user.email):
        assert MOVE_OR_CANCEL in text_body(mail)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_notice_before_the_cut_off_still_offers_to_move_or_cancel(
    mailbox: Mailbox,
    us_patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from rehabit.booking.management.commands.worker import run_queued_tasks

    with django_capture_on_commit_callbacks(execute=True):
        book(us_patient, therapist, free_start(therapist, after=timedelta(days=3)))
    run_queued_tasks("w1")
    (mail,) = mailbox.to(us_patient.email)
    assert MOVE_OR_CANCEL + ":" in text_body(mail)


def _description(content: bytes) -> str:
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    return str(event["DESCRIPTION"])


def test_the_calendar_file_says_until_when_the_session_can_be_moved(
    us_patient: Any, therapist: Any
) -> None:
    """The description is fixed at download and read in the calendar any time after: it
    names the deadline, in the patient's zone, instead of "See, move or cancel"."""
    appointment = book(us_patient, therapist, free_start(therapist, after=timedelta(days=3)))
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), us_patient)
    url = f"/booking/appointments/{appointment.pk}/session.ics"
    description = _description(client.get(url).content)
    assert MOVE_OR_CANCEL not in description
    deadline = (appointment.start - timedelta(hours=24)).astimezone(UTC)
    with translation.override("en-us"):
        told = format_when(deadline, NEW_YORK)
    assert "(EST, America/New York)" in told or "(EDT, America/New York)" in told
    assert f"You can move or cancel it online until {told}; after that" in description
    assert "write to your therapist" in description
    # Past the deadline, a file downloaded then says it can no longer be changed online.
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        late = _description(
            login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), us_patient).get(url).content
        )
    assert MOVE_OR_CANCEL not in late and "until" not in late
    assert "can no longer be moved or canceled online" in late
    assert "See the appointment and write to your therapist:" in late
    # The therapist's file: they can move or cancel it at any time.
    therapist_file = login(Client(), therapist.user, mfa=True).get(url).content
    assert MOVE_OR_CANCEL in _description(therapist_file)


def test_the_calendar_file_is_named_for_the_session_and_its_day_in_the_patients_zone(
    us_patient: Any, therapist: Any
) -> None:
    # 03:00 UTC is the evening before in New York: the name has New York's day.
    start = (timezone.now() + timedelta(days=3)).replace(hour=3, minute=0, second=0, microsecond=0)
    appointment = book(us_patient, therapist, start)
    local_day = start.astimezone(ZoneInfo(NEW_YORK)).date()
    assert local_day != start.date()
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), us_patient)
    response = client.get(f"/booking/appointments/{appointment.pk}/session.ics")
    name = f"rehabit-session-{local_day.isoformat()}.ics"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    services.cancel(appointment.pk, actor=us_patient, reason="")
    response = client.get(f"/booking/appointments/{appointment.pk}/session.ics")
    cancelled = f"rehabit-cancelled-session-{local_day.isoformat()}.ics"
    assert response["Content-Disposition"] == f'attachment; filename="{cancelled}"'
