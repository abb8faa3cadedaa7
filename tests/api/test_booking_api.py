"""The booking API: therapists, slots with the viewer's offset, idempotent booking, 409
with alternatives, field-level 422s, move and cancel, and the OpenAPI document."""

# ruff: noqa: F811  (the booking fixtures are imported by name)
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from rehabit.booking.models import Appointment, IdempotencyKey
from tests.accounts.helpers import login
from tests.booking.conftest import admin_user, other_patient, patient, therapist  # noqa: F401
from tests.booking.support import book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db


def post(client: Client, body: dict[str, Any], key: str | None = "key-1") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        "/api/v1/appointments", json.dumps(body), content_type="application/json", **headers
    )


def body_for(therapist: Any, start: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "therapist_id": therapist.pk,
        "session_type": "first_assessment",
        "start": start.isoformat(),
        **extra,
    }


def test_therapists_filter_by_specialty_and_language(therapist: Any) -> None:
    make_therapist(
        "Kneel Knee", specialties=("knee",), languages=("es", "en"), zone="America/New_York"
    )
    everyone = Client().get("/api/v1/therapists").json()
    assert [t["name"] for t in everyone] == ["Kneel Knee", "Tara Therapist"]
    knee = Client().get("/api/v1/therapists?specialty=knee&language=es").json()
    assert knee[0]["time_zone"] == "America/New_York"
    assert knee[0]["specialties"] == ["knee"] and sorted(knee[0]["languages"]) == ["en", "es"]
    assert {s["id"]: s["duration_minutes"] for s in knee[0]["session_types"]} == {
        "first_assessment": 45,
        "follow_up": 30,
    }
    assert Client().get("/api/v1/therapists?specialty=toes").status_code == 422


def test_slots_carry_the_viewer_offset_and_session_type(therapist: Any) -> None:
    start = free_start(therapist)
    day = start.astimezone(ZoneInfo("Asia/Kolkata")).date()
    response = Client().get(
        f"/api/v1/therapists/{therapist.pk}/slots?start={day}&end={day}&tz=Asia/Kolkata"
        "&session_type=follow_up"
    )
    data = response.json()
    assert response.status_code == 200 and data["time_zone"] == "Asia/Kolkata"
    assert data["slots"] and all(s["start"].endswith("+05:30") for s in data["slots"])
    assert all(s["session_type"] == "follow_up" for s in data["slots"])
    first = data["slots"][0]
    assert datetime.fromisoformat(first["end"]) - datetime.fromisoformat(
        first["start"]
    ) == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-03-01&end=2026-03-02&tz=Mars/Olympus", "tz"),
        ("start=2026-03-05&end=2026-03-01&tz=UTC", "end"),
        ("start=2026-03-01&end=2026-06-01&tz=UTC", "end"),
        ("start=yesterday&end=2026-03-01&tz=UTC", "start"),
    ],
)
def test_bad_slot_queries_get_field_errors(therapist: Any, query: str, field: str) -> None:
    response = Client().get(f"/api/v1/therapists/{therapist.pk}/slots?{query}")
    assert response.status_code == 422
    assert any(e["loc"][-1] == field for e in response.json()["detail"])


