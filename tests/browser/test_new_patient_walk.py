"""What a new patient tripped on when walking the service on a small phone (360×740 and
320×640, touch), each in real Chromium after its fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import RequestFactory

from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {"360": {"width": 360, "height": 740}, "320": {"width": 320, "height": 640}}


@pytest.fixture(params=sorted(PHONES))
def small_phone(request: Any, browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONES[request.param],
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_who_viewed_my_record_fits_a_small_phone(small_phone: Any, live_server: Any) -> None:
    from rehabit.audit.models import AuditAction
    from rehabit.audit.services import record
    from tests.booking.support import make_patient, make_therapist

    patient = make_patient("pat.log@example.org", "Pat Log")
    therapist = make_therapist("Tara Therapist")
    record(AuditAction.RECORD_VIEWED, actor=therapist.user, subject=patient)
    # A sign-in from an IPv6 network: the widest value the table shows.
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:85a3:1234:8a2e:370:7334:1")
    record(AuditAction.LOGIN, request=request, actor=patient, subject=patient)
    sign_in(small_phone, live_server.url, patient)

    small_phone.goto(f"{live_server.url}/account/access-log/")
    assert small_phone.get_by_text("Tara Therapist").is_visible()
    assert small_phone.get_by_text("2001:db8:85a3::/48").is_visible()
    # Both tables stack on a phone (before, the page scrolled sideways by 111 px at 320 px
    # and 71 px at 360 px).
    assert_fits_phone_width(small_phone)
    assert_accessible(small_phone)
