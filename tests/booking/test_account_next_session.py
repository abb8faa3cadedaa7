"""The account page shows the patient's next session (a phone walk: it only linked to the
sessions page): when, in the patient's zone with the zone named, with whom, a link to the
session, join once the call is open, move or cancel while the rules allow it; "No session
booked" with a link to book otherwise. Only the patient's own sessions, never another
patient's, nor a therapist's sessions with their patients. Time is frozen in each test."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rehabit.booking import services
from rehabit.core.timefmt import format_span
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_therapist

pytestmark = pytest.mark.django_db


def _section(page: str) -> str:
    found = re.search(r'<section class="card"[^>]*id="next-session">(.*?)</section>', page, re.S)
    assert found is not None, "the account page has no sessions section"
    return found.group(1)


def _account(user: Any, *, mfa: bool = False) -> str:
    response = login(Client(), user, mfa=mfa).get("/account/")
    assert response.status_code == 200
    return _section(response.content.decode())


def _frozen(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def test_with_nothing_booked_the_page_says_so_and_links_to_booking(patient: Any) -> None:
    with _frozen(timezone.now()):
        section = _account(patient)
    assert "No session booked." in section
    assert 'href="/booking/"' in section
    assert 'href="/booking/appointments/"' in section
    assert "Next session" not in section


def test_the_next_session_is_the_patients_own_soonest_in_their_zone(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    """Pat (Asia/Kolkata) has two sessions; Olive has one sooner with the same therapist.
    Pat's page shows Pat's soonest, in IST with the zone named, and nothing of Olive's."""
    elsewhere = make_therapist("Wendy Later")
    olives = book(other_patient, therapist, free_start(therapist, after=timedelta(days=1)))
    soonest = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    later = book(patient, elsewhere, free_start(elsewhere, after=timedelta(days=6)))
    assert olives.start < soonest.start < later.start
    with _frozen(timezone.now()):
        section = _account(patient)
        expected = format_span(soonest.start, soonest.end, "Asia/Kolkata")
    assert "Next session" in section
    assert expected in section and "(IST, Asia/Kolkata)" in expected
    assert f'href="/booking/appointments/{soonest.pk}/"' in section
    assert "With Tara Therapist" in section
    # Days away: the call is not open yet, and the session may still be moved or cancelled.
    assert "The video call opens on" in section and "/join/" not in section
    assert f'href="/booking/appointments/{soonest.pk}/reschedule/"' in section
    assert f'href="/booking/appointments/{soonest.pk}/cancel/"' in section
    # Nobody else's session, and not the later one.
    for other in (olives, later):
        assert f"/booking/appointments/{other.pk}/" not in section
    assert "Wendy Later" not in section


def test_a_cancelled_session_gives_way_to_the_next(patient: Any, therapist: Any) -> None:
    first = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    second = book(patient, therapist, free_start(therapist, after=timedelta(days=5)))
    services.cancel(first.pk, actor=patient)
    with _frozen(timezone.now()):
        section = _account(patient)
    assert f"/booking/appointments/{first.pk}/" not in section
    assert f'href="/booking/appointments/{second.pk}/"' in section


def test_once_the_call_is_open_the_page_offers_to_join(patient: Any, therapist: Any) -> None:
    """Five minutes before the start: the call is open (it opens
    REHABIT_VIDEO_OPENS_MINUTES_BEFORE before) and the change deadline has passed, so the
    page says the session can no longer be changed online instead of offering to."""
    session = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    assert settings.REHABIT_VIDEO_OPENS_MINUTES_BEFORE >= 5
    with _frozen(session.start - timedelta(minutes=5)):
        section = _account(patient)
    assert f'href="/booking/appointments/{session.pk}/join/"' in section
    assert "Join the video call" in section
    assert "/reschedule/" not in section and "/cancel/" not in section
    assert "can no longer be cancelled or moved online" in section


def test_a_therapists_own_sessions_with_patients_are_not_their_next_session(
    patient: Any, therapist: Any
) -> None:
    book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    with _frozen(timezone.now()):
        section = _account(therapist.user, mfa=True)
    assert "No session booked." in section


def test_a_session_over_is_no_longer_next(patient: Any, therapist: Any) -> None:
    session = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    with _frozen(session.end + timedelta(minutes=1)):
        section = _account(patient)
    assert "No session booked." in section
