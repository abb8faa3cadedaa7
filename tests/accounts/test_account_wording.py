"""Every account page (allauth's, under /account/) speaks our words, not the library's."""

from __future__ import annotations

import html
import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client

from tests.accounts.helpers import PASSWORD, TOTP_SECRET, login, make_user

pytestmark = pytest.mark.django_db

# Phrases of allauth's own templates and forms that our pages must not show.
LIBRARY_WORDING = [
    "Sign Up",
    "Signup",
    "Sign In",
    "Sign Out",
    "Remember Me",
    "Forgot your password?",
    "is an email address for user",
    "Email Address",
    "Password Reset",
    "Reset My Password",
    "Bad Token",
    "Change Password",
    "Set Password",
    "Current Password",
    "New Password",
    "Password (again)",
    "Confirm Access",
    "reauthenticate",
    "Account Inactive",
    "Verify Your Email",
    "Two-Factor Authentication",
    "Authenticator App",
    "Recovery Codes",
    "Activate",
    "Deactivate",
    "Please contact us",
    "already logged in",
]

PAGES = [
    "/account/login/",
    "/account/signup/",
    "/account/logout/",
    "/account/password/reset/",
    "/account/password/reset/done/",
    "/account/password/reset/key/1-abc/",
    "/account/password/reset/key/done/",
    "/account/password/change/",
    "/account/email/",
    "/account/confirm-email/no-such-key/",
    "/account/confirm-email/",
    "/account/inactive/",
    "/account/reauthenticate/",
    "/account/2fa/",
    "/account/2fa/reauthenticate/",
    "/account/sessions/",
]


def _visible_text(page: str) -> str:
    main = page[page.index("<main") : page.index("</main>")]
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    text = re.sub(r"<[^>]+>", " ", main) + " " + (title.group(1) if title else "")
    return html.unescape(re.sub(r"\s+", " ", text))


def _assert_ours(url: str, page: str) -> None:
    text = _visible_text(page)
    found = [phrase for phrase in LIBRARY_WORDING if phrase in text]
    assert not found, f"{url} shows allauth's wording {found}: {text[:400]}"


@pytest.mark.parametrize("who", ["anonymous", "patient", "therapist"])
def test_account_pages_use_our_words(who: str) -> None:
    client = Client()
    if who == "patient":
        login(client, make_user("wording.patient@example.org"))
    elif who == "therapist":
        therapist = make_user(
            "wording.therapist@example.org", role="therapist", totp_secret=TOTP_SECRET
        )
        login(client, therapist, mfa=True)
    shown = 0
    for url in PAGES:
        response = client.get(url, follow=True)
        if response.status_code == 200:
            _assert_ours(url, response.content.decode())
            shown += 1
    assert shown >= 8


def test_the_confirmation_page_asks_in_our_words() -> None:
    person = make_user("confirm.me@example.org", verified=False)
    address = EmailAddress.objects.get(user=person)
    key = EmailConfirmationHMAC(address).key
    page = Client().get(f"/account/confirm-email/{key}/").content.decode()
    _assert_ours("/account/confirm-email/<key>/", page)
    assert "Is <strong>confirm.me@example.org</strong> your address?" in page
    assert "Yes, this is my address" in page


def test_two_factor_pages_for_a_person_who_set_it_up() -> None:
    person = make_user("two.factor@example.org", totp_secret=TOTP_SECRET)
    client = login(Client(), person, mfa=True)
    client.post("/account/reauthenticate/", {"password": PASSWORD})  # "confirm it is you"
    for url in (
        "/account/2fa/",
        "/account/2fa/totp/deactivate/",
        "/account/2fa/recovery-codes/generate/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_ours(url, response.content.decode())


def test_the_password_reset_e_mail_is_in_our_words() -> None:
    person = make_user("forgot.it@example.org")
    Client().post("/account/password/reset/", {"email": person.email})
    message = mail.outbox[-1]
    assert message.subject == "Rehabit: Reset your password"
    assert "You're receiving this email" not in message.body
    assert "asked to reset the password of your Rehabit account" in message.body


def test_the_sign_in_form_labels() -> None:
    page = Client().get("/account/login/").content.decode()
    for label in ("E-mail address", "Password", "Keep me signed in on this device"):
        assert f">{label}</label>" in page
    assert "placeholder=" not in page[page.index("<main") :]
    assert "Forgotten it?" in page and 'href="/account/password/reset/"' in page


def test_a_signed_in_person_is_not_told_they_are_logged_in_in_allauths_words() -> None:
    person = make_user("signed.in@example.org")
    page = login(Client(), person).get("/account/password/reset/").content.decode()
    assert "You are signed in as" in page
    assert PASSWORD not in page


def test_a_therapists_profile_asks_what_a_therapist_needs() -> None:
    therapist = make_user("prof.therapist@example.org", role="therapist", totp_secret=TOTP_SECRET)
    client = login(Client(), therapist, mfa=True)
    page = client.get("/account/profile/").content.decode()
    assert "as you would like your therapist to address you" not in page
    assert "As patients and colleagues see it." in page
    assert "Date of birth" not in page
    response = client.post(
        "/account/profile/",
        {"full_name": "Dr Prof Therapist", "time_zone": "Europe/Dublin", "language": "en-gb"},
    )
    assert response.status_code == 302  # saved without a date of birth
    therapist.profile.refresh_from_db()
    assert therapist.profile.full_name == "Dr Prof Therapist"
    assert "Date of birth" not in client.get("/account/").content.decode()


def test_a_patients_profile_still_asks_for_the_date_of_birth() -> None:
    patient = make_user("prof.patient@example.org")
    page = login(Client(), patient).get("/account/profile/").content.decode()
    assert "Yours, as the account holder, as you would like your therapist to address" in page
    assert "A parent or carer gives their own name here." in page
    assert "Date of birth" in page
    assert "A parent or carer gives their own, not their child&#x27;s." in page
    # A parent who typed the child's date of birth is told what to do, not sent away.
    refused = login(Client(), patient).post(
        "/account/profile/",
        {"full_name": "Pat", "date_of_birth": "2017-06-01", "time_zone": "Europe/Dublin",
         "language": "en-gb"},
    ).content.decode()  # fmt: skip
    assert "A parent or carer making the account for a child: enter your own date of" in refused


@pytest.mark.parametrize(
    "template",
    [
        "account/email/password_changed_message.txt",
        "mfa/email/totp_activated_message.txt",
        "mfa/email/recovery_codes_generated_message.txt",
    ],
)
def test_a_security_notice_does_not_also_say_it_can_be_ignored(template: str) -> None:
    """The "two-factor authentication is on" e-mail said "If this was not you, reset your
    password now..." and then "If you did not ask for this e-mail, you can ignore it"
    (phone walk 6). A notice of a change says only what to do if it was not you."""
    from django.template.loader import render_to_string

    text = render_to_string(template, {"timestamp": None, "ip": "192.0.2.1", "user_agent": "x"})
    assert "If this was not you, reset your password now" in text
    assert "ignore" not in text
    # A message the person asked for (a reset link) may still be ignored.
    reset = render_to_string("account/email/password_reset_key_message.txt", {})
    assert "you can ignore it" in reset