def test_book_with_an_idempotency_key_replays_and_refuses_reuse(
    patient: Any, therapist: Any
) -> None:
    client = login(Client(), patient)
    start = free_start(therapist)
    first = post(client, body_for(therapist, start, share_record=True))
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "booked" and data["time_zone"] == "Asia/Kolkata"
    assert data["start"].endswith("+05:30")
    assert (
        datetime.fromisoformat(data["therapist_start"])
        == start
        == datetime.fromisoformat(data["start"])
    )
    assert data["share_record"] is True and data["join_url"] is None
    assert "24 hours before it starts" in data["cancellation_policy"]
    retry = post(client, body_for(therapist, start, share_record=True))
    assert retry.status_code == 201 and retry.json() == data
    assert retry["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    misuse = post(client, body_for(therapist, start + timedelta(hours=1)))
    assert misuse.status_code == 422
    assert misuse.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert post(client, body_for(therapist, start), key=None).status_code == 400
    assert Appointment.objects.count() == 1


def test_the_loser_gets_409_with_alternatives(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    book(patient, therapist, start)
    response = post(login(Client(), other_patient), body_for(therapist, start))
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "taken" and "just taken" in data["detail"]
    assert len(data["alternatives"]) == 3
    london = ZoneInfo("Europe/London")  # the loser's zone: times come with its offset
    for alternative in data["alternatives"]:
        moment = datetime.fromisoformat(alternative["start"])
        assert moment.utcoffset() == moment.astimezone(london).utcoffset()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"start": "2020-01-01T09:00:00+00:00"}, "start", "already passed"),
        ({"session_type": "massage"}, "session_type", "does not offer"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
        ({"start": "2030-01-01T09:00:00"}, "start", "UTC offset"),
        ({"offset_days": 90}, "start", "takes bookings up to 30 days ahead"),
        ({"offset_minutes": 7}, "start", "does not offer a session at that time"),
    ],
)
def test_bad_bookings_get_field_level_422(
    patient: Any, therapist: Any, change: dict[str, Any], field: str, words: str
) -> None:
    start = free_start(therapist)
    start += timedelta(days=change.pop("offset_days", 0), minutes=change.pop("offset_minutes", 0))
    response = post(login(Client(), patient), {**body_for(therapist, start), **change})
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == field and words in detail[0]["msg"]
    assert not Appointment.objects.exists()


def test_an_unknown_therapist_is_404(patient: Any, therapist: Any) -> None:
    response = post(
        login(Client(), patient),
        {**body_for(therapist, free_start(therapist)), "therapist_id": 999999},
    )
    assert response.status_code == 404


