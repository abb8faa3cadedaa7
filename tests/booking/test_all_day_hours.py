"""Working hours from midnight to midnight read "All day", not "00:00–00:00 (next day)",
wherever hours are shown: the week on the therapist's home, the dates with other hours,
and the month calendar (a therapist's walk)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from rehabit.booking.models import DateOverride
from tests.accounts.helpers import login
from tests.booking.support import make_therapist

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_whole_day_reads_all_day(db: Any) -> None:
    therapist = make_therapist("Tara Therapist", hours={0: ((time(9), time(17)),)})
    day = NOW.date() + timedelta(days=2)
    DateOverride.objects.create(therapist=therapist, day=day, start=time(0), end=time(0))
    client = login(Client(), therapist.user, mfa=True)
    home = unescape(client.get("/therapist/").content.decode())
    page = unescape(client.get(f"/booking/availability/?month={day:%Y-%m}").content.decode())
    for html in (home, page):
        assert "00:00–00:00" not in html
    assert "All day" in home
    assert "All day" in page  # the dates with other hours
    assert "Other hours: all day" in page  # the month calendar
