"""The diary's hint under "Day" points only at what the page shows. On the day of the check
(a new patient's first visit) there is no earlier day to choose and no "Days without an
entry" list, so the hint names today as the day of the check instead of a range from a day
to the same day and a list that is not there. Through the Django test client and a real
database, at the test clock (tests/clock.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.core.timefmt import format_day
from tests.outcomes.helpers import check_days_ago, page_text

pytestmark = pytest.mark.django_db

MISSED = "Days without an entry"


def day_hint(page: str) -> str:
    found = re.search(r'<p class="hint" id="entry_date-hint">(.*?)</p>', page, re.S)
    assert found, "the diary has no hint under its day field"
    return " ".join(found[1].split())


@pytest.mark.parametrize(("age", "whose"), [(34, "your check"), (9, "your child's check")])
def test_on_the_day_of_the_check_the_hint_names_only_today(
    client: Client, age: int, whose: str
) -> None:
    check = check_days_ago(age, 0)
    page = page_text(client.get(f"/care/{check.pk}/diary/"))
    today = format_day(timezone.localdate())
    hint = day_hint(page)
    assert MISSED not in page, hint  # before: the hint sent the reader to this missing list
    # Before: "from the day of your check (Monday, 7 December 2026) to today (Monday, ...)".
    assert f"to today ({today})" not in hint, hint
    assert hint.startswith(f"The day this entry is for: today ({today}), the day of {whose};")


def test_with_days_missed_the_hint_points_to_their_list(client: Client) -> None:
    check = check_days_ago(34, 3)
    page = page_text(client.get(f"/care/{check.pk}/diary/"))
    hint = day_hint(page)
    assert f'<h2 id="missed-title">{MISSED}</h2>' in page
    assert f"choose it from “{MISSED}”" in hint, hint
    assert "from the day of your check" in hint, hint
