"""Sessions rotate on sign-in and end on sign-out; account pages carry the security
headers, a CSP without inline script, and are never cached."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.accounts.helpers import PASSWORD, TOTP_SECRET, login
from tests.security.url_rules import RULES, SELF

pytestmark = pytest.mark.django_db


def test_session_id_rotates_on_login(patient: Any, settings: Any) -> None:
    client = Client()
    client.get("/account/login/")
    session = client.session
    session["anything"] = "before"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before != after
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_server_side_session(patient: Any, settings: Any) -> None:
    client = Client()
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/account/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


ACCOUNT_PAGES = [
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
    *(rule.build(None) for rule in RULES.values() if rule.kind == SELF and rule.build),  # type: ignore[arg-type]
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_pages_have_strict_headers_and_no_inline_script(url: str, patient: Any) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(patient, TOTP_SECRET)  # so the two-factor pages exist for this person
    RecoveryCodes.activate(patient)
    client = login(Client(), patient, mfa=True)
    if url in {"/account/login/", "/account/signup/", "/account/password/reset/"}:
        client = Client()
    response = client.get(url)
    if response.status_code == 302:
        response = client.get(response["Location"])
    if response.status_code in {404, 405}:
        pytest.skip("POST-only, or needs an authenticator this patient does not have")
    assert response.status_code == 200, url
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), url
    assert not INLINE_HANDLER.search(body), url
    assert not INLINE_STYLE.search(body), url


@pytest.mark.parametrize("url", ["/", "/conditions/", "/exercises/"])
def test_public_pages_are_private_to_a_signed_in_reader(url: str, patient: Any) -> None:
    """A public page names the signed-in person in its navigation: no shared cache may keep
    that copy. The same page for an anonymous reader carries no personal data and no
    such header."""
    signed_in = login(Client(), patient).get(url)
    assert signed_in.status_code == 200, url
    control = signed_in["Cache-Control"]
    assert "private" in control and "no-cache" in control, control
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert "private" not in anonymous.get("Cache-Control", ""), url
