"""In real Chromium, a shared computer: someone did a check here hours ago without an
account; a person signs in through the sign-in page, is asked "Is this check yours?" on a
page axe-core finds nothing wrong with (every rule, every impact), that shows only the
date and time, and saves it to their account."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from rehabit.assessments.claims import SESSION_KEY
from rehabit.assessments.models import Assessment
from tests.accounts.helpers import PASSWORD, make_user
from tests.browser.axe import assert_fits_phone_width, strict_violations
from tests.care.helpers import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_after_an_older_check(page: Any, live_server: Any, email: str) -> tuple[Any, Any]:
    """A check done in this browser 3 hours ago without an account, then a sign-in:
    (the person, the check)."""
    person = make_user(email, name="Sam Shared")
    earlier = make_assessment()
    Assessment.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(hours=3))
    # The browser's session lists the check, as the check's last page leaves it.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = [str(earlier.pk)]
    store.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/account/login/")
    page.fill('input[name="login"]', person.email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.locator('main button[type="submit"]').click()
    assert "/account/is-this-yours/" in page.url
    return person, earlier


def test_an_older_check_is_asked_about_then_saved(page: Any, live_server: Any) -> None:
    person, earlier = sign_in_after_an_older_check(page, live_server, "shared.computer@example.org")
    legend = page.locator("main legend")
    assert legend.inner_text().startswith("Is this check yours? It was done on ")
    assert "(GMT, Europe/London)" in legend.inner_text()
    assert str(earlier.pk) not in page.content()
    assert not strict_violations(page), strict_violations(page)
    assert_fits_phone_width(page)
    assert Assessment.objects.get(pk=earlier.pk).owner is None
    with page.expect_navigation():
        page.get_by_role("button", name="Save to my account").click()
    assert page.url == live_server.url + "/account/"
    assert "is saved to your account." in page.locator(".messages").inner_text()
    assert Assessment.objects.get(pk=earlier.pk).owner == person


def test_the_delete_page_names_a_waiting_check_and_offers_the_answers(
    page: Any, live_server: Any
) -> None:
    person, earlier = sign_in_after_an_older_check(page, live_server, "deleting@example.org")
    page.goto(live_server.url + "/account/data/delete/")
    if "/reauthenticate/" in page.url:  # the password again, as allauth may ask
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.locator('main button[type="submit"]').click()
    assert page.url == live_server.url + "/account/data/delete/"
    notice = page.locator("main .notice").inner_text()
    assert "deleting your account does not erase it" in notice
    assert "Is this check yours? It was done on " in notice
    assert not strict_violations(page), strict_violations(page)
    assert_fits_phone_width(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save to my account").click()
    assert page.url == live_server.url + "/account/data/delete/"
    assert Assessment.objects.get(pk=earlier.pk).owner == person
    assert page.locator("main .notice").count() == 0
