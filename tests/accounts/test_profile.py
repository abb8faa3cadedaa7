"""The profile: asked on the first visit after signing in, every field validated with a
clear message, time zone and language applied."""

from __future__ import annotations

import json
import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any

import phonenumbers
import pytest
import time_machine
from django.test import Client
from django.utils import formats, timezone

from rehabit.accounts.models import Profile
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import login, make_user

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Nadia  Newcomer ",
    "date_of_birth": "1984-03-27",
    "time_zone": "America/New_York",
    "language": "en-gb",
    "phone": "+44 20 7946 0958",
}
JANUARY = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)


@pytest.fixture
def newcomer(db: Any) -> Any:
    return make_user("nadia@example.org", complete=False)


def test_first_visit_asks_for_the_profile_then_returns(newcomer: Any) -> None:
    from rehabit.accounts.consent import set_consent
    from rehabit.accounts.models import ConsentPurpose

    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        set_consent(newcomer, purpose, True)
    client = login(Client(), newcomer)
    response = client.get("/account/access-log/")
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/?next=%2Faccount%2Faccess-log%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'data-detect-time-zone="yes"' in page
    assert "accounts/timezone.js" in page
    response = client.post("/account/profile/?next=/account/access-log/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/account/access-log/"
    profile = Profile.objects.get(user=newcomer)
    assert profile.full_name == "Nadia Newcomer"
    assert profile.phone == "+442079460958"
    assert profile.time_zone == "America/New_York"
    entry = AuditEntry.objects.get(action=AuditAction.PROFILE_UPDATED, subject_id=newcomer.pk)
    assert "Nadia" not in str(entry.details)  # which fields, never their values


def test_next_must_stay_on_this_site(patient: Any) -> None:
    client = login(Client(), patient)
    response = client.post("/account/profile/?next=https://evil.example/", GOOD)
    assert response["Location"] == "/account/"


def _errors(patient: Any, **changes: str) -> str:
    response = login(Client(), patient).post("/account/profile/", {**GOOD, **changes})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    return body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
        ({"date_of_birth": timedelta(days=2)}, "can&#x27;t be in the future"),
        ({"date_of_birth": "1850-01-01"}, "more than 120 years ago"),
        ({"date_of_birth": -timedelta(days=365 * 10)}, "aged 18 and over"),
        ({"date_of_birth": "31/02/1990"}, "Enter a real date"),
        ({"phone": "call me maybe"}, "A phone number has only digits"),
        ({"full_name": ""}, "Enter your name."),
        ({"full_name": "12345"}, "using letters"),
        ({"language": "xx"}, "is not a language Rehabit offers"),
    ],
)
def test_every_field_is_validated_with_a_clear_message(
    patient: Any, changes: dict[str, str | timedelta], message: str
) -> None:
    # A date given as an offset is counted from today at the test clock, not at collection.
    today = timezone.localdate()
    body = _errors(
        patient,
        **{
            k: (today + v).isoformat() if isinstance(v, timedelta) else v
            for k, v in changes.items()
        },
    )
    assert message in body
    assert 'aria-invalid="true"' in body


def test_a_zone_no_longer_offered_is_kept_for_its_owner_and_refused_to_others(
    patient: Any,
) -> None:
    """Etc/GMT+5 (five hours *behind* GMT) is not offered any more; a profile saved with it
    before can still be saved unchanged, and no one else can pick it."""
    Profile.objects.filter(user=patient).update(time_zone="Etc/GMT+5")
    with time_machine.travel(JANUARY, tick=False):
        page = login(Client(), patient).get("/account/profile/").content.decode()
    # Named with its offset like every zone of the list, which says what its id hides.
    assert '<option value="Etc/GMT+5" selected>Etc/\u200bGMT+5 (UTC\u221205:00)</option>' in page
    client = login(Client(), patient)
    response = client.post("/account/profile/", {**GOOD, "time_zone": "Etc/GMT+5"})
    assert response.status_code == 302
    assert Profile.objects.get(user=patient).time_zone == "Etc/GMT+5"
    Profile.objects.filter(user=patient).update(time_zone="Europe/London")
    assert "is not a time zone we know" in _errors(patient, time_zone="Etc/GMT+5")


