"""Prevention sessions logged without an account are erased after
REHABIT_UNCLAIMED_ASSESSMENT_DAYS (``rehabit.care.retention``), by the worker's daily round
(``rehabit.core.retention``); one in an account, or logged recently, stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from rehabit.care.models import PreventionSession
from rehabit.care.retention import erase_unclaimed_prevention
from tests.accounts.helpers import make_user
from tests.care.test_prevention import GOOD

pytestmark = pytest.mark.django_db

LOGGED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _logged(client: Client, when: datetime, token: str) -> None:
    with time_machine.travel(when, tick=False):
        response = client.post("/prevention/strength/", {**GOOD, "token": token})
    assert response.status_code in (302, 303), response.content


def test_an_unclaimed_session_is_erased_after_the_set_days_and_an_owned_one_stays(
    settings: Any,
) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 90
    visitor = Client()
    _logged(visitor, LOGGED, "a1")
    _logged(visitor, LOGGED + timedelta(days=60), "a2")
    member = Client()
    member.force_login(make_user("kept@example.org"))
    _logged(member, LOGGED, "b1")
    assert PreventionSession.objects.count() == 3

    assert erase_unclaimed_prevention(LOGGED + timedelta(days=89, hours=23)) == 0
    assert erase_unclaimed_prevention(LOGGED + timedelta(days=90, hours=1)) == 1
    left = PreventionSession.objects.order_by("logged_at")
    assert [(s.owner is None, s.logged_at) for s in left] == [
        (False, LOGGED),
        (True, LOGGED + timedelta(days=60)),
    ]
    # The visitor's page lists what is left, and nothing breaks for the erased id.
    with time_machine.travel(LOGGED + timedelta(days=91), tick=False):
        assert visitor.get("/prevention/").status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker closes connections between rounds
def test_the_worker_erases_them_in_its_daily_round(settings: Any) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 10
    _logged(Client(), LOGGED, "c1")
    with time_machine.travel(LOGGED + timedelta(days=11), tick=False):
        call_command("worker", once=True, verbosity=0)
    assert not PreventionSession.objects.exists()
