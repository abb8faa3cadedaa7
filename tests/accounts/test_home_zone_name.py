"""The account page names the person's time zone as people read it, the way every other
page does ("America/New York"), not by its database id ("America/New_York")."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rehabit.accounts.models import Profile
from tests.accounts.helpers import login, make_user

pytestmark = pytest.mark.django_db


def profile_zone(page: str) -> str:
    found = re.search(r"<dt>Time zone</dt><dd>([^<]*)</dd>", page)
    assert found, "the account page shows no time zone"
    return found[1]


def test_the_account_page_names_the_zone_as_people_read_it(client: Client) -> None:
    user = make_user("new.york@example.org", name="Riley Runner")
    Profile.objects.filter(user=user).update(time_zone="America/New_York")
    page = login(client, user).get("/account/").content.decode()
    # Before: "America/New_York", where the booking and result pages say "America/New York".
    assert profile_zone(page) == "America/New York"