def test_the_zone_list_names_each_zones_offset_now(patient: Any) -> None:
    """The account settings' zone list: the zone's name and its offset from UTC in force now
    (New York is five hours behind in January, four in July); the values stay the ids."""
    Profile.objects.filter(user=patient).update(time_zone="America/New_York")
    with time_machine.travel(JANUARY, tick=False):
        january = login(Client(), patient).get("/account/profile/").content.decode()
    with time_machine.travel(JANUARY.replace(month=7), tick=False):
        july = login(Client(), patient).get("/account/profile/").content.decode()
    # (After each "/", a zero-width space: where a long label may wrap, timefmt.PICKER_BREAK.)
    new_york = (
        '<option value="America/New_York" selected>America/\u200bNew York (UTC\u2212{})</option>'
    )
    assert new_york.format("05:00") in january
    assert new_york.format("04:00") in july
    assert '<option value="Asia/Kathmandu">Asia/\u200bKathmandu (UTC+05:45)</option>' in january
    assert '<option value="UTC">UTC</option>' in january


def test_a_zone_saved_under_another_name_is_shown_and_saved_as_the_list_names_it(
    patient: Any,
) -> None:
    # The list offers Asia/Kolkata only (phone walk 5); a profile saved with Asia/Calcutta,
    # as browsers report it, is the same clock and is shown chosen under the listed name.
    Profile.objects.filter(user=patient).update(time_zone="Asia/Calcutta")
    client = login(Client(), patient)
    page = client.get("/account/profile/").content.decode()
    assert 'value="Asia/Kolkata" selected' in page and 'value="Asia/Calcutta"' not in page
    response = client.post("/account/profile/", {**GOOD, "time_zone": "Asia/Calcutta"})
    assert response.status_code == 302
    assert Profile.objects.get(user=patient).time_zone == "Asia/Kolkata"


def test_times_are_shown_in_the_persons_zone_with_its_name(patient: Any) -> None:
    from tests.accounts.helpers import assessment_for

    assessment = assessment_for(patient)
    Profile.objects.filter(user=patient).update(time_zone="Asia/Kolkata")
    body = login(Client(), patient).get("/account/").content.decode()
    local = timezone.localtime(assessment.created_at, timezone=zoneinfo.ZoneInfo("Asia/Kolkata"))
    day = formats.date_format(local, "l j F Y")
    assert f"{day}, {local:%H:%M} (IST, Asia/Kolkata)" in body


def test_preferred_language_is_applied_to_the_session(patient: Any, settings: Any) -> None:
    settings.LANGUAGES = [("en", "English"), ("es", "Spanish")]
    Profile.objects.filter(user=patient).update(language="es")
    client = Client()
    from tests.accounts.helpers import PASSWORD

    response = client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_signed_in_person_finds_their_sessions_from_every_page(patient: Any) -> None:
    """The menu and the account page lead to the sessions booked (to see, move or cancel
    them), not only the confirmation e-mail."""
    client = login(Client(), patient)
    for path in ("/", "/account/", "/booking/"):
        body = client.get(path).content.decode()
        assert 'href="/booking/appointments/"' in body, path
    assert "See, move or cancel my video sessions" in client.get("/account/").content.decode()
    assert 'href="/booking/appointments/"' not in Client().get("/").content.decode()


def test_the_date_of_birth_hint_does_not_depend_on_the_pickers_format(patient: Any) -> None:
    """The date picker shows the reader's own format (mm/dd/yyyy, dd/mm/yyyy…): the hint
    and the error give no example in another format."""
    page = login(Client(), patient).get("/account/profile/").content.decode()
    assert "For example 1984-03-27" not in page
    assert "the day, month and year you were born." in page
    body = _errors(patient, date_of_birth="31/02/1990")
    assert "1984-03-27" not in body


