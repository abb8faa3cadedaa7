"""A date of birth typed as text (a browser without a date picker) is read in the order of
the reader's language (config/formats: DATE_INPUT_FORMATS): British English day first,
American English month first, so "12/8/1980" is 12 August to one and December 8 to the
other; a date that only reads in the other order is refused, never read the other way;
ISO 8601 ("1980-08-12") is read in both."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from rehabit.accounts.forms import ProfileForm
from rehabit.accounts.models import Profile
from tests.accounts.helpers import login, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)
FORM = {
    "full_name": "Nadia Newcomer",
    "time_zone": "America/New_York",
    "language": "en-gb",
    "phone": "",
}


def _read(language: str, typed: str) -> date | None:
    with time_machine.travel(NOW, tick=False), translation.override(language):
        form = ProfileForm(data={**FORM, "date_of_birth": typed})
        form.is_valid()
        if "date_of_birth" in form.errors:
            return None
        born: date = form.cleaned_data["date_of_birth"]
        return born


@pytest.mark.parametrize(
    ("language", "typed", "born"),
    [
        ("en-gb", "12/8/1980", date(1980, 8, 12)),
        ("en-us", "12/8/1980", date(1980, 12, 8)),
        ("en-gb", "27/03/1984", date(1984, 3, 27)),
        ("en-us", "03/27/1984", date(1984, 3, 27)),
        ("en-gb", "27.03.1984", date(1984, 3, 27)),
        ("en-gb", "1980-08-12", date(1980, 8, 12)),
        ("en-us", "1980-08-12", date(1980, 8, 12)),
        # Only readable in the other language's order: refused, never read that way.
        ("en-us", "27/03/1984", None),
        ("en-gb", "03/27/1984", None),
        # Two-digit years are in no language's list.
        ("en-gb", "12/8/80", None),
        ("en-us", "12/8/80", None),
    ],
)
def test_a_typed_date_of_birth_is_read_in_the_languages_order(
    language: str, typed: str, born: date | None
) -> None:
    assert _read(language, typed) == born


@pytest.mark.parametrize(
    ("header", "born"), [("en-GB", date(1980, 8, 12)), ("en-US", date(1980, 12, 8))]
)
def test_the_profile_page_reads_the_date_in_the_pages_language(header: str, born: date) -> None:
    with time_machine.travel(NOW, tick=False):
        user = make_user("nadia@example.org")
        Profile.objects.filter(user=user).update(language="")
        client = login(Client(HTTP_ACCEPT_LANGUAGE=header), user)
        response = client.post("/account/profile/", {**FORM, "date_of_birth": "12/8/1980"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Profile.objects.get(user=user).date_of_birth == born


@pytest.mark.parametrize(
    ("language", "order"), [("en-gb", "day, month and year"), ("en-us", "month, day and year")]
)
def test_the_hint_and_the_error_name_the_parts_in_the_languages_order(
    language: str, order: str
) -> None:
    """The field reads an American date month first, so its hint and its error say so
    (they said "the day, month and year" in American English too)."""
    with time_machine.travel(NOW, tick=False), translation.override(language):
        form = ProfileForm(data={**FORM, "date_of_birth": "31/31/1980"})
        assert not form.is_valid()
        hint = str(form.fields["date_of_birth"].help_text)
        error = form.errors["date_of_birth"][0]
    assert f"the {order} you were born" in hint
    assert error == f"Enter a real date: the {order} you were born."
