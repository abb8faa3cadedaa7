from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.accounts.helpers import _clear_cache  # noqa: F401  (fixture)
from tests.booking.support import Mailbox, free_port, make_patient, make_therapist


@pytest.fixture
def therapist(db: Any) -> Any:
    return make_therapist("Tara Therapist")


@pytest.fixture
def patient(db: Any) -> Any:
    return make_patient("pat.booker@example.org", "Pat Booker", zone="Asia/Kolkata")


@pytest.fixture
def other_patient(db: Any) -> Any:
    return make_patient("olive.other@example.org", "Olive Other")


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on a free local port; Django sends to it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def admin_user(db: Any) -> Any:
    from tests.accounts.helpers import TOTP_SECRET, make_user

    return make_user(
        "ada.admin@example.org", role="admin", name="Ada Admin", totp_secret=TOTP_SECRET
    )
