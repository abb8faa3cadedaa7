"""What the therapist reads around a cancelled or cancelling session (a therapist's walk).

The appointment page after the therapist cancelled: the patient still shares, but the
access ended with the session; the page says that, not that the patient does not share
(a therapist's walk). The cancel page names the patient for the therapist, not for the
patient."""

from __future__ import annotations

from datetime import datetime
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rehabit.booking import services
from tests.clinic.support import make_clinic

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_after_the_therapist_cancels_the_page_says_access_ended_with_it(db: Any) -> None:
    clinic = make_clinic()
    client = clinic.client("therapist")
    url = f"/booking/appointments/{clinic.appointment.pk}/"
    assert "Latest self-assessment" in unescape(client.get(url).content.decode())
    services.cancel(
        clinic.appointment.pk, actor=clinic.therapist.user, reason="", zone="Europe/London"
    )
    html = unescape(client.get(url).content.decode())
    assert "Latest self-assessment" not in html
    assert "does not share" not in html
    assert "access ended with the cancellation of this session" in html


def test_the_cancel_page_names_the_patient_for_the_therapist_only(db: Any) -> None:
    clinic = make_clinic()
    url = f"/booking/appointments/{clinic.appointment.pk}/cancel/"
    html = unescape(clinic.client("therapist").get(url).content.decode())
    assert "<h1>Cancel the session with Pat Clinic</h1>" in html
    assert "Cancel your session" not in html
    mine = unescape(clinic.client("patient").get(url).content.decode())
    assert "<h1>Cancel your session</h1>" in mine and "Pat Clinic</h1>" not in mine
