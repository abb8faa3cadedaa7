"""Shared fixtures and builders for the accounts, audit and security tests.

Import the fixtures into a package's conftest.py (``from tests.accounts.helpers import *``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import struct
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from rehabit.accounts.access import MFA_SESSION_KEY
from rehabit.accounts.consent import set_consent, set_sharing
from rehabit.accounts.models import ConsentPurpose, Profile
from rehabit.accounts.roles import PATIENT, assign_role

PASSWORD = "violet hamstring kettle 42"

__all__ = [
    "PASSWORD",
    "_clear_cache",
    "admin_user",
    "assessment_for",
    "login",
    "make_user",
    "other_patient",
    "patient",
    "therapist",
    "totp_code",
    "valid_answers",
]


def make_user(
    email: str,
    *,
    role: str = PATIENT,
    name: str = "",
    verified: bool = True,
    totp_secret: str | None = None,
    complete: bool = True,
    share: Any = (),
) -> Any:
    """An account as sign-up would leave it (verified, consents given, profile filled).

    ``share``: the therapist accounts this person shares their record with (sharing is
    per therapist; there is no "share with everyone")."""
    User = get_user_model()
    user = User.objects.create_user(
        username=f"u-{email.split('@')[0]}", email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    assign_role(user, role)
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": name or email.split("@")[0].title(),
            "time_zone": "Europe/London" if complete else "",
            "language": "en-gb",
        },
    )
    if complete:
        for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
            set_consent(user, purpose, True, source="test")
    for therapist in share or ():
        set_sharing(user, therapist, True, source="test")
    if totp_secret:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, totp_secret)
    return user


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) for a base32 secret."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def login(client: Client, user: Any, *, mfa: bool = False) -> Client:
    """Sign in without the forms; ``mfa=True`` marks the session as past its second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if mfa:
        session = client.session
        session[MFA_SESSION_KEY] = time.time()
        session.save()
    return client


def valid_answers() -> dict[str, Any]:
    """A complete, benign answer set: the written vignettes when they exist, otherwise
    answers generated from the questionnaire until the clinical core accepts them."""
    from rehabit.clinical import AnswerErrors, assess

    try:
        from tests.support import answers_for

        answers = answers_for("self_care")
        assess(answers)
        return answers
    except (FileNotFoundError, LookupError, AnswerErrors):
        pass  # no vignettes yet, or written for another questionnaire version
    return dict(_generated_answers())


@functools.cache
def _generated_answers() -> dict[str, Any]:
    from rehabit.clinical import AnswerErrors, assess, load_questionnaire

    questions = load_questionnaire().questions
    answers: dict[str, Any] = {}
    for _ in range(2 * len(questions) + 2):
        try:
            assess(answers)
            return answers
        except AnswerErrors as exc:
            pending = [qid for qid in exc.errors if qid in questions]
            if not pending:
                raise
            for qid in pending:
                q = questions[qid]
                if "only applies" in " ".join(exc.errors[qid]):
                    answers.pop(qid, None)
                elif q.option_values and (q.type == "multi" or "list" in str(exc.errors[qid])):
                    none = [v for v in q.option_values if v in q.exclusive]
                    answers[qid] = [none[0] if none else q.option_values[0]]
                elif q.option_values:
                    answers[qid] = "no" if "no" in q.option_values else q.option_values[-1]
                else:
                    low = q.min if q.min is not None else 0
                    high = q.max if q.max is not None else 99
                    answers[qid] = min(max(low, 40 if qid == "age" else 3), high)
    raise AssertionError("could not build a valid answer set")


def assessment_for(owner: Any | None) -> Any:
    from rehabit.assessments.services import record_assessment

    assessment = record_assessment(valid_answers())
    if owner is not None:
        type(assessment).objects.filter(pk=assessment.pk).update(owner=owner)
        assessment.refresh_from_db()
    return assessment


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth's rate limits live in the cache; start every test with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient(db: Any) -> Any:
    return make_user("pat.one@example.org", name="Patricia Onestone")


@pytest.fixture
def other_patient(db: Any) -> Any:
    return make_user("oscar.other@example.org", name="Oscar Otherfield")


@pytest.fixture
def therapist(db: Any) -> Any:
    return make_user(
        "theo.therapist@example.org",
        role="therapist",
        name="Theo Therapist",
        totp_secret=TOTP_SECRET,
    )


@pytest.fixture
def admin_user(db: Any) -> Any:
    return make_user(
        "ada.admin@example.org", role="admin", name="Ada Admin", totp_secret=TOTP_SECRET
    )


def sign_up(client: Client, email: str, password: str = PASSWORD) -> Any:
    """Create an account through the sign-up form (terms accepted)."""
    return client.post(
        "/account/signup/",
        {"email": email, "password1": password, "password2": password, "accept_terms": "on"},
    )


def fill_sign_up(page: Any, email: str, password: str = PASSWORD) -> None:
    """Fill the sign-up form in a browser page (Playwright) and accept the terms; the test
    presses the button itself (click or tap)."""
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_label("I have read and accept").check()
