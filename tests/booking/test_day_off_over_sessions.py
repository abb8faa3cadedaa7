"""A day off or time off marked over booked sessions: they stay booked (a product
decision), and the therapist is told so, with each patient, the time with its zone and
links to move or cancel each (a therapist's walk found only "Your availability was
saved.")."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from rehabit.booking.models import AppointmentStatus
from rehabit.booking.timefmt import format_span
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db

URL = "/booking/availability/"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _booked() -> tuple[Any, Any, Any]:
    therapist = make_therapist("Tara Therapist", zone="America/New_York")
    pat = make_patient("pat.kept@example.org", "Pat Kept", zone="Asia/Kolkata")
    appointment = book(pat, therapist, free_start(therapist, after=timedelta(days=3)))
    return therapist, pat, appointment


def _said(client: Client, response: Any) -> str:
    assert response.status_code == 302
    return unescape(client.get(response["Location"]).content.decode())


def test_a_day_off_over_a_booked_session_names_it_with_links(db: Any) -> None:
    therapist, _pat, appointment = _booked()
    client = login(Client(), therapist.user, mfa=True)
    day = appointment.start.astimezone(ZoneInfo(therapist.time_zone)).date()
    html = _said(
        client,
        client.post(URL, {"action": "override", "day": day.isoformat(), "not_working": "on"}),
    )
    assert "Your availability was saved." in html
    assert "stays booked" in html
    when = format_span(appointment.start, appointment.end, "America/New_York")
    assert f"Pat Kept, {when}" in html
    assert f'href="/booking/appointments/{appointment.pk}/reschedule/"' in html
    assert f'href="/booking/appointments/{appointment.pk}/cancel/"' in html
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    # A day off on another date says nothing of it.
    other = day + timedelta(days=1)
    html = _said(
        client,
        client.post(URL, {"action": "override", "day": other.isoformat(), "not_working": "on"}),
    )
    assert "Your availability was saved." in html and "stays booked" not in html


def test_time_off_over_a_booked_session_names_it_too(db: Any) -> None:
    therapist, _pat, appointment = _booked()
    client = login(Client(), therapist.user, mfa=True)
    day = appointment.start.astimezone(ZoneInfo(therapist.time_zone)).date()
    html = _said(
        client,
        client.post(
            URL,
            {
                "action": "time_off",
                "start_day": day.isoformat(),
                "start_time": "00:00",
                "end_day": (day + timedelta(days=1)).isoformat(),
                "end_time": "00:00",
                "reason": "Leave",
            },
        ),
    )
    when = format_span(appointment.start, appointment.end, "America/New_York")
    assert f"Pat Kept, {when}" in html and "stays booked" in html
    assert f'href="/booking/appointments/{appointment.pk}/cancel/"' in html
