"""Signing a real browser in: the session cookie a real sign-in gives
(``tests.accounts.helpers.login``, with the second factor for staff), set on the browser's
context for the live server, so a test starts on the page it is about. Signing in through
the sign-in pages themselves is tested where it is the subject (tests/accounts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from tests.accounts.helpers import login


def sign_in(browser: Any, base_url: str, user: Any, *, mfa: bool = False) -> str:
    """Sign ``user`` in on ``browser`` (a Playwright page or browser context) for the site
    at ``base_url``, replacing any earlier session; returns the session key."""
    context = getattr(browser, "context", browser)
    context.clear_cookies()
    cookie = login(Client(), user, mfa=mfa).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
    return str(cookie.value)
