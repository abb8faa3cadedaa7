"""Two-factor authentication: optional for patients, required for staff before any
patient data, for the admin site, and staff are signed out when idle."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client

from rehabit.accounts.middleware import LAST_ACTIVITY_KEY
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import PASSWORD, TOTP_SECRET, login, make_user, totp_code

pytestmark = pytest.mark.django_db


def test_patients_may_use_the_site_without_mfa(patient: Any) -> None:
    assert login(Client(), patient).get("/account/").status_code == 200


def test_staff_without_an_authenticator_must_set_one_up_first(db: Any) -> None:
    therapist = make_user("new.therapist@example.org", role="therapist")
    client = login(Client(), therapist)
    for url in ("/account/", "/staff/patients/1/", "/conditions/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/account/2fa/totp/activate/"


@pytest.mark.django_db(transaction=True)  # allauth sends its MFA signals on commit
def test_staff_set_up_totp_and_may_continue() -> None:
    therapist = make_user("new.therapist@example.org", role="therapist")
    client = Client()
    client.post("/account/login/", {"login": therapist.email, "password": PASSWORD})
    response = client.get("/account/2fa/totp/activate/")
    # allauth asks for the password again before changing security settings.
    assert response["Location"].startswith("/account/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/account/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    page = response.content.decode()
    assert secret in page and "data:image/svg+xml;base64," in page
    assert re.search(r'<input[^>]*name="code"[^>]*inputmode="numeric"', page)
    assert re.search(r'<input[^>]*name="code"[^>]*autocomplete="one-time-code"', page)
    response = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=therapist, type="totp").exists()
    assert (
        AuditEntry.objects.filter(action=AuditAction.MFA_ADDED, subject_id=therapist.pk).count()
        == 2
    )  # totp + recovery codes
    # The first codes are not called a replacement ("the old ones no longer work").
    codes = client.get(response["Location"]).content.decode()
    assert "Your recovery codes are ready. If you had codes before, those no longer work." in codes
    assert "old ones" not in codes
    assert client.get("/account/").status_code == 200


def test_staff_sign_in_asks_for_the_code(therapist: Any) -> None:
    client = Client()
    response = client.post("/account/login/", {"login": therapist.email, "password": PASSWORD})
    assert response["Location"] == "/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/account/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert (
        AuditEntry.objects.filter(action=AuditAction.MFA_FAILED, subject_id=therapist.pk).count()
        == 1
    )
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(therapist.pk)
    assert client.get("/account/").status_code == 200


def test_staff_session_without_a_second_factor_is_sent_to_prove_it(therapist: Any) -> None:
    client = login(Client(), therapist)  # e.g. signed in before their authenticator existed
    response = client.get("/account/")
    assert response["Location"].startswith("/account/2fa/reauthenticate/")
    client.post("/account/2fa/reauthenticate/", {"code": totp_code(TOTP_SECRET)})
    assert client.get("/account/").status_code == 200


def test_staff_are_signed_out_after_idling(therapist: Any, settings: Any) -> None:
    client = login(Client(), therapist, mfa=True)
    assert client.get("/account/").status_code == 200
    later = time.time() + settings.REHABIT_STAFF_IDLE_TIMEOUT_SECONDS + 5
    with time_machine.travel(later):
        response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action=AuditAction.LOGOUT, subject_id=therapist.pk).get()
    assert entry.details == {"reason": "idle_timeout"}


def test_activity_keeps_staff_signed_in(therapist: Any, settings: Any) -> None:
    client = login(Client(), therapist, mfa=True)
    client.get("/account/")
    step = settings.REHABIT_STAFF_IDLE_TIMEOUT_SECONDS - 60
    for hop in (1, 2):
        with time_machine.travel(time.time() + hop * step):
            assert client.get("/account/").status_code == 200
    assert LAST_ACTIVITY_KEY in client.session


def test_patients_have_no_idle_timeout(patient: Any, settings: Any) -> None:
    client = login(Client(), patient)
    client.get("/account/")
    with time_machine.travel(time.time() + settings.REHABIT_STAFF_IDLE_TIMEOUT_SECONDS + 5):
        assert client.get("/account/").status_code == 200


def test_admin_site_login_goes_through_allauth(admin_user: Any, settings: Any) -> None:
    response = Client().get(f"/{settings.REHABIT_ADMIN_PATH}login/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert (
        login(Client(), admin_user, mfa=True).get(f"/{settings.REHABIT_ADMIN_PATH}").status_code
        == 200
    )
