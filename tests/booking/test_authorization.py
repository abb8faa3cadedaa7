"""Every appointment URL and API endpoint refuses another patient, a therapist without a
relation and an anonymous visitor (403 or 404), and changes nothing for them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from rehabit.booking.models import Appointment, WaitlistEntry
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_therapist

pytestmark = pytest.mark.django_db

DENIED = {403, 404}


@pytest.fixture
def appointment(patient: Any, therapist: Any) -> Appointment:
    return book(patient, therapist, free_start(therapist))


@pytest.fixture
def outsiders(other_patient: Any) -> dict[str, Client]:
    stranger = make_therapist("Sam Stranger")
    return {
        "another patient": login(Client(), other_patient),
        "therapist without relation": login(Client(), stranger.user, mfa=True),
        "anonymous": Client(),
    }


def page_urls(appointment: Appointment) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/booking/appointments/{appointment.pk}/"
    later = (appointment.start.replace(microsecond=0)).isoformat()
    return [
        ("get", base, {}),
        ("get", base + "reschedule/", {}),
        ("post", base + "reschedule/", {"start": later}),
        ("get", base + "cancel/", {}),
        ("post", base + "cancel/", {"reason": "x"}),
        ("get", base + "join/", {}),
    ]


def api_calls(appointment: Appointment) -> list[tuple[str, str, dict[str, Any]]]:
    url = f"/api/v1/appointments/{appointment.pk}"
    return [
        ("get", url, {}),
        ("patch", url, {"start": appointment.start.isoformat()}),
        ("delete", url, {}),
    ]


def test_appointment_pages_refuse_outsiders(
    appointment: Appointment, outsiders: dict[str, Client], patient: Any, therapist: Any
) -> None:
    for who, client in outsiders.items():
        for method, url, data in page_urls(appointment):
            response = getattr(client, method)(url, data)
            assert response.status_code in DENIED, (
                f"{method} {url} as {who}: {response.status_code}"
            )
            body = response.content.decode()
            assert patient.email not in body and "Pat Booker" not in body
    appointment.refresh_from_db()
    assert appointment.status == "booked" and Appointment.objects.count() == 1
    # The two participants do see it.
    assert (
        login(Client(), patient).get(f"/booking/appointments/{appointment.pk}/").status_code == 200
    )
    therapist_client = login(Client(), therapist.user, mfa=True)
    assert therapist_client.get(f"/booking/appointments/{appointment.pk}/").status_code == 200


def test_appointment_api_refuses_outsiders(
    appointment: Appointment, outsiders: dict[str, Client], patient: Any
) -> None:
    for who, client in outsiders.items():
        for method, url, data in api_calls(appointment):
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(
                    url, json.dumps(data), content_type="application/json"
                )
            assert response.status_code in DENIED, (
                f"{method} {url} as {who}: {response.status_code}"
            )
            assert patient.email not in response.content.decode()
        listing = client.get("/api/v1/appointments")
        assert listing.status_code in DENIED or str(appointment.pk) not in listing.content.decode()
        created = client.post(
            "/api/v1/appointments",
            json.dumps(
                {
                    "therapist_id": appointment.therapist_id,
                    "session_type": "follow_up",
                    "start": appointment.end.isoformat(),
                }
            ),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k1",
        )
        if who == "anonymous":
            assert created.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_my_lists_show_only_my_own(appointment: Appointment, outsiders: dict[str, Client]) -> None:
    for who, client in outsiders.items():
        if who == "anonymous":
            assert client.get("/booking/appointments/").status_code == 403
            continue
        assert str(appointment.pk) not in client.get("/booking/appointments/").content.decode()


def test_offers_and_waitlist_entries_belong_to_their_patient(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from rehabit.booking import waitlist

    entry = waitlist.join(
        patient=patient,
        therapist=therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=timezone.now() + timedelta(days=30),
    )
    other = login(Client(), other_patient)
    assert other.post(f"/booking/waitlist/{entry.pk}/leave/").status_code == 404
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting"
    assert other.get("/booking/offers/not-a-token/").status_code == 404
    assert Client().get("/booking/offers/not-a-token/").status_code == 403