def test_move_cancel_and_list(patient: Any, therapist: Any) -> None:
    client = login(Client(), patient)
    start = free_start(therapist)
    created = post(client, body_for(therapist, start)).json()
    url = f"/api/v1/appointments/{created['id']}"
    new_start = (start + timedelta(days=1)).isoformat()
    moved = client.patch(
        url, json.dumps({"start": new_start, "time_zone": "UTC"}), content_type="application/json"
    )
    assert moved.status_code == 200, moved.content
    moved_data = moved.json()
    assert moved_data["moved_from"] == created["id"] and moved_data["time_zone"] == "UTC"
    assert client.get(url).json()["status"] == "moved"
    assert client.get(url).json()["moved_to"] == moved_data["id"]
    listing = client.get("/api/v1/appointments?tz=Europe/London").json()
    assert [a["id"] for a in listing] == [moved_data["id"]]
    gone = client.post(
        f"/api/v1/appointments/{moved_data['id']}/cancel",
        json.dumps({"reason": "Better"}),
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    again = client.delete(f"/api/v1/appointments/{moved_data['id']}")
    assert again.status_code == 409 and again.json()["code"] == "not_active"
    assert client.get("/api/v1/appointments").json() == []


def test_a_cancellation_reason_is_kept_as_the_page_keeps_it(patient: Any, therapist: Any) -> None:
    # The API and the page read the reason through one rule (mail.words.their_words): the
    # other person never reads direction controls or zero-width characters.
    appointment = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    url = f"/api/v1/appointments/{appointment.pk}"
    # Not in the address: query strings are written in access logs (a review).
    in_query = client.delete(f"{url}?reason={quote('My leg went numb')}")
    assert in_query.status_code == 422
    assert in_query.json()["errors"]["reason"] == [
        "Send the reason in the body of POST /api/v1/appointments/{id}/cancel, not in the "
        "address: addresses are written in access logs."
    ]
    appointment.refresh_from_db()
    assert appointment.status == "booked"
    stranger = login(Client(), make_patient("someone.else@example.org", "Someone Else"))
    refused = stranger.post(
        f"{url}/cancel", json.dumps({"reason": "Not mine"}), content_type="application/json"
    )
    assert refused.status_code == 404  # another person's session is not theirs to cancel
    long = client.post(
        f"{url}/cancel", json.dumps({"reason": "x" * 301}), content_type="application/json"
    )
    assert long.status_code == 422 and long.json()["errors"]["reason"]
    gone = client.post(
        f"{url}/cancel",
        json.dumps({"reason": "  Sorry,\u202e ill \u200b today  "}),
        content_type="application/json",
    )
    assert gone.status_code == 200, gone.content
    appointment.refresh_from_db()
    assert appointment.cancel_reason == "Sorry, ill today"


def test_patients_cannot_move_inside_the_window_but_therapists_can(
    patient: Any, therapist: Any
) -> None:
    soon = book(patient, therapist, free_start(therapist, after=timedelta(hours=3)))
    url = f"/api/v1/appointments/{soon.pk}"
    later = (soon.start + timedelta(days=2)).isoformat()
    refused = login(Client(), patient).patch(
        url, json.dumps({"start": later}), content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "window_closed"
    assert "24 hours before it starts" in refused.json()["detail"]
    staff = login(Client(), therapist.user, mfa=True)
    done = staff.patch(url, json.dumps({"start": later}), content_type="application/json")
    assert done.status_code == 200


def test_the_openapi_document_describes_the_booking_api() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert {"get"} <= set(paths["/api/v1/therapists"])
    assert {"get"} <= set(paths["/api/v1/therapists/{therapist_id}/slots"])
    assert {"get", "post"} <= set(paths["/api/v1/appointments"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/appointments/{appointment_id}"])
    post_op = paths["/api/v1/appointments"]["post"]
    assert {"201", "409", "422"} <= set(post_op["responses"])
    assert any(
        p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post_op["parameters"]
    )


def test_a_booking_without_share_record_keeps_the_choice_for_that_therapist(
    patient: Any, therapist: Any
) -> None:
    from rehabit.booking.people import shares_record

    client = login(Client(), patient)
    first = free_start(therapist)
    response = post(client, body_for(therapist, first, share_record=True), key="share-1")
    assert response.status_code == 201, response.content
    assert shares_record(patient, therapist)
    later = free_start(therapist, after=timedelta(days=4))
    response = post(client, body_for(therapist, later), key="share-2")  # no share_record
    assert response.status_code == 201, response.content
    assert response.json()["share_record"] is True
    assert shares_record(patient, therapist)  # not withdrawn by leaving the field out
    # Saying no explicitly still withdraws it (after cancelling one: two with one therapist).
    assert client.delete(f"/api/v1/appointments/{response.json()['id']}").status_code in (200, 204)
    third = free_start(therapist, after=timedelta(days=6))
    response = post(client, body_for(therapist, third, share_record=False), key="share-3")
    assert response.status_code == 201, response.content
    assert not shares_record(patient, therapist)


def test_an_appointment_in_the_api_says_whether_it_was_attended(
    patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    assert client.get(f"/api/v1/appointments/{appointment.pk}").json()["attendance"] == ""
    Appointment.objects.filter(pk=appointment.pk).update(attendance="attended")
    assert client.get(f"/api/v1/appointments/{appointment.pk}").json()["attendance"] == "attended"


# --- The time of day (``time_of_day``) ------------------------------------------------


def _office_therapist() -> Any:
    """Europe/London, 09:00-17:00 every day: 04:00-12:00 (or 05:00-13:00) in New York."""
    from datetime import time

    hours = {day: ((time(9, 0), time(17, 0)),) for day in range(7)}
    return make_therapist("Olly Office", zone="Europe/London", hours=hours, with_user=False)


def test_slots_keep_to_the_part_of_the_day_on_the_viewer_s_clock(db: Any) -> None:
    from datetime import time

    from django.utils import timezone

    office = _office_therapist()
    new_york = ZoneInfo("America/New_York")
    today = timezone.now().astimezone(new_york).date()
    url = (
        f"/api/v1/therapists/{office.pk}/slots?start={today}&end={today + timedelta(days=6)}"
        "&tz=America/New_York&session_type=first_assessment"
    )
    everything = Client().get(url).json()  # asked first: the filtered answer is kept apart
    assert everything["time_of_day"] == "any" and everything["slots"]
    response = Client().get(f"{url}&time_of_day=morning")
    morning = response.json()
    assert response.status_code == 200 and morning["time_of_day"] == "morning"
    starts = [datetime.fromisoformat(s["start"]) for s in morning["slots"]]
    assert starts and all(time(6) <= s.time() < time(12) for s in starts)  # the viewer's clock
    assert morning["slots"] == [
        s
        for s in everything["slots"]
        if time(6) <= datetime.fromisoformat(s["start"]).time() < time(12)
    ]
    assert Client().get(f"{url}&time_of_day=any").json()["slots"] == everything["slots"]
    # New York's evening is the middle of London's night.
    evening = Client().get(f"{url}&time_of_day=evening").json()
    assert evening["slots"] == [] and evening["time_of_day"] == "evening"


def test_slots_at_night_and_in_the_daytime_share_out_every_slot_and_any_stays_the_default(
    db: Any,
) -> None:
    """The night (22:00-06:00, to the next morning) and the daytime (06:00-22:00) on the
    viewer's clock: between them every slot, each once; without ``time_of_day`` the answer
    is every slot, night included, as before the two were added (old clients)."""
    from datetime import time

    from django.utils import timezone

    office = _office_therapist()
    new_york = ZoneInfo("America/New_York")
    today = timezone.now().astimezone(new_york).date()
    url = (
        f"/api/v1/therapists/{office.pk}/slots?start={today}&end={today + timedelta(days=6)}"
        "&tz=America/New_York&session_type=first_assessment"
    )
    everything = Client().get(url).json()
    assert everything["time_of_day"] == "any"
    night, daytime = (
        Client().get(f"{url}&time_of_day={part}").json() for part in ("night", "daytime")
    )
    assert night["time_of_day"] == "night" and daytime["time_of_day"] == "daytime"

    def local(slot: dict[str, Any]) -> time:
        return datetime.fromisoformat(slot["start"]).time()

    # London's 09:00 is 04:00 or 05:00 in New York: its first hour or two are the night's.
    assert night["slots"] and all(local(s) < time(6) for s in night["slots"])
    assert daytime["slots"] and all(time(6) <= local(s) < time(22) for s in daytime["slots"])
    assert (
        sorted(night["slots"] + daytime["slots"], key=lambda s: s["start"]) == everything["slots"]
    )
    assert any(local(s) < time(6) for s in everything["slots"])  # the default keeps the night


@pytest.mark.parametrize("value", ["midnight", "Morning", "", "morning,evening"])
def test_a_wrong_time_of_day_is_a_field_error(therapist: Any, value: str) -> None:
    response = Client().get(
        f"/api/v1/therapists/{therapist.pk}/slots?start=2027-03-01&end=2027-03-02&tz=UTC"
        f"&time_of_day={quote(value)}"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == ["query", "time_of_day"]
    assert (
        "'any', 'morning', 'afternoon', 'evening', 'night' or 'daytime'" in body["detail"][0]["msg"]
    )
    assert body["errors"]["time_of_day"] == [body["detail"][0]["msg"]]


def test_the_openapi_document_describes_the_time_of_day() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    get = spec["paths"]["/api/v1/therapists/{therapist_id}/slots"]["get"]
    parameter = next(p for p in get["parameters"] if p["name"] == "time_of_day")
    assert parameter["in"] == "query" and not parameter.get("required", False)
    assert "morning 06:00-12:00" in parameter["description"]
    assert "evening 17:00-22:00" in parameter["description"]
    assert "night 22:00-06:00" in parameter["description"]
    assert "daytime 06:00-22:00" in parameter["description"]
    assert parameter["schema"]["default"] == "any"
    schema = parameter["schema"].get("allOf", [parameter["schema"]])[0]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert schema["enum"] == ["any", "morning", "afternoon", "evening", "night", "daytime"]
