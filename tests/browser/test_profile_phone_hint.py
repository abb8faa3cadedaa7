"""The first profile page after sign-up names a phone example of the person's own country
at once (phone walk: it was built at UTC and showed none until saved). The page's script
picks the browser's zone (accounts/timezone.js) and the hint follows the picker
(accounts/phone_hint.js); without JavaScript the generic hint stays."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest

from tests.browser.axe import assert_accessible
from tests.browser.phones import phone_page
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GENERIC = "Starting with + and your country code."


def _hint(region: str) -> str:
    number = phonenumbers.example_number(region)
    example = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"For example {example}."


def _newcomer() -> Any:
    from rehabit.accounts.consent import set_consent
    from rehabit.accounts.models import ConsentPurpose
    from tests.accounts.helpers import make_user

    user = make_user("nouvelle@example.fr", complete=False)
    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        set_consent(user, purpose, True)
    return user


def test_a_phone_in_paris_sees_the_french_example_on_the_first_profile_page(
    browser: Any, live_server: Any
) -> None:
    from rehabit.accounts.models import Profile

    newcomer = _newcomer()
    with phone_page(browser, timezone_id="Europe/Paris") as page:
        sign_in(page, live_server.url, newcomer)
        page.goto(f"{live_server.url}/account/profile/")
        zone = page.get_by_label("Time zone")
        assert zone.input_value() == "Europe/Paris"
        hint = page.locator("#id_phone_helptext")
        assert hint.inner_text() == _hint("FR")
        assert_accessible(page)

        # The hint follows the picker: another country, then none.
        zone.select_option("America/New_York")
        assert hint.inner_text() == _hint("US")
        zone.select_option("UTC")
        assert hint.inner_text() == GENERIC
        zone.select_option("Europe/Paris")
        assert hint.inner_text() == _hint("FR")

        # A French number typed the French way is read in France and saved in full.
        page.get_by_label("Full name").fill("Nadia Nouvelle")
        page.get_by_label("Date of birth").fill("1984-03-27")
        page.get_by_label("Phone (optional)").fill("06 12 34 56 78")
        page.get_by_role("button", name="Save profile").click()
        page.wait_for_url(f"{live_server.url}/account/")
    profile = Profile.objects.get(user=newcomer)
    assert (profile.time_zone, profile.phone) == ("Europe/Paris", "+33612345678")


def test_without_javascript_the_hint_says_to_start_with_plus(
    browser: Any, live_server: Any
) -> None:
    newcomer = _newcomer()
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/Paris", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, newcomer)
        page.goto(f"{live_server.url}/account/profile/")
        assert page.get_by_label("Time zone").input_value() == "UTC"
        assert page.locator("#id_phone_helptext").inner_text() == GENERIC
    finally:
        context.close()
