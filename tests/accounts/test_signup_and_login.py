"""Sign-up with mandatory e-mail verification, e-mail login, logout, password reset,
change of e-mail, and the role and consents a new account starts with."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from rehabit.accounts.consent import current_consents
from rehabit.accounts.models import ConsentPurpose
from rehabit.accounts.roles import PATIENT, role_of
from tests.accounts.helpers import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "amber sciatic lantern 77"


def signup(client: Client, email: str = "new.person@example.org", **extra: str) -> Any:
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}
    data.update(extra)
    return client.post("/account/signup/", data)


def link_in(message: Any, pattern: str) -> str:
    match = re.search(r"https?://testserver(" + pattern + r")", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_needs_a_verified_address_before_signing_in() -> None:
    client = Client()
    response = signup(client, share_with_therapist="on")
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    user = get_user_model().objects.get(email="new.person@example.org")
    assert role_of(user) == PATIENT
    assert not user.username.startswith("new.person"), "usernames carry no personal data"
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in, and signing in is refused until the address is verified.
    assert "_auth_user_id" not in client.session
    response = Client().post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/confirm-email/"

    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert user.username not in message.body
    url = link_in(message, r"/account/confirm-email/[^/\s]+/")
    assert client.get(url).status_code == 200  # confirming needs a POST, not just a GET
    assert not EmailAddress.objects.get(user=user).verified
    response = client.post(url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_confirming_the_first_address_is_not_an_e_mail_change() -> None:
    from allauth.account.signals import email_changed

    from rehabit.audit.models import AuditAction, AuditEntry

    client = Client()
    signup(client)
    (message,) = mail.outbox
    client.post(link_in(message, r"/account/confirm-email/[^/\s]+/"))
    user = get_user_model().objects.get(email="new.person@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AuditEntry.objects.filter(action=AuditAction.EMAIL_CHANGED).exists()
    assert "E-mail address changed" not in client.get("/account/access-log/").content.decode()
    # A real change, from one address to another, is still recorded.
    first = EmailAddress.objects.get(user=user)
    email_changed.send(
        sender=EmailAddress,
        request=None,
        user=user,
        from_email_address=first,
        to_email_address=first,
    )
    assert AuditEntry.objects.filter(action=AuditAction.EMAIL_CHANGED, subject_id=user.pk).exists()


def test_signing_in_again_sends_a_fresh_link_as_the_check_your_e_mail_page_says() -> None:
    """The page after sign-up promises a new link on signing in again, at most one every
    few minutes (ACCOUNT_RATE_LIMITS confirm_email)."""
    import time_machine
    from django.utils import timezone

    client = Client()
    signup(client)
    page = client.get("/account/confirm-email/").content.decode()
    assert "To get a new link" in page and 'href="/account/login/"' in page
    credentials = {"login": "new.person@example.org", "password": PASSWORD}
    Client().post("/account/login/", credentials)
    assert len(mail.outbox) == 1  # too soon: the link just sent still stands
    with time_machine.travel(timezone.now() + timedelta(minutes=4), tick=False):
        response = Client().post("/account/login/", credentials)
    assert response["Location"] == "/account/confirm-email/"
    assert len(mail.outbox) == 2
    fresh = link_in(mail.outbox[-1], r"/account/confirm-email/[^/\s]+/")
    assert Client().post(fresh).status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified


def test_signup_records_consent_with_version_and_time() -> None:
    signup(Client(), share_with_therapist="on")
    user = get_user_model().objects.get(email="new.person@example.org")
    states = current_consents(user)
    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        assert states[purpose].is_current, purpose
        assert states[purpose].recorded_at is not None
    # Sharing is given to one therapist at a time (when booking), never at sign-up.
    assert not user.consent_events.filter(purpose=ConsentPurpose.SHARE_WITH_THERAPIST).exists()


def test_signup_refuses_without_accepting_the_terms_and_says_why() -> None:
    response = Client().post(
        "/account/signup/",
        {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert "accept the terms of use and privacy notice" in body
    # The summary gives the message alone, not the box's whole statement before it.
    assert (
        '<a href="#id_accept_terms">To create an account, accept the terms of use and '
        "privacy notice.</a>" in body
    )
    assert not get_user_model().objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize(
    "password",
    ["password123", "rehabit2026!!", "qwertyuiop12", "aaaaaaaaaaaa", "new.person2026"],
)
def test_signup_refuses_common_and_predictable_passwords(password: str) -> None:
    response = Client().post(
        "/account/signup/",
        {
            "email": "new.person@example.org",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_login_with_email_and_logout(patient: Any) -> None:
    client = Client()
    response = client.post(
        "/account/login/", {"login": "PAT.ONE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(patient.pk)
    assert client.get("/account/").status_code == 200
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302


def test_wrong_password_is_refused_with_a_message(patient: Any) -> None:
    response = Client().post("/account/login/", {"login": patient.email, "password": "nope nope"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_password_reset_by_email(patient: Any) -> None:
    client = Client()
    response = client.post("/account/password/reset/", {"email": patient.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    url = link_in(message, r"/account/password/reset/key/[^\s]+/")
    response = client.get(url)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


def test_change_of_email_replaces_the_address_once_verified(patient: Any) -> None:
    client = login(Client(), patient)
    client.post("/account/reauthenticate/", {"password": PASSWORD})  # within five minutes
    response = client.post("/account/email/", {"action_add": "", "email": "pat.new@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["pat.new@example.org"]
    url = link_in(message, r"/account/confirm-email/[^/\s]+/")
    client.post(url)
    patient.refresh_from_db()
    assert patient.email == "pat.new@example.org"
    assert list(EmailAddress.objects.filter(user=patient).values_list("email", flat=True)) == [
        "pat.new@example.org"
    ]


def test_unverified_accounts_made_elsewhere_cannot_sign_in() -> None:
    make_user("late@example.org", verified=False)
    response = Client().post("/account/login/", {"login": "late@example.org", "password": PASSWORD})
    assert response["Location"] == "/account/confirm-email/"
