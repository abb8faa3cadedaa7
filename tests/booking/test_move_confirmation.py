"""Security finding 18: a move to the time the session already has is refused (it would
change nothing but e-mail both people), the current time is marked on the move page, and
a move on the page is confirmed first, showing the old and the new time with their zones."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from rehabit.audit.models import AuditEntry
from rehabit.booking import services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment
from rehabit.booking.presenters import iso_utc
from tests.accounts.helpers import login
from tests.booking.support import FOLLOW_UP, book, free_start

pytestmark = pytest.mark.django_db


def _moves() -> int:
    return AuditEntry.objects.filter(action="booking.moved").count()


def test_the_action_refuses_the_time_the_session_already_has(patient: Any, therapist: Any) -> None:
    booked = book(patient, therapist, free_start(therapist))
    with pytest.raises(BookingRefused) as refused:
        services.reschedule(booked.pk, actor=patient, start=booked.start, zone="Asia/Kolkata")
    assert refused.value.code == "same_time" and refused.value.status == 422
    assert "already at" in refused.value.message and "IST, Asia/Kolkata" in refused.value.message
    # The same instant written in another offset is the same time.
    with pytest.raises(BookingRefused):
        services.reschedule(
            booked.pk, actor=therapist.user, start=booked.start.astimezone(), zone="UTC"
        )
    booked.refresh_from_db()
    assert booked.status == "booked" and _moves() == 0
    # The same start as another kind of session is a real change.
    changed = services.reschedule(booked.pk, actor=patient, start=booked.start, kind=FOLLOW_UP)
    assert changed.start == booked.start and changed.session_type.kind == FOLLOW_UP


def test_the_move_page_marks_the_current_time_and_offers_no_button_for_it(
    patient: Any, therapist: Any
) -> None:
    booked = book(patient, therapist, free_start(therapist))
    page = login(Client(), patient).get(f"/booking/appointments/{booked.pk}/reschedule/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="current-slot"' in html and "your current time" in html
    offered = re.findall(r'name="start" value="([^"]+)"', html)
    assert offered and iso_utc(booked.start) not in offered


def test_a_picked_time_is_confirmed_before_anything_moves(patient: Any, therapist: Any) -> None:
    booked = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    url = f"/booking/appointments/{booked.pk}/reschedule/"
    new_start = booked.start + timedelta(days=1)
    confirm = client.post(url, {"start": iso_utc(new_start)})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Confirm the new time" in html
    # Old and new, in the patient's zone and the therapist's, each with its zone named.
    old_time = re.search(r'id="old-time">([^<]+)<', html).group(1)
    new_time = re.search(r'id="new-time"><strong>([^<]+)<', html).group(1)
    assert "IST, Asia/Kolkata" in old_time and "IST, Asia/Kolkata" in new_time
    assert "Europe/London" in re.search(r'id="new-therapist-time">([^<]+)<', html).group(1)
    assert "Europe/London" in re.search(r'id="old-therapist-time">([^<]+)<', html).group(1)
    assert 'name="confirm" value="yes"' in html
    booked.refresh_from_db()
    assert booked.status == "booked" and _moves() == 0
    done = client.post(url, {"start": iso_utc(new_start), "confirm": "yes"})
    assert done.status_code == 302
    moved = Appointment.objects.get(moved_from=booked)
    assert moved.start == new_start and _moves() == 1


@pytest.mark.parametrize("confirm", ["", "yes"])
def test_the_page_refuses_the_current_time_with_a_clear_message(
    patient: Any, therapist: Any, confirm: str, django_capture_on_commit_callbacks: Any
) -> None:
    booked = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/booking/appointments/{booked.pk}/reschedule/",
            {"start": iso_utc(booked.start), "confirm": confirm},
        )
    assert response.status_code == 422
    assert "Your session is already at" in response.content.decode()
    assert callbacks == []  # no notice queued for anyone
    booked.refresh_from_db()
    assert booked.status == "booked" and _moves() == 0


def test_the_api_refuses_the_same_start_with_code_same_time(patient: Any, therapist: Any) -> None:
    booked = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    url = f"/api/v1/appointments/{booked.pk}"
    for start in (booked.start, booked.start.astimezone()):
        response = client.patch(
            url, json.dumps({"start": start.isoformat()}), content_type="application/json"
        )
        assert response.status_code == 422, response.content
        data = response.json()
        assert data["code"] == "same_time"
        assert data["detail"][0]["loc"][-1] == "start"
        assert "already at" in data["detail"][0]["msg"]
    booked.refresh_from_db()
    assert booked.status == "booked" and _moves() == 0


def test_the_move_page_names_the_zone_of_its_times_as_the_other_pages_do(
    patient: Any, therapist: Any
) -> None:
    from django.utils import timezone

    from rehabit.core.timefmt import zone_label

    booked = book(patient, therapist, free_start(therapist))
    url = f"/booking/appointments/{booked.pk}/reschedule/?tz=America/New_York"
    html = login(Client(), patient).get(url).content.decode()
    # Was "Times are in America/New_York time.": the zone's id, with no abbreviation.
    label = zone_label(timezone.now(), "America/New_York")
    assert label.endswith("America/New York")
    assert f"Times are shown in <strong>{label}</strong> time." in html
    assert "America/New_York time" not in html


def test_back_after_a_move_shows_the_session_as_it_is_now(patient: Any, therapist: Any) -> None:
    """Picking a time was a form sent (POST) that answered with the confirmation: Back after
    the move asked to resend it, and resending showed the old time as "Now booked" beside
    "already cancelled or moved" (phone walk 6). A pick is an address now, and anything
    sent for a session that has moved leads to the session as it is."""
    booked = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    url = f"/booking/appointments/{booked.pk}/reschedule/?tz=America/New_York"
    listing = client.get(url).content.decode()
    assert '<form method="get" class="inline-form">' in listing
    assert '<input type="hidden" name="tz" value="America/New_York">' in listing
    new_start = booked.start + timedelta(days=1)
    picked = f"{url}&start={quote(iso_utc(new_start))}"
    confirm = client.get(picked)
    assert confirm.status_code == 200 and "Confirm the new time" in confirm.content.decode()
    assert "America/New York" in confirm.content.decode()  # EST or EDT, by the clock
    done = client.post(picked, {"start": iso_utc(new_start), "confirm": "yes"})
    moved = Appointment.objects.get(moved_from=booked)
    assert done["Location"] == f"/booking/appointments/{moved.pk}/"
    # Back to the confirmation of the old session: the move page of the session as it is.
    back = client.get(picked)
    assert back.status_code == 302
    assert back["Location"] == f"/booking/appointments/{moved.pk}/reschedule/"
    # Sending the confirmation again (a resubmission): the session's page, saying why.
    again = client.post(picked, {"start": iso_utc(new_start), "confirm": "yes"}, follow=True)
    page = again.content.decode()
    assert again.redirect_chain[-1][0] == f"/booking/appointments/{moved.pk}/"
    assert "This session has already been moved or cancelled." in page
    assert _moves() == 1
