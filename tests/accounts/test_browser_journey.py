"""In real Chromium: an anonymous assessment, then sign-up verified through an e-mail
received on a real local SMTP server, sign-in, the earlier assessment on the account
page, TOTP set-up, sign-out; axe finds no serious or critical problem on the way."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import fill_sign_up, totp_code, valid_answers
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "browser.person@example.org"
PASSWORD = "saffron popliteal orchard 19"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.original_content))
        self.arrived.set()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, timeout: float = 10) -> str:
        for _ in range(int(timeout * 10)):
            for message in self.messages:
                if to in message["To"]:
                    payload = message.get_payload(decode=True)
                    if payload is None:  # multipart: take the text part
                        part = next(
                            p for p in message.walk() if p.get_content_type() == "text/plain"
                        )
                        payload = part.get_payload(decode=True)
                    return payload.decode()
            self.arrived.wait(0.1)
        raise AssertionError(f"no e-mail to {to}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def complete_assessment(page: Any, base: str) -> None:
    answers = valid_answers()
    page.goto(base + "/assessment/")
    page.get_by_role("button", name="Start").click()
    for _ in range(20):
        if "/assessment/result/" in page.url:
            return
        for qid, value in answers.items():
            text_box = page.locator(f'input[type="text"][name="{qid}"]')
            if text_box.count():
                text_box.fill(str(value))
                continue
            for v in value if isinstance(value, list) else [value]:
                choice = page.locator(f'input[name="{qid}"][value="{v}"]')
                if choice.count():
                    choice.check()
        before = page.url
        page.locator('button[name="action"][value="next"]').click()
        page.wait_for_load_state()
        assert page.url != before or "/assessment/result/" in page.url, page.content()[:2000]
    raise AssertionError("the assessment did not finish")


def test_assessment_sign_up_verify_totp_and_sign_out(
    page: Any, live_server: Any, smtp: Inbox
) -> None:
    base = live_server.url
    complete_assessment(page, base)
    assessment_id = re.search(r"/assessment/result/([0-9a-f-]+)/", page.url).group(1)  # type: ignore[union-attr]

    # Sign up from the same browser.
    page.get_by_role("link", name="Create account").click()
    assert page.get_by_text("may be saved to your new account").is_visible()
    assert_accessible(page)
    fill_sign_up(page, EMAIL, PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/account/confirm-email/")
    assert_accessible(page)

    # The verification e-mail arrives over SMTP; open its link and confirm.
    body = smtp.wait_for(EMAIL)
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", body).group(0)  # type: ignore[union-attr]
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Yes, this is my address").click()

    # First visit: the profile, with the browser's zone pre-selected.
    page.wait_for_url("**/account/profile/**")
    assert page.locator("#id_time_zone").input_value() == "Europe/London"
    assert_accessible(page)
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("alert").is_visible()  # name and date of birth are missing
    assert_accessible(page)
    page.get_by_label("Full name").fill("Brenda Browser")
    page.get_by_label("Date of birth").fill("1975-06-30")
    page.get_by_role("button", name="Save profile").click()

    page.wait_for_url("**/account/")
    assert page.locator(f'a[href="/assessment/result/{assessment_id}/"]').is_visible()
    assert ", Europe/London)" in page.content()
    assert Assessment.objects.get(pk=assessment_id).owner.email == EMAIL  # type: ignore[union-attr]
    assert_accessible(page)
    for path in ("/account/consent/", "/account/access-log/", "/account/data/", "/account/2fa/"):
        page.goto(base + path)
        assert_accessible(page)

    # Sign out and in again.
    page.goto(base + "/account/logout/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(base + "/account/login/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")

    # Two-factor: confirm the password, scan (here: read) the secret, enter a code.
    page.goto(base + "/account/2fa/totp/activate/")
    page.wait_for_url("**/account/reauthenticate/**")
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/2fa/totp/activate/")
    assert page.locator("img.qr-code").is_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("The 6-digit code your app shows now").fill(totp_code(secret))
    page.get_by_role("button", name="Turn it on").click()
    page.wait_for_url("**/account/2fa/recovery-codes/")
    assert_accessible(page)

    page.goto(base + "/account/logout/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Sign in").is_visible()

    # Signing in now asks for the code.
    page.goto(base + "/account/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    assert_accessible(page)
