"""Security finding 7: far dates and times are refused with a clear message (a form error
on pages, 422 in the API), never a server error. Every date and time a page form or an
API schema takes goes through ``rehabit.core.inputs``; these tests send the far values to
each of them."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, DateOverride, TimeOff, WaitlistEntry
from rehabit.core import inputs
from tests.accounts.helpers import login
from tests.booking.support import FIRST, book, free_start

pytestmark = pytest.mark.django_db

RANGE = "Give a date from 1900-01-01 to 2199-12-31."
FAR_INSTANTS = [
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-12:00",
    "2200-01-01T00:00:00Z",
    "1899-12-31T23:59:59Z",
]
FAR_DATES = ["9999-12-31", "0001-01-01", "2200-01-01", "1899-12-31"]


# --- The one place --------------------------------------------------------------------


@pytest.mark.parametrize("text", FAR_DATES)
def test_far_dates_are_out_of_range(text: str) -> None:
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.parse_date(text)
    assert refused.value.code == inputs.OUT_OF_RANGE and refused.value.message == RANGE


@pytest.mark.parametrize("text", FAR_INSTANTS)
def test_far_instants_are_out_of_range(text: str) -> None:
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.parse_instant(text)
    assert refused.value.code == inputs.OUT_OF_RANGE


def test_the_edges_are_in_range_and_every_zone_can_show_them() -> None:
    assert inputs.parse_date("1900-01-01") == date(1900, 1, 1)
    assert inputs.parse_date("2199-12-31") == date(2199, 12, 31)
    for text in ("2199-12-31T23:59:59-12:00", "1900-01-01T00:00:00+14:00"):
        moment = inputs.parse_instant(text)
        for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "UTC"):
            moment.astimezone(ZoneInfo(zone)) + timedelta(days=400)  # no OverflowError


def test_instants_need_an_offset_and_a_query_plus_is_read() -> None:
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.parse_instant("2027-03-02T09:00:00")
    assert refused.value.code == inputs.NO_OFFSET
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.parse_instant("next tuesday")
    assert refused.value.code == inputs.INVALID
    assert inputs.parse_instant("2027-03-02T09:00:00 05:30").utcoffset() == timedelta(
        hours=5, minutes=30
    )


def test_times_of_day() -> None:
    assert inputs.parse_time("09:30") == time(9, 30)
    for bad in ("24:00", "9h30", "09:30+01:00", ""):
        with pytest.raises(inputs.InputRefused):
            inputs.parse_time(bad)


def test_the_booking_actions_refuse_a_far_instant_themselves(patient: Any, therapist: Any) -> None:
    far = datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("Etc/GMT+12"))
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, far)
    assert refused.value.code == "out_of_range" and refused.value.status == 422


# --- Pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("start", FAR_DATES)
def test_the_therapist_page_with_a_far_week(therapist: Any, start: str) -> None:
    response = Client().get(f"/booking/therapists/{therapist.pk}/?start={start}")
    assert response.status_code == 422
    assert RANGE in response.content.decode()


@pytest.mark.parametrize("start", FAR_INSTANTS)
def test_the_book_page_with_a_far_time(patient: Any, therapist: Any, start: str) -> None:
    url = f"/booking/therapists/{therapist.pk}/book/"
    query = {"session": FIRST, "start": start}
    for client in (Client(), login(Client(), patient)):
        shown = client.get(url, query)
        assert shown.status_code == 422 and RANGE in shown.content.decode()
    sent = login(Client(), patient).post(url + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert sent.status_code == 422 and RANGE in sent.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("start", FAR_INSTANTS)
def test_moving_to_a_far_time(patient: Any, therapist: Any, start: str) -> None:
    booked = book(patient, therapist, free_start(therapist))
    response = login(Client(), patient).post(
        f"/booking/appointments/{booked.pk}/reschedule/", {"start": start, "confirm": "yes"}
    )
    assert response.status_code == 422 and RANGE in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked"


@pytest.mark.parametrize("day", FAR_DATES)
def test_the_waitlist_with_a_far_date(patient: Any, therapist: Any, day: str) -> None:
    response = login(Client(), patient).post(
        "/booking/waitlist/",
        {"therapist": therapist.pk, "session": FIRST, "wanted_before": day},
    )
    assert response.status_code == 422 and RANGE in response.content.decode()
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize("day", FAR_DATES)
def test_the_availability_editor_with_far_dates(therapist: Any, day: str) -> None:
    client = login(Client(), therapist.user, mfa=True)
    override = client.post("/booking/availability/", {"action": "override", "day": day})
    assert override.status_code == 422 and RANGE in override.content.decode()
    today = timezone.now().date().isoformat()
    for start_day, end_day in ((day, today), (today, day)):
        time_off = client.post(
            "/booking/availability/",
            {
                "action": "time_off",
                "start_day": start_day,
                "start_time": "00:00",
                "end_day": end_day,
                "end_time": "00:00",
            },
        )
        assert time_off.status_code == 422 and RANGE in time_off.content.decode()
    removed = client.post("/booking/availability/", {"action": "remove_override", "day": day})
    assert removed.status_code == 422
    assert not DateOverride.objects.exists() and not TimeOff.objects.exists()


def test_the_availability_editor_with_a_bad_time(therapist: Any) -> None:
    client = login(Client(), therapist.user, mfa=True)
    today = timezone.now().date().isoformat()
    response = client.post(
        "/booking/availability/",
        {
            "action": "time_off",
            "start_day": today,
            "start_time": "25:99",
            "end_day": today,
            "end_time": "23:00",
        },
    )
    assert response.status_code == 422
    assert "Give a time as HH:MM" in response.content.decode()


# --- API ------------------------------------------------------------------------------


@pytest.mark.parametrize("day", FAR_DATES)
def test_the_slots_api_with_far_dates(therapist: Any, day: str) -> None:
    for query in (f"start={day}&end={day}", f"start=2027-01-01&end={day}"):
        response = Client().get(f"/api/v1/therapists/{therapist.pk}/slots?{query}")
        assert response.status_code == 422, response.content
        assert any(
            e["msg"] == RANGE and e["loc"][-1] in {"start", "end"}
            for e in response.json()["detail"]
        )


@pytest.mark.parametrize("start", FAR_INSTANTS)
def test_booking_and_moving_through_the_api_at_a_far_time(
    patient: Any, therapist: Any, start: str
) -> None:
    client = login(Client(), patient)
    made = client.post(
        "/api/v1/appointments",
        json.dumps({"therapist_id": therapist.pk, "session_type": FIRST, "start": start}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="far",
    )
    assert made.status_code == 422, made.content
    assert made.json()["detail"][0]["loc"][-1] == "start"
    assert made.json()["detail"][0]["msg"] == RANGE
    booked = book(patient, therapist, free_start(therapist))
    moved = client.patch(
        f"/api/v1/appointments/{booked.pk}",
        json.dumps({"start": start}),
        content_type="application/json",
    )
    assert moved.status_code == 422, moved.content
    assert moved.json()["detail"][0]["msg"] == RANGE
    assert Appointment.objects.get().status == "booked"
