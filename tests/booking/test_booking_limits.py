"""Security finding 4: one new account booked 108 sessions in a minute. A patient now holds
at most REHABIT_MAX_ACTIVE_BOOKINGS upcoming sessions (at most
REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST with one therapist), checked inside the booking
transaction so that bookings at the same moment cannot both pass; and booking writes are
rate-limited per person and per client address, counted in the database."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from rehabit.booking import services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, WaitlistEntry
from rehabit.booking.presenters import iso_utc
from rehabit.core.models import ThrottleBucket
from tests.accounts.helpers import login
from tests.booking.scenario import cap_race
from tests.booking.support import FIRST, book, free_start, make_patient, make_therapist
from tests.booking.test_concurrency import run_scenario, sqlite_file_env  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapists(db: Any) -> list[Any]:
    return [make_therapist(f"Cap Therapist {i}") for i in range(5)]


def _book(patient: Any, therapist: Any, hours: int = 0) -> Any:
    return book(patient, therapist, free_start(therapist) + timedelta(hours=hours))


# --- The caps -------------------------------------------------------------------------


def test_at_most_two_upcoming_sessions_with_one_therapist(patient: Any, therapist: Any) -> None:
    _book(patient, therapist, 0)
    _book(patient, therapist, 1)
    with pytest.raises(BookingRefused) as refused:
        _book(patient, therapist, 2)
    assert refused.value.code == "too_many_bookings" and refused.value.status == 409
    assert "2 upcoming sessions with Tara Therapist" in refused.value.message
    assert Appointment.objects.filter(patient=patient).count() == 2


def test_at_most_four_upcoming_sessions_in_all(patient: Any, therapists: list[Any]) -> None:
    for therapist in therapists[:4]:
        _book(patient, therapist)
    with pytest.raises(BookingRefused) as refused:
        _book(patient, therapists[4])
    assert refused.value.code == "too_many_bookings"
    assert "4 upcoming sessions, the most one person can book" in refused.value.message


def test_the_caps_are_settings(patient: Any, therapist: Any, settings: Any) -> None:
    settings.REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST = 3
    for hours in range(3):
        _book(patient, therapist, hours)
    settings.REHABIT_MAX_ACTIVE_BOOKINGS = 3
    with pytest.raises(BookingRefused) as refused:
        _book(patient, make_therapist("Other Therapist"))
    assert "3 upcoming sessions" in refused.value.message


def test_cancelled_moved_and_past_sessions_do_not_count(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    base = free_start(therapist)
    first = book(patient, therapist, base)
    second = book(patient, therapist, base + timedelta(hours=1))
    services.cancel(first.pk, actor=patient)
    third = book(patient, therapist, base + timedelta(hours=2))  # a cancelled one frees its place
    moved = services.reschedule(second.pk, actor=patient, start=second.start + timedelta(days=1))
    assert moved.status == "booked"  # a move replaces one, and counts once
    with pytest.raises(BookingRefused):
        book(patient, therapist, base + timedelta(hours=3))
    Appointment.objects.filter(pk=third.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )
    book(patient, therapist, base + timedelta(hours=4))  # one that took place frees its place
    book(other_patient, therapist, base + timedelta(hours=5))  # another patient has their own


def test_the_book_page_says_why(patient: Any, therapist: Any) -> None:
    _book(patient, therapist, 0)
    _book(patient, therapist, 1)
    start = free_start(therapist) + timedelta(hours=3)
    url = f"/booking/therapists/{therapist.pk}/book/?session={FIRST}&start={iso_utc(start)}"
    client = login(Client(), patient)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', client.get(url).content.decode())
    response = client.post(url, {"idempotency_key": key.group(1)})
    assert response.status_code == 409
    assert "You already have 2 upcoming sessions with Tara Therapist" in response.content.decode()
    assert Appointment.objects.count() == 2


def test_the_api_answers_409_too_many_bookings(patient: Any, therapist: Any) -> None:
    _book(patient, therapist, 0)
    _book(patient, therapist, 1)
    body = {
        "therapist_id": therapist.pk,
        "session_type": FIRST,
        "start": (free_start(therapist) + timedelta(hours=3)).isoformat(),
    }
    response = login(Client(), patient).post(
        "/api/v1/appointments",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="cap",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "too_many_bookings"
    assert response.json()["alternatives"] == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file scenario")
def test_sqlite_bookings_at_the_same_moment_cannot_pass_the_caps(
    sqlite_file_env: dict[str, str],  # noqa: F811
) -> None:
    run_scenario(sqlite_file_env, "setup", "--patients", "1")
    one = run_scenario(sqlite_file_env, "cap-race", "--threads", "8", "--therapists", "1")
    assert one["won"] == 2 and one["too_many"] == 6 and one["other"] == [], one
    assert one["active"] == 2 and one["most_with_one"] == 2
    spread = run_scenario(sqlite_file_env, "cap-race", "--threads", "8", "--therapists", "8")
    assert spread["won"] == 4 and spread["too_many"] == 4 and spread["other"] == [], spread
    assert spread["active"] == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_bookings_at_the_same_moment_cannot_pass_the_caps() -> None:
    patient = make_patient("racer0@example.org", "Racer")
    therapist = make_therapist("Cap Therapist")
    base = free_start(therapist)
    one = cap_race(patient.pk, [(therapist.pk, base + timedelta(hours=h)) for h in range(10)])
    assert one == {"won": 2, "too_many": 8, "other": []}
    Appointment.objects.update(status="cancelled")
    others = [make_therapist(f"Cap Therapist {i}") for i in range(10)]
    spread = cap_race(patient.pk, [(t.pk, free_start(t)) for t in others])
    assert spread == {"won": 4, "too_many": 6, "other": []}
    assert Appointment.objects.filter(patient=patient, status="booked").count() == 4


# --- The rate limit -------------------------------------------------------------------


def _api_book(client: Client, therapist: Any, key: str, **headers: Any) -> Any:
    past = (timezone.now() - timedelta(days=1)).isoformat()  # refused, but still a write
    body = {"therapist_id": therapist.pk, "session_type": FIRST, "start": past}
    return client.post(
        "/api/v1/appointments",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def test_api_writes_past_the_limit_get_429_with_retry_after(
    patient: Any, therapist: Any, settings: Any
) -> None:
    settings.REHABIT_BOOKING_WRITES_PER_USER = 3
    settings.REHABIT_BOOKING_WRITES_WINDOW_SECONDS = 3600
    client = login(Client(), patient)
    assert [_api_book(client, therapist, f"k{i}").status_code for i in range(3)] == [422] * 3
    refused = _api_book(client, therapist, "k3")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 1200 and refused.json()["retry_after"] == wait
    assert "try again in 20 minutes" in refused.json()["detail"]
    booked = _book(patient, therapist)
    url = f"/api/v1/appointments/{booked.pk}"
    assert client.delete(url).status_code == 429  # cancelling is a booking write too
    move = json.dumps({"start": (booked.start + timedelta(days=1)).isoformat()})
    assert client.patch(url, move, content_type="application/json").status_code == 429
    booked.refresh_from_db()
    assert booked.status == "booked"
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert _api_book(client, therapist, "k4").status_code == 422  # allowed again


def test_page_writes_past_the_limit_get_a_clear_message(
    patient: Any, therapist: Any, settings: Any
) -> None:
    settings.REHABIT_BOOKING_WRITES_PER_USER = 2
    client = login(Client(), patient)
    booked = _book(patient, therapist)
    move_url = f"/booking/appointments/{booked.pk}/reschedule/"
    later = iso_utc(booked.start + timedelta(days=1))
    # Asking to confirm a time writes nothing and is not counted.
    for _ in range(3):
        assert client.post(move_url, {"start": later}).status_code == 200
    join = {"therapist": therapist.pk, "session": FIRST, "wanted_before": "2027-02-01"}
    assert client.post("/booking/waitlist/", join).status_code == 302
    assert client.post("/booking/waitlist/", join).status_code == 302
    refused = client.post("/booking/waitlist/", join)
    assert refused.status_code == 429
    assert "paused them for a moment" in refused.content.decode()
    cancel = client.post(f"/booking/appointments/{booked.pk}/cancel/", {"reason": "Busy"})
    assert cancel.status_code == 429 and "Nothing was changed" in cancel.content.decode()
    moved = client.post(move_url, {"start": later, "confirm": "yes"})
    assert moved.status_code == 429 and "Nothing was changed" in moved.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked" and WaitlistEntry.objects.count() == 1


def test_one_address_is_limited_across_accounts(
    patient: Any, other_patient: Any, therapist: Any, settings: Any
) -> None:
    settings.REHABIT_BOOKING_WRITES_PER_ADDRESS = 3
    first, second = login(Client(), patient), login(Client(), other_patient)
    same = {"REMOTE_ADDR": "203.0.113.7"}
    assert _api_book(first, therapist, "a1", **same).status_code == 422
    assert _api_book(first, therapist, "a2", **same).status_code == 422
    assert _api_book(second, therapist, "b1", **same).status_code == 422
    assert _api_book(second, therapist, "b2", **same).status_code == 429
    assert _api_book(second, therapist, "b3", REMOTE_ADDR="198.51.100.9").status_code == 422
    # Counted in the database, under keyed hashes: no address or account id in clear.
    keys = list(ThrottleBucket.objects.values_list("key", flat=True))
    assert len(keys) == 4 and not any("203.0.113" in k or str(patient.pk) == k for k in keys)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file scenario")
def test_the_count_is_shared_by_separate_processes(
    sqlite_file_env: dict[str, str],  # noqa: F811
) -> None:
    run_scenario(sqlite_file_env, "setup", "--patients", "1")
    waits = [run_scenario(sqlite_file_env, "throttle", "--limit", "2")["wait"] for _ in range(3)]
    assert waits[:2] == [0, 0] and waits[2] > 0
