"""A phone number is stored in full international form (E.164) or refused with a sentence
that says what to type (``rehabit.accounts.phones``): the rule itself, the profile forms of
patients and staff, and the admin site's profile form, which all use it."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest
from django import forms

from rehabit.accounts.admin import ProfileAdminForm
from rehabit.accounts.forms import ProfileForm, StaffProfileForm
from rehabit.accounts.models import Profile
from rehabit.accounts.phones import international_number, phone_example, zone_examples

NEW_YORK = "America/New_York"


def _example(region: str) -> str:
    number = phonenumbers.example_number(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _refusal(typed: str, zone: str | None) -> forms.ValidationError:
    with pytest.raises(forms.ValidationError) as caught:
        international_number(typed, zone)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "zone", "stored"),
    [
        ("(201) 555-0123", NEW_YORK, "+12015550123"),
        ("201.555.0123", NEW_YORK, "+12015550123"),
        ("1 201 555 0123", NEW_YORK, "+12015550123"),  # the trunk code 1 typed too
        ("+1 201-555-0123", None, "+12015550123"),
        ("+44 20 7946 0958", NEW_YORK, "+442079460958"),  # + wins over the zone's country
        ("06 12 34 56 78", "Europe/Paris", "+33612345678"),
        ("0033 6 12 34 56 78", "Europe/Paris", "+33612345678"),  # France's 00 prefix
        ("030/12345678", "Europe/Berlin", "+493012345678"),
        ("  +33 6 12 34 56 78  ", "UTC", "+33612345678"),
        ("\uff0b33 6 12 34 56 78", "UTC", "+33612345678"),  # a full-width plus
        ("(+33) 6 12 34 56 78", None, "+33612345678"),
        ("٠٦١٢٣٤٥٦٧٨", "Europe/Paris", "+33612345678"),  # Arabic-Indic digits
        ("98765 43210", "Asia/Calcutta", "+919876543210"),  # a zone's other name
        ("", NEW_YORK, ""),
        ("   ", None, ""),
    ],
)
def test_a_number_is_stored_in_international_form(
    typed: str, zone: str | None, stored: str
) -> None:
    assert international_number(typed, zone) == stored


@pytest.mark.parametrize(
    "typed", ["555-0142", "5550142", "12 34", "201 555 01234", "000 000 0000", "+1 555-0142"]
)
def test_a_number_that_is_not_whole_in_the_zones_country_is_refused_with_its_example(
    typed: str,
) -> None:
    """Phone walk: "555-0142" was stored as it was. It has no area code: not a US number."""
    error = _refusal(typed, NEW_YORK)
    assert error.code == "invalid"
    assert f"for example {_example('US')}" in error.messages[0]


@pytest.mark.parametrize("zone", [None, "", "UTC", "Etc/GMT+5", "Antarctica/Troll"])
def test_without_a_country_a_number_needs_its_plus(zone: str | None) -> None:
    """UTC names no country, nor does Etc/GMT+5; Antarctica has no numbering plan of its
    own. A number without + cannot be read there: the message says to start with +."""
    error = _refusal("(201) 555-0123", zone)
    assert error.code == "no_country"
    assert error.messages == [
        "Start the number with + and your country code: with the time zone chosen, we "
        "can't tell which country the number is in."
    ]
    assert international_number("+1 201 555 0123", zone) == "+12015550123"


def test_a_number_with_a_plus_that_is_not_whole_says_to_check_the_country_code() -> None:
    assert _refusal("+99 123", None).messages == [
        "That is not a whole phone number. Check the country code after the + and the digits "
        "that follow it."
    ]
    assert f"for example {_example('FR')}" in _refusal("+33 1", "Europe/Paris").messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "call me maybe",
        "1-800-FLOWERS",  # phonenumbers would read the letters as digits
        "201 555 0123 ext. 4",
        "201 555\x000123",  # a NUL byte, which phonenumbers skips
        "201\u202e555 0123",  # a right-to-left override
        "+1 201 555 0123; DROP TABLE",
        "<script>",
    ],
)
def test_anything_but_digits_and_separators_is_refused(typed: str) -> None:
    error = _refusal(typed, NEW_YORK)
    assert error.code == "characters"
    assert error.messages[0].startswith(
        "A phone number has only digits, spaces and the signs + ( ) - in it."
    )
    assert f"for example {_example('US')}" in error.messages[0]
    no_country = _refusal(typed, "UTC").messages[0]
    assert "starting with + and your country code" in no_country


@pytest.mark.parametrize(
    "typed",
    ["1" * 10_000, "+" + "1" * 10_000, " " * 9_999 + "1"],
    ids=["digits", "plus-and-digits", "spaces-and-a-digit"],
)
def test_ten_thousand_characters_are_refused_not_read(typed: str) -> None:
    assert _refusal(typed, NEW_YORK).code == "invalid"


def test_every_offered_zone_with_a_country_has_its_example() -> None:
    examples = zone_examples()
    assert examples["Europe/Paris"] == phone_example("Europe/Paris") == _example("FR")
    assert examples["America/Chicago"] == _example("US")
    assert "UTC" not in examples and "Antarctica/Troll" not in examples
    for example in examples.values():
        assert phonenumbers.is_valid_number(phonenumbers.parse(example, None))


# --- The forms ---------------------------------------------------------------------------

PROFILE = {
    "full_name": "Nadia Newcomer",
    "date_of_birth": "1984-03-27",
    "time_zone": NEW_YORK,
    "language": "en-gb",
}


@pytest.fixture
def profile(db: Any) -> Any:
    from tests.accounts.helpers import make_user

    user = make_user("phone.form@example.org")
    Profile.objects.filter(user=user).update(time_zone="Europe/Paris", phone="")
    return Profile.objects.get(user=user)


def _form(profile: Any, cls: type[ProfileForm] = ProfileForm, **data: str) -> ProfileForm:
    return cls(data={**PROFILE, **data}, instance=profile)


def test_the_profile_form_stores_a_number_read_in_the_zone_chosen_in_it(profile: Any) -> None:
    form = _form(profile, phone="(201) 555-0123")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12015550123"
    # The saved zone (Europe/Paris) is not used when the form chooses one.
    form = _form(profile, phone="06 12 34 56 78")
    assert not form.is_valid()
    assert "for example +1 201-555-0123" in form.errors["phone"][0]


def test_the_profile_form_falls_back_on_the_saved_zone_when_the_one_sent_is_refused(
    profile: Any,
) -> None:
    form = _form(profile, time_zone="Mars/Olympus_Mons", phone="06 12 34 56 78")
    assert not form.is_valid()
    assert list(form.errors) == ["time_zone"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("555-0142", "That is not a whole phone number in the country of the time zone"),
        ("call me", "A phone number has only digits"),
        ("201 555\x000123", "Null characters are not allowed."),
        ("2" * 10_000, "A phone number can have at most 32 characters."),
    ],
    ids=["no-area-code", "letters", "nul-byte", "10000-characters"],
)
def test_the_profile_form_refuses_with_a_clear_message(
    profile: Any, typed: str, message: str
) -> None:
    form = _form(profile, phone=typed)
    assert not form.is_valid()
    assert message in form.errors["phone"][0]
    # Shown again as typed (a page never sends a NUL byte: InputMiddleware refuses it
    # first, tests/accounts/test_profile.py).
    assert form["phone"].value() == typed


def test_the_profile_form_with_no_country_asks_for_the_plus(profile: Any) -> None:
    Profile.objects.filter(pk=profile.pk).update(time_zone="")
    profile.refresh_from_db()
    form = _form(profile, time_zone="UTC", phone="(201) 555-0123")
    assert not form.is_valid()
    assert form.errors["phone"][0].startswith("Start the number with + and your country code")
    assert _form(profile, time_zone="UTC", phone="+1 201 555 0123").is_valid()


def test_the_staff_profile_form_uses_the_same_rule(profile: Any) -> None:
    data = {k: v for k, v in PROFILE.items() if k != "date_of_birth"}
    form = StaffProfileForm(data={**data, "phone": "555-0142"}, instance=profile)
    assert not form.is_valid() and "phone" in form.errors
    form = StaffProfileForm(data={**data, "phone": "(201) 555-0123"}, instance=profile)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12015550123"


def test_the_admin_sites_profile_form_uses_the_same_rule(profile: Any) -> None:
    data = {
        "user": profile.user_id,
        "full_name": "Nadia Newcomer",
        "date_of_birth": "1984-03-27",
        "time_zone": NEW_YORK,
        "language": "en-gb",
        "created_at": "2026-01-01 09:00:00",
        "updated_at": "2026-01-01 09:00:00",
    }
    form = ProfileAdminForm(data={**data, "phone": "555-0142"}, instance=profile)
    assert not form.is_valid()
    assert f"for example {_example('US')}" in form.errors["phone"][0]
    form = ProfileAdminForm(data={**data, "phone": "(201) 555-0123"}, instance=profile)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12015550123"
    # Without a zone in the form, the saved one (Europe/Paris) is the country.
    profile.refresh_from_db()  # a valid form has put its zone on the instance
    form = ProfileAdminForm(
        data={**data, "time_zone": "", "phone": "06 12 34 56 78"}, instance=profile
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+33612345678"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+12015550123", '<a href="tel:+12015550123">+1 201-555-0123</a>'),
        ("+33612345678", '<a href="tel:+33612345678">+33 6 12 34 56 78</a>'),
        # Stored before numbers were read in full: shown as typed, never dialled as if whole.
        ("2015550123", "2015550123"),
        ("+999 1", "+999 1"),
        ("", ""),
    ],
)
def test_a_stored_number_is_shown_readable_and_dialled_in_full(stored: str, shown: str) -> None:
    from rehabit.accounts.templatetags.accounts import phone_number

    assert str(phone_number(stored)) == shown


def test_the_account_page_shows_the_number_readable(profile: Any) -> None:
    from django.test import Client

    from tests.accounts.helpers import login

    Profile.objects.filter(pk=profile.pk).update(phone="+33612345678")
    body = login(Client(), profile.user).get("/account/").content.decode()
    assert '<dd><a href="tel:+33612345678">+33 6 12 34 56 78</a></dd>' in body
