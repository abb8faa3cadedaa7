"""A therapist's first sign-in, in words written for a therapist on a phone: the key to
type in when the QR code is on the same phone, a way on from the recovery codes, and no
patient-only text on the consent page."""

from __future__ import annotations

import pytest
from django.test import Client

from rehabit.accounts.roles import THERAPIST
from tests.accounts.helpers import PASSWORD, login, make_user
from tests.booking.support import make_therapist

pytestmark = pytest.mark.django_db

PATIENT_ONLY = "You have not booked a therapist yet"


def test_the_two_factor_page_says_what_to_do_on_this_device_and_the_key_wraps() -> None:
    newcomer = make_user("new.therapist@clinic.example", role=THERAPIST)
    client = login(Client(), newcomer)
    client.post("/account/reauthenticate/", {"password": PASSWORD})  # "confirm it is you"
    page = client.get("/account/2fa/totp/activate/").content.decode()
    # On a laptop the code is scanned; on the phone that holds the app, the key is typed.
    assert "If the app is on the device you are reading this on, type the key below" in page
    # A long key wraps inside its box on a narrow screen (an input cut it off).
    assert '<textarea id="authenticator_secret"' in page
    assert '<input type="text" id="authenticator_secret"' not in page


def test_new_recovery_codes_lead_on_to_the_workspace() -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    therapist = make_therapist("Tara Therapist")
    RecoveryCodes.activate(therapist.user)
    client = login(Client(), therapist.user, mfa=True)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    page = client.get("/account/2fa/recovery-codes/").content.decode()
    # Set up already (profile, hours, two-factor): on to the workspace, not a dead end.
    assert 'href="/therapist/">Continue to your workspace</a>' in page


def test_a_patients_recovery_codes_lead_back_to_their_account() -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.accounts.helpers import TOTP_SECRET

    person = make_user("codes.patient@example.org", totp_secret=TOTP_SECRET)
    RecoveryCodes.activate(person)
    client = login(Client(), person, mfa=True)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    page = client.get("/account/2fa/recovery-codes/").content.decode()
    assert 'href="/account/">Continue to your account' in page


def test_the_consent_page_shows_a_therapist_no_patient_only_text() -> None:
    therapist = make_therapist("Tara Therapist")
    page = login(Client(), therapist.user, mfa=True).get("/account/consent/").content.decode()
    assert PATIENT_ONLY not in page and "Sharing with your therapists" not in page
    patient = make_user("still.patient@example.org")
    page = login(Client(), patient).get("/account/consent/").content.decode()
    assert PATIENT_ONLY in page