def test_a_therapists_zone_from_their_record_is_preselected_not_detected() -> None:
    """An administrator set the therapist record's zone; the therapist's first visit to the
    account profile offers that zone and leaves the browser's zone (perhaps a laptop set to
    somewhere else) out of it. Saving keeps it."""
    from tests.booking.support import make_therapist

    therapist = make_therapist("Sid Sydney", zone="Australia/Sydney")
    Profile.objects.filter(user=therapist.user).update(time_zone="")
    client = login(Client(), therapist.user, mfa=True)
    page = client.get("/account/profile/").content.decode()
    assert 'value="Australia/Sydney" selected' in page
    assert 'value="UTC" selected' not in page
    assert 'data-detect-time-zone="no"' in page and 'data-detect-time-zone="yes"' not in page
    form = {k: v for k, v in GOOD.items() if k != "date_of_birth"}
    response = client.post("/account/profile/", {**form, "time_zone": "Australia/Sydney"})
    assert response.status_code == 302
    assert Profile.objects.get(user=therapist.user).time_zone == "Australia/Sydney"


def test_a_newcomer_with_no_zone_anywhere_is_offered_the_browsers(newcomer: Any) -> None:
    """Nobody knows a new patient's zone yet: UTC without JavaScript, the browser's with it."""
    page = login(Client(), newcomer).get("/account/profile/").content.decode()
    assert 'data-detect-time-zone="yes"' in page
    assert 'value="UTC" selected' in page


