"""The therapist's schedule and availability in the API: only for an account with its
own therapist record; times on the therapist's clock with the zone named; the
availability document round-trips and is checked field by field like the page."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.booking.models import DateOverride, TimeOff, WorkingHours
from tests.accounts.helpers import TOTP_SECRET, login, make_user
from tests.booking.support import book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db

SCHEDULE = "/api/v1/therapist/schedule"
AVAILABILITY = "/api/v1/therapist/availability"


def put(client: Client, body: dict[str, Any]) -> Any:
    return client.put(AVAILABILITY, json.dumps(body), content_type="application/json")


@pytest.fixture
def kiri(db: Any) -> Any:
    return make_therapist(
        "Kiri Kolkata", zone="Asia/Kolkata", hours={0: ((time(9), time(13)),)}, notice_minutes=90
    )


def test_the_schedule_lists_my_sessions_on_my_clock_and_the_patients(kiri: Any) -> None:
    patient = make_patient("pat.api@example.org", "Pat Api", zone="America/New_York")
    start = free_start(kiri, after=timedelta(days=1))
    booked = book(patient, kiri, start)
    other = make_therapist("Otto Other")
    book(make_patient("x@example.org", "Xavier"), other, free_start(other))
    local_day = start.astimezone(ZoneInfo("Asia/Kolkata")).date()
    response = login(Client(), kiri.user, mfa=True).get(
        SCHEDULE, {"start": local_day.isoformat(), "end": local_day.isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Asia/Kolkata" and body["therapist_id"] == kiri.pk
    (item,) = body["appointments"]
    assert item["id"] == str(booked.pk) and item["status"] == "booked"
    assert item["start"].endswith("+05:30")
    assert datetime.fromisoformat(item["start"]) == start
    assert item["patient"] == {
        "id": patient.pk,
        "name": "Pat Api",
        "time_zone": "America/New_York",
    }
    assert item["patient_start"].endswith(("-05:00", "-04:00"))
    assert item["session_type"]["id"] == "first_assessment"
    assert item["join_url"] is None and item["manage_url"].endswith(f"/{booked.pk}/")


def test_the_schedule_defaults_to_this_week_and_checks_its_range(kiri: Any) -> None:
    client = login(Client(), kiri.user, mfa=True)
    body = client.get(SCHEDULE).json()
    today = timezone.now().astimezone(ZoneInfo("Asia/Kolkata")).date()
    assert body["start"] == today.isoformat()
    assert body["end"] == (today + timedelta(days=6)).isoformat()
    backwards = client.get(SCHEDULE, {"start": "2027-02-10", "end": "2027-02-01"})
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"] == ["query", "end"]
    too_long = client.get(SCHEDULE, {"start": "2027-02-01", "end": "2027-06-01"})
    assert too_long.status_code == 422
    far = client.get(SCHEDULE, {"start": "3000-01-01"})
    assert far.status_code == 422


def test_the_availability_document_round_trips(kiri: Any) -> None:
    client = login(Client(), kiri.user, mfa=True)
    today = timezone.now().astimezone(ZoneInfo("Asia/Kolkata")).date()
    body = {
        "weekly": [
            {
                "weekday": 0,
                "ranges": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            },
            {"weekday": 5, "ranges": [{"start": "22:00", "end": "02:00", "ends_next_day": True}]},
        ],
        "overrides": [
            {
                "date": (today + timedelta(days=3)).isoformat(),
                "ranges": [{"start": "10:00", "end": "12:00"}],
            },
            {"date": (today + timedelta(days=4)).isoformat(), "ranges": []},
        ],
        "time_off": [
            {
                "start": f"{today + timedelta(days=10)}T00:00:00+05:30",
                "end": f"{today + timedelta(days=12)}T00:00:00+05:30",
                "reason": "Conference",
            }
        ],
        "notice_hours": 2.5,
    }
    response = put(client, body)
    assert response.status_code == 200, response.content
    got = client.get(AVAILABILITY).json()
    assert got == response.json()
    assert got["time_zone"] == "Asia/Kolkata" and got["notice_hours"] == 2.5
    assert got["weekly"][0]["ranges"] == [
        {"start": "09:00", "end": "12:00", "ends_next_day": False},
        {"start": "13:00", "end": "17:00", "ends_next_day": False},
    ]
    assert got["weekly"][5]["ranges"][0]["ends_next_day"] is True
    assert [len(d["ranges"]) for d in got["weekly"]] == [2, 0, 0, 0, 0, 1, 0]
    assert got["overrides"][1] == {"date": (today + timedelta(days=4)).isoformat(), "ranges": []}
    assert (
        got["time_off"][0]["start"].endswith("+05:30")
        and got["time_off"][0]["reason"] == "Conference"
    )
    # What GET returns is a valid PUT, and changes nothing.
    again = put(client, got)
    assert again.status_code == 200 and again.json()["weekly"] == got["weekly"]
    assert DateOverride.objects.filter(therapist=kiri).count() == 2
    assert TimeOff.objects.filter(therapist=kiri).count() == 1
    kiri.refresh_from_db()
    assert kiri.minimum_notice_minutes == 150
    assert (
        AuditEntry.objects.filter(
            action="booking.availability_changed", details={"what": "replaced"}
        ).count()
        == 2
    )


def test_a_notice_of_odd_minutes_round_trips(kiri: Any) -> None:
    client = login(Client(), kiri.user, mfa=True)
    type(kiri).objects.filter(pk=kiri.pk).update(minimum_notice_minutes=50)
    document = client.get(AVAILABILITY).json()
    assert put(client, document).status_code == 200
    kiri.refresh_from_db()
    assert kiri.minimum_notice_minutes == 50


def test_past_dates_and_time_off_stay_as_history(kiri: Any) -> None:
    now = timezone.now()
    past_day = now.date() - timedelta(days=20)
    DateOverride.objects.create(therapist=kiri, day=past_day)
    TimeOff.objects.create(
        therapist=kiri, start=now - timedelta(days=9), end=now - timedelta(days=8)
    )
    client = login(Client(), kiri.user, mfa=True)
    response = put(client, {"weekly": [], "notice_hours": 0})
    assert response.status_code == 200
    assert DateOverride.objects.filter(therapist=kiri, day=past_day).exists()
    assert TimeOff.objects.filter(therapist=kiri).count() == 1
    assert not WorkingHours.objects.filter(therapist=kiri).exists()


def test_every_mistake_is_named_by_its_place_and_nothing_is_changed(kiri: Any) -> None:
    client = login(Client(), kiri.user, mfa=True)
    before = client.get(AVAILABILITY).json()
    yesterday = (timezone.now() - timedelta(days=2)).date().isoformat()
    response = put(
        client,
        {
            "weekly": [
                {
                    "weekday": 1,
                    "ranges": [
                        {"start": "09:00", "end": "12:00"},
                        {"start": "11:00", "end": "13:00"},
                    ],
                },
                {"weekday": 2, "ranges": [{"start": "17:00", "end": "09:00"}]},
                {"weekday": 1, "ranges": []},
            ],
            "overrides": [{"date": yesterday, "ranges": []}],
            "time_off": [
                {"start": "2027-05-01T10:00:00+00:00", "end": "2027-05-01T09:00:00+00:00"},
                {"start": "2027-05-01T10:00:00", "end": "2027-05-02T10:00:00"},
            ],
            "notice_hours": 1,
        },
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert "overlaps 09:00–12:00" in errors["payload.weekly.0.ranges.1.start"][0]
    assert (
        "the end (09:00) is before the start (17:00)" in errors["payload.weekly.1.ranges.0.end"][0]
    )
    assert errors["payload.weekly.2.weekday"] == ["This weekday is given twice."]
    assert "past dates stay" in errors["payload.overrides.0.date"][0]
    assert errors["payload.time_off.0.end"] == ["The time off must end after it starts."]
    assert errors["payload.time_off.1.start"] == ["Give the time with its UTC offset."]
    assert client.get(AVAILABILITY).json() == before


@pytest.mark.parametrize(
    "body",
    [
        {"weekly": [{"weekday": 7, "ranges": []}], "notice_hours": 1},
        {
            "weekly": [{"weekday": 0, "ranges": [{"start": "9:00", "end": "17:00"}]}],
            "notice_hours": 1,
        },
        {"weekly": [], "notice_hours": 721},
        {"weekly": [], "notice_hours": -1},
        {"weekly": []},
    ],
)
def test_malformed_documents_get_422(kiri: Any, body: dict[str, Any]) -> None:
    response = put(login(Client(), kiri.user, mfa=True), body)
    assert response.status_code == 422 and response.json()["detail"]


def test_everyone_without_a_therapist_record_is_refused_with_the_reason(kiri: Any) -> None:
    admin_user = make_user("ada.admin@example.org", role="admin", totp_secret=TOTP_SECRET)
    patient = make_patient("p@example.org", "Pat")
    role_only = make_user("role.only@example.org", role="therapist", totp_secret=TOTP_SECRET)
    callers = {
        "anonymous": Client(),
        "patient": login(Client(), patient),
        "therapist without a record": login(Client(), role_only, mfa=True),
        "admin": login(Client(), admin_user, mfa=True),
    }
    for who, client in callers.items():
        for response in (
            client.get(SCHEDULE),
            client.get(AVAILABILITY),
            put(client, {"weekly": [], "notice_hours": 1}),
        ):
            assert response.status_code == 403, (who, response.status_code)
    detail = callers["therapist without a record"].get(AVAILABILITY).json()["detail"]
    assert "/therapist/welcome/" in detail and "administrator" in detail
    assert WorkingHours.objects.filter(therapist=kiri).count() == 1


def test_another_therapist_never_sees_or_changes_mine(kiri: Any) -> None:
    patient = make_patient("pat.api@example.org", "Pat Api")
    book(patient, kiri, free_start(kiri, after=timedelta(days=1)))
    other = make_therapist("Otto Other")
    client = login(Client(), other.user, mfa=True)
    body = client.get(SCHEDULE, {"start": "2027-01-01", "end": "2027-03-01"}).json()
    assert body["therapist_id"] == other.pk and "Pat Api" not in json.dumps(body)
    assert put(client, {"weekly": [], "notice_hours": 0}).status_code == 200
    assert WorkingHours.objects.filter(therapist=kiri).count() == 1


def test_the_endpoints_are_in_the_openapi_document(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[AVAILABILITY]) == {"get", "put"}
    assert "get" in paths[SCHEDULE]
    assert "403" in paths[AVAILABILITY]["put"]["responses"]
