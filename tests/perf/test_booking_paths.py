"""Issue 10, hot paths of booking: the slots API and the search page kept for a few seconds
and forgotten at once when a booking changes, their queries, and the zone list rendered
once — through the test client and the real database."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from rehabit.api.booking.therapists import SlotsOut
from rehabit.booking import slots as engine
from rehabit.booking.forms import ZoneField
from tests.accounts.helpers import _clear_cache, login  # noqa: F401  (fixture)
from tests.booking.support import FIRST, book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist() -> Any:
    return make_therapist("Tara Therapist")


@pytest.fixture
def patient() -> Any:
    return make_patient("pat.booker@example.org", "Pat Booker", zone="Asia/Kolkata")


def _slots_url(therapist: Any, days: int = 14, tz: str = "Europe/London") -> str:
    today = timezone.now().date()
    return (
        f"/api/v1/therapists/{therapist.pk}/slots?start={today}"
        f"&end={today + timedelta(days=days - 1)}&tz={tz}"
    )


def test_the_slots_answer_is_exactly_the_schema_s_encoding(therapist: Any) -> None:
    response = Client().get(_slots_url(therapist, tz="Asia/Kolkata"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert len(body["slots"]) > 100
    validated = SlotsOut.model_validate(body).model_dump()
    assert response.content == json.dumps(validated, cls=NinjaJSONEncoder).encode()
    assert body["slots"][0]["start"].endswith("+05:30")


def test_slots_are_kept_then_forgotten_as_soon_as_a_time_is_booked(
    therapist: Any, patient: Any, django_assert_num_queries: Any
) -> None:
    client = Client()
    url = _slots_url(therapist)
    with django_assert_num_queries(6):  # the therapist, hours, days, leave, types, bookings
        first = client.get(url)
    with django_assert_num_queries(0):  # kept: the same bytes, no query
        again = client.get(url)
    assert again.content == first.content
    start = free_start(therapist)
    assert start.isoformat().replace("+00:00", "") in first.content.decode().replace("Z", "")
    book(patient, therapist, start)
    after = client.get(url).json()
    starts = {s["start"] for s in after["slots"] if s["session_type"] == FIRST}
    shown = {s["start"] for s in json.loads(first.content)["slots"] if s["session_type"] == FIRST}
    assert starts < shown  # the booked time (and its neighbours) are gone at once


def test_the_search_page_is_kept_for_visitors_and_made_afresh_for_signed_in_people(
    therapist: Any, patient: Any, django_assert_num_queries: Any
) -> None:
    visitor = Client()
    with django_assert_num_queries(10):
        first = visitor.get("/booking/")
    assert first.status_code == 200 and b"Tara Therapist" in first.content
    with django_assert_num_queries(0):
        kept = visitor.get("/booking/")
    assert kept.content == first.content
    assert "no-store" in kept["Cache-Control"]  # kept on the server, never by the browser
    # Signed in: the page is theirs (their menu), made afresh.
    signed_in = login(Client(), patient)
    own = signed_in.get("/booking/")
    assert own.status_code == 200 and own.content != first.content
    # Booking the earliest time shown: the visitors' page is made again at once.
    now = timezone.now()
    earliest = engine.earliest([engine.schedule_of(therapist.pk, now)], FIRST, now)
    book(patient, therapist, earliest[therapist.pk][0].start)
    assert visitor.get("/booking/").content != first.content


def test_the_search_page_is_not_kept_when_it_shows_an_error(
    therapist: Any, django_assert_num_queries: Any
) -> None:
    client = Client()
    assert client.get("/booking/?tz=Mars/Olympus").status_code == 422
    with django_assert_num_queries(10):  # not kept: asked again, it is made again
        assert client.get("/booking/?tz=Mars/Olympus").status_code == 422


def test_queries_of_the_therapist_week_and_a_booking(
    therapist: Any,
    patient: Any,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(Client(), patient)
    client.get(f"/booking/therapists/{therapist.pk}/")
    # Eight for the signed-in person (session, account, role, zone, profile, consents,
    # unread messages, the latest assessment for "My program"), nine for the page: the
    # therapist with their specialties, languages and session types, then their hours,
    # days, leave, types and bookings.
    with django_assert_num_queries(17):
        assert client.get(f"/booking/therapists/{therapist.pk}/").status_code == 200
    start = free_start(therapist)
    body = {"therapist_id": therapist.pk, "session_type": FIRST, "start": start.isoformat()}
    # The booking action (its locks, limits, idempotency, reminders, audit, outbox): a
    # bound, not a count, since that path belongs to the booking rules (51 today).
    with django_assert_max_num_queries(51):
        created = client.post(
            "/api/v1/appointments",
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="perf-booking-1",
        )
    assert created.status_code == 201


class _Plain(forms.Form):
    tz = ZoneField(required=False, widget=forms.Select)


class _Long(forms.Form):
    tz = ZoneField(required=False)


class _LongRequired(forms.Form):
    tz = ZoneField(required=True)


class _PlainRequired(forms.Form):
    tz = ZoneField(required=True, widget=forms.Select)


@pytest.mark.parametrize("data", [None, {"tz": "Asia/Kolkata"}, {"tz": "Bad<zone>"}, {"tz": ""}])
def test_the_zone_list_is_rendered_exactly_as_django_s_select_renders_it(data: Any) -> None:
    assert str(_Long(data)["tz"]) == str(_Plain(data)["tz"])
    assert str(_LongRequired(data)["tz"]) == str(_PlainRequired(data)["tz"])
    initial = _Long(initial={"tz": "Europe/London"})
    assert str(initial["tz"]) == str(_Plain(initial={"tz": "Europe/London"})["tz"])
    assert '<option value="Europe/London" selected>' in str(initial["tz"])