def test_a_zone_just_chosen_is_kept_when_the_form_comes_back_with_an_error(
    newcomer: Any,
) -> None:
    """The page shown again for another field's error keeps the zone the newcomer chose;
    the browser's zone does not replace it."""
    response = login(Client(), newcomer).post("/account/profile/", {**GOOD, "full_name": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="America/New_York" selected' in page
    assert 'data-detect-time-zone="no"' in page


def test_a_therapists_zone_is_changed_in_the_workspace_not_here() -> None:
    """A therapist's times follow their record's zone (their working hours are set in it).
    The account profile used to offer a zone of its own, which was saved and then ignored
    everywhere: it now shows the record's zone, links to the workspace profile where it
    is changed, and saving keeps the two in step whatever is posted."""
    from rehabit.booking.people import zone_of
    from tests.booking.support import make_therapist

    therapist = make_therapist("Sid Sydney", zone="Australia/Sydney")
    Profile.objects.filter(user=therapist.user).update(time_zone="Europe/London")  # diverged
    client = login(Client(), therapist.user, mfa=True)
    page = client.get("/account/profile/").content.decode()
    assert 'value="Australia/Sydney" selected' in page and " disabled" in page
    assert 'href="/therapist/profile/"' in page
    assert "Change it on your workspace profile" in page
    form = {k: v for k, v in GOOD.items() if k != "date_of_birth"}
    response = client.post("/account/profile/", {**form, "time_zone": "America/New_York"})
    assert response.status_code == 302
    assert Profile.objects.get(user=therapist.user).time_zone == "Australia/Sydney"
    therapist.user.refresh_from_db()
    assert zone_of(therapist.user) == "Australia/Sydney"


def test_someone_under_the_minimum_age_is_told_before_signing_up_and_shown_a_way_out(
    newcomer: Any,
) -> None:
    # A 17-year-old may do the check alone, and its result offers an account; the sign-up
    # page did not say accounts start at 18, and the profile then refused them with no
    # way on: every page (their result too) led back to the profile.
    signup = Client().get("/account/signup/").content.decode()
    assert "Accounts are for people aged 18 and over" in signup
    too_young = (timezone.localdate() - timedelta(days=365 * 17)).isoformat()
    client = login(Client(), newcomer)
    response = client.post("/account/profile/", {**GOOD, "date_of_birth": too_young})
    assert response.status_code == 422
    body = response.content.decode()
    assert "aged 18 and over" in body
    assert 'href="/account/data/delete/"' in body
    # The way out is open while the profile is owed (after confirming the password).
    delete = client.get("/account/data/delete/")
    assert delete.status_code == 302 and delete["Location"].startswith("/account/reauthenticate/")


def _phone_hint(page: str) -> str:
    """The phone field's hint as read (its example's spans taken out)."""
    found = re.search(r'<div class="hint" id="id_phone_helptext">(.*?)</div>', page, re.S)
    assert found is not None, "the phone field has no hint"
    return re.sub(r"</?span[^>]*>", "", found.group(1))


@pytest.mark.parametrize(
    ("zone", "groups"),
    [("America/Chicago", ["+1", "201-555-0123"]), ("Europe/Paris", ["+33", "1", "23", "45"])],
)
def test_the_phone_example_is_marked_to_stay_on_one_line(
    patient: Any, zone: str, groups: list[str]
) -> None:
    """Phone walk at 360 px: "+1 201-" on one line, "555-0123" on the next. The example is
    in a phone-example span, each space-separated group in its own span (the stylesheet
    keeps them on one line), with the full stop after it (kept on its line); the sentence
    reads as before."""
    Profile.objects.filter(user=patient).update(time_zone=zone)
    page = login(Client(), patient).get("/account/profile/").content.decode()
    found = re.search(r'<div class="hint" id="id_phone_helptext">(.*?)</div>', page, re.S)
    assert found is not None
    inner = re.search(r'^For example <span class="phone-example">(.*)\.</span>$', found.group(1))
    assert inner is not None, found.group(1)
    spans = re.findall(r"<span>([^<]*)</span>", inner.group(1))
    assert spans[: len(groups)] == groups
    assert inner.group(1) == " ".join(f"<span>{g}</span>" for g in spans)


def _example(region: str) -> str:
    number = phonenumbers.example_number(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@pytest.mark.parametrize(
    ("zone", "example"),
    [("America/Chicago", "+1 "), ("Europe/Paris", "+33 "), ("", None), ("UTC", None)],
)
def test_the_phone_example_is_of_the_persons_own_country(
    patient: Any, zone: str, example: str | None
) -> None:
    """Phone walk: everyone was shown a British example. The example is of the country of
    the profile's zone (America/Chicago: the USA), and without a country (no zone yet, or
    UTC) the hint says only to start with + and the country code."""
    Profile.objects.filter(user=patient).update(time_zone=zone)
    hint = _phone_hint(login(Client(), patient).get("/account/profile/").content.decode())
    assert "+44" not in hint
    if example is None:
        assert hint == "Starting with + and your country code."
    else:
        region = "US" if zone == "America/Chicago" else "FR"
        assert hint == f"For example {_example(region)}."
        assert _example(region).startswith(example)


def _phone_error(page: str) -> str:
    found = re.search(r'<div class="error-message" id="id_phone_error">(.*?)</div>', page, re.S)
    assert found is not None, "the phone field has no error"
    return found.group(1)


@pytest.mark.parametrize(
    ("zone", "region"), [("America/Chicago", "US"), ("Europe/Paris", "FR"), ("UTC", None)]
)
def test_a_wrong_phone_number_is_told_with_an_example_of_the_zone_sent(
    patient: Any, zone: str, region: str | None
) -> None:
    """The error names an example of the country of the zone sent with the form (it may
    be new), and none without a country; an example number given is itself accepted."""
    error = _phone_error(_errors(patient, time_zone=zone, phone="12 34"))
    assert "+44" not in error
    if region is None:
        assert "Start the number with + and your country code" in error
    else:
        assert "That is not a whole phone number in the country of the time zone chosen" in error
        assert f"for example {_example(region)}, or start with +" in error
        client = login(Client(), patient)
        response = client.post(
            "/account/profile/", {**GOOD, "time_zone": zone, "phone": _example(region)}
        )
        assert response.status_code == 302


def test_a_us_number_without_its_area_code_is_refused_and_kept_in_the_form(
    patient: Any,
) -> None:
    """Phone walk: "555-0142" was stored as it was, with no country code. In New York it is
    not a whole number (7 digits, no area code): refused, with a US example, and what was
    typed is shown again; the saved number does not change."""
    Profile.objects.filter(user=patient).update(phone="+12015550123")
    body = _errors(patient, time_zone="America/New_York", phone="555-0142")
    assert f"for example {_example('US')}" in _phone_error(body)
    assert 'value="555-0142"' in body
    assert 'value="America/New_York" selected' in body
    assert Profile.objects.get(user=patient).phone == "+12015550123"


@pytest.mark.parametrize(
    ("zone", "typed", "stored"),
    [
        ("America/New_York", "(201) 555-0123", "+12015550123"),
        ("Europe/Paris", "06 12 34 56 78", "+33612345678"),
        ("Europe/Paris", "+1 201-555-0123", "+12015550123"),  # from another country
        ("UTC", "+33 6 12 34 56 78", "+33612345678"),
        ("UTC", "", ""),
    ],
)
def test_a_phone_number_is_stored_in_international_form(
    patient: Any, zone: str, typed: str, stored: str
) -> None:
    """Read in the country of the zone chosen in the same form (the patient's saved zone is
    Europe/London: a French number typed with a French zone is French)."""
    Profile.objects.filter(user=patient).update(time_zone="Europe/London")
    response = login(Client(), patient).post(
        "/account/profile/", {**GOOD, "time_zone": zone, "phone": typed}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=patient).phone == stored


def test_a_refused_zone_leaves_the_number_read_in_the_saved_one(patient: Any) -> None:
    Profile.objects.filter(user=patient).update(time_zone="America/New_York")
    body = _errors(patient, time_zone="Mars/Olympus_Mons", phone="(201) 555-0123")
    assert "is not a time zone we know" in body
    assert 'id="id_phone_error"' not in body


def test_the_page_gives_its_script_each_zones_example_and_both_hints(newcomer: Any) -> None:
    """A first visit is built at UTC, and the browser's zone is chosen in the browser
    (timezone.js): phone_hint.js makes the hint follow the picker, from this data. Without
    JavaScript the generic hint stays."""
    page = login(Client(), newcomer).get("/account/profile/").content.decode()
    assert _phone_hint(page) == "Starting with + and your country code."
    assert "accounts/phone_hint.js" in page
    # After timezone.js, which picks the browser's zone first.
    assert page.index("accounts/timezone.js") < page.index("accounts/phone_hint.js")
    found = re.search(
        r'<script id="phone-hints" type="application/json">(.*?)</script>', page, re.S
    )
    assert found is not None
    data = json.loads(found.group(1))
    assert data["none"] == "Starting with + and your country code."
    assert data["example"] == "For example {example}."
    assert data["slot"] == "{example}"
    assert data["zones"]["Europe/Paris"] == _example("FR")
    assert data["zones"]["America/New_York"] == _example("US")
    assert "UTC" not in data["zones"]


def test_a_held_zone_gets_no_hint_script() -> None:
    """A therapist's zone is not picked on this page: its hint is the server's."""
    from tests.booking.support import make_therapist

    therapist = make_therapist("Sid Sydney", zone="Australia/Sydney")
    page = login(Client(), therapist.user, mfa=True).get("/account/profile/").content.decode()
    assert _phone_hint(page) == f"For example {_example('AU')}."
    assert "phone-hints" not in page and "phone_hint.js" not in page


def test_far_fetched_phone_input_on_the_page_is_refused_and_nothing_typed_is_lost(
    patient: Any,
) -> None:
    """A NUL byte never reaches the form (InputMiddleware answers 400, showing what was
    sent without it); 10,000 characters and letters come back on the page with a message."""
    Profile.objects.filter(user=patient).update(phone="+12015550123")
    client = login(Client(), patient)
    response = client.post("/account/profile/", {**GOOD, "phone": "201 555\x000123"})
    assert response.status_code == 400
    assert "201 5550123" in response.content.decode()
    body = _errors(patient, phone="2" * 10_000)
    assert "A phone number can have at most 32 characters." in _phone_error(body)
    assert "2" * 10_000 in body
    body = _errors(patient, time_zone="America/New_York", phone="1-800-FLOWERS")
    assert "A phone number has only digits" in _phone_error(body)
    assert 'value="1-800-FLOWERS"' in body
    assert Profile.objects.get(user=patient).phone == "+12015550123"
